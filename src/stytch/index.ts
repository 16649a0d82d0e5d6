/**
 * The Stytch consumer OAuth vendor: every route module, mounted at the origin root (stytch-node builds
 * URLs as `new URL("/v1/…", base)`, which drops any path prefix of its base URL), the login-page
 * completer, and `mintStytchSession` for `mock-authkit token --vendor stytch`.
 *
 * Files: `oauth-start.ts` (start + completer), `oauth-authenticate.ts`, `sessions.ts` (+ JWKS),
 * `users.ts`, `sdk.ts` (`/sdk/v1/*`), `cors.ts`; helpers `auth.ts` (Basic), `params.ts`,
 * `session-service.ts`, `session-jwt.ts`, `serializers.ts`, `providers.ts`, `ids.ts`, `registrations.ts`.
 *
 * @example
 * app.route('/', stytchRoutes(ctx, completers.stytch));
 * const jwt = await mintStytchSession(ctx, { project, user, details: grantDetails(user, {}) });
 */
import { Hono } from 'hono';
import type { ServerContext } from '../core/context.js';
import type { LoginCompleter } from '../core/login.js';
import type { GrantDetails, StytchProject, User } from '../core/store.js';
import { stytchCors } from './cors.js';
import { derivedProviderSubject, emailId, registrationId } from './ids.js';
import { oauthAuthenticateRoutes } from './oauth-authenticate.js';
import { oauthStartRoutes } from './oauth-start.js';
import { slugFromProviderName } from './providers.js';
import { findRegistration, upsertRegistration } from './registrations.js';
import { sdkRoutes } from './sdk.js';
import { signSessionJwt } from './session-jwt.js';
import { newFactor, openSession } from './session-service.js';
import { sessionRoutes } from './sessions.js';
import { userRoutes } from './users.js';

export { stytchCompleter } from './oauth-start.js';

export function stytchRoutes(ctx: ServerContext, completer: LoginCompleter): Hono {
  const app = new Hono();
  app.use('/sdk/v1/*', stytchCors(ctx));
  app.use('/v1/public/*', stytchCors(ctx));
  app.route('/', oauthStartRoutes(ctx, completer));
  app.route('/', oauthAuthenticateRoutes(ctx));
  app.route('/', sessionRoutes(ctx));
  app.route('/', userRoutes(ctx));
  app.route('/', sdkRoutes(ctx));
  return app;
}

/**
 * Opens a Stytch session for `user` and returns its session JWT (for `mock-authkit token --vendor stytch`).
 * The session carries one OAuth factor for the provider of the user's tokens (`GoogleOAuth` → google;
 * google when there are none) and lasts the server's session lifetime; the impersonator, if any, is
 * stored on the session like an impersonated login's.
 */
export async function mintStytchSession(ctx: ServerContext, input: { project: StytchProject; user: User; details: GrantDetails }): Promise<string> {
  const { project, user, details } = input;
  const env = project.environmentId;
  const now = ctx.clock.now(env);
  const provider = slugFromProviderName(details.oauth?.provider) ?? 'google';
  const providerSubject =
    details.oauth?.provider_subject ?? findRegistration(ctx.store, env, user.id, provider)?.providerSubject ?? derivedProviderSubject(user, provider);
  upsertRegistration(ctx.store, { environmentId: env, userId: user.id, provider, providerSubject }, now);
  const factor = newFactor({ provider, registrationId: registrationId(user, provider), providerSubject, emailId: emailId(user) }, now);
  const session = openSession(ctx, {
    project,
    user,
    factor,
    minutes: Math.max(5, Math.floor(ctx.options.sessionTtlSeconds / 60)),
    impersonator: details.impersonator,
  });
  return signSessionJwt(ctx, project, session, user);
}
