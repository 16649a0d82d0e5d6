/**
 * Basic authentication, the two ways Stytch uses it.
 *
 * - Backend API (`/v1/*`): `Basic base64(project_id:secret)`, as stytch-node sends on every request
 *   (`lib/shared/client.ts`). The secret is compared in constant time; anything wrong or missing is
 *   `401 unauthorized_credentials` "Unauthorized credentials." (Stytch's OpenAPI example).
 * - Frontend SDKs (`/sdk/v1/*`): `Basic base64(public_token:<session_token or public_token>)`, as
 *   vanilla-js, stytch-android and KMP build it; the password names the caller's current session.
 *
 * @example
 * const project = requireSecret(ctx, c);                 // backend
 * const { project, sessionToken } = requirePublicToken(ctx, c); // SDK; sessionToken undefined when password = public token
 */
import type { Context } from 'hono';
import type { ServerContext } from '../core/context.js';
import { basicCredentials } from '../core/basic-auth.js';
import { safeEqual } from '../core/ids.js';
import type { StytchProject } from '../core/store.js';
import { unauthorizedCredentials } from './errors.js';

/** The project whose `project_id:secret` the request carries; 401 otherwise. */
export function requireSecret(ctx: ServerContext, c: Context): StytchProject {
  const credentials = basicCredentials(c.req.header('authorization'));
  if (!credentials) throw unauthorizedCredentials();
  const project = ctx.store.findStytchProject(credentials.username);
  if (!project || !safeEqual(credentials.password, project.secret)) throw unauthorizedCredentials();
  return project;
}

/**
 * The project whose public token the request carries, and the session token in the password (undefined
 * when the password is the public token again, i.e. the SDK has no session); 401 otherwise.
 */
export function requirePublicToken(ctx: ServerContext, c: Context): { project: StytchProject; sessionToken?: string } {
  const credentials = basicCredentials(c.req.header('authorization'));
  if (!credentials) throw unauthorizedCredentials();
  const project = ctx.store.findStytchProjectByPublicToken(credentials.username);
  if (!project || credentials.password === '') throw unauthorizedCredentials();
  if (safeEqual(credentials.password, project.publicToken)) return { project };
  return { project, sessionToken: credentials.password };
}
