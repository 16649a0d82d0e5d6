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
import { originMatches, varyOrigin } from '../core/cors.js';
import type { StytchProject } from '../core/store.js';
import { basicCredentials } from './auth.js';

const ALLOW_HEADERS = 'Authorization, Content-Type, X-SDK-Client, X-SDK-Parent-Host';
const ALLOW_METHODS = 'GET, POST, PUT, DELETE, OPTIONS';

/** The project a request names: by the Basic user (public token) or the bootstrap path. */
function projectOf(ctx: ServerContext, authorization: string | undefined, path: string): StytchProject | undefined {
  const credentials = basicCredentials(authorization);
  if (credentials) return ctx.store.findStytchProjectByPublicToken(credentials.username);
  const bootstrap = /^\/sdk\/v1\/projects\/bootstrap\/([^/]+)$/.exec(path);
  if (bootstrap) return ctx.store.findStytchProjectByPublicToken(decodeURIComponent(bootstrap[1]));
  return undefined;
}

function anyProjectAllows(ctx: ServerContext, origin: string): boolean {
  return ctx.store.listEnvironments().some((env) => ctx.store.stytchProjects(env).some((project) => originMatches(origin, project.redirectUrls)));
}

export function stytchCors(ctx: ServerContext): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (c.req.method === 'OPTIONS') {
      const headers: Record<string, string> = { vary: 'Origin', 'content-length': '0' };
      if (origin && anyProjectAllows(ctx, origin)) {
        headers['access-control-allow-origin'] = origin;
        headers['access-control-allow-credentials'] = 'true';
        headers['access-control-allow-headers'] = ALLOW_HEADERS;
        headers['access-control-allow-methods'] = ALLOW_METHODS;
        headers['access-control-max-age'] = '600';
      }
      return new Response(null, { status: 204, headers });
    }
    await next();
    varyOrigin(c);
    if (!origin) return;
    let project: StytchProject | undefined;
    try {
      project = projectOf(ctx, c.req.header('authorization'), c.req.path);
    } catch {
      project = undefined;
    }
    const allowed = project ? originMatches(origin, project.redirectUrls) : anyProjectAllows(ctx, origin);
    if (allowed) {
      c.res.headers.set('access-control-allow-origin', origin);
      c.res.headers.set('access-control-allow-credentials', 'true');
    }
  };
}
