/**
 * Credentialed CORS for what browsers call cross-origin: the frontend SDK API (`/sdk/v1/*`) and the
 * OAuth start path (`/v1/public/*`).
 *
 * vanilla-js calls `fetch(…, {credentials: 'include'})` with an Authorization header and `X-SDK-Client` /
 * `X-SDK-Parent-Host`, so browsers preflight and then require the exact origin (never `*`) and
 * `Access-Control-Allow-Credentials: true`. An origin is allowed when it is the origin of one of the
 * project's registered redirect URLs (Stytch's "authorized domains" play that role): the project is the
 * one the request names (Basic user = public token, or the bootstrap path); a preflight carries no
 * credentials, so it is allowed for an origin registered by any project. Other origins get no CORS
 * headers, which the browser turns into a failed request.
 *
 * @example
 * app.use('/sdk/v1/*', stytchCors(ctx));
 * // OPTIONS /sdk/v1/oauth/authenticate, Origin: http://localhost:3000 → 204 + Access-Control-Allow-Origin: http://localhost:3000
 */
import type { MiddlewareHandler } from 'hono';
import type { ServerContext } from '../core/context.js';
import { credentialedCors, originMatches } from '../core/cors.js';
import type { StytchProject } from '../core/store.js';
import { basicCredentials } from '../core/basic-auth.js';
import { publicTokenInPath } from '../core/request-environment.js';


/** The project a request names: by the Basic user (public token) or the bootstrap path. */
function projectOf(ctx: ServerContext, authorization: string | undefined, path: string): StytchProject | undefined {
  const credentials = basicCredentials(authorization);
  if (credentials) return ctx.store.findStytchProjectByPublicToken(credentials.username);
  const publicToken = publicTokenInPath(path);
  return publicToken === undefined ? undefined : ctx.store.findStytchProjectByPublicToken(publicToken);
}

export function stytchCors(ctx: ServerContext): MiddlewareHandler {
  const anyAllows = (origin: string) => ctx.store.allStytchProjects().some((project) => originMatches(origin, project.redirectUrls));
  return credentialedCors({
    allowHeaders: 'Authorization, Content-Type, X-SDK-Client, X-SDK-Parent-Host',
    allowMethods: 'GET, POST, PUT, DELETE, OPTIONS',
    anyAllows,
    requestAllows(c, origin) {
      const project = projectOf(ctx, c.req.header('authorization'), c.req.path);
      return project ? originMatches(origin, project.redirectUrls) : anyAllows(origin);
    },
  });
}
