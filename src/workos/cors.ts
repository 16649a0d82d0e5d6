/**
 * Credentialed CORS for the WorkOS endpoints a browser calls cross-origin: `POST
 * /user_management/authenticate` (authkit-js exchanges the code and refreshes from the page, with PKCE
 * and no secret) and the JWKS (`/sso/jwks/:client_id`, `/user_management/sessions/jwks/:client_id`), for
 * browser apps that verify access tokens themselves.
 *
 * authkit-js posts `Content-Type: application/json`, so browsers preflight; outside its `devMode`
 * (a page not on localhost / 127.0.0.1) it also sends `credentials: 'include'`, which needs the exact
 * origin (never `*`) and `Access-Control-Allow-Credentials: true`. An origin is allowed when it is the
 * origin of one of the client's registered redirect URIs (hosted AuthKit's "allowed web origins" play
 * that role): the client is the one the request names (`client_id` in the body, or the JWKS path); a
 * preflight carries neither, so it is allowed for an origin registered by any client. Other origins get
 * no CORS headers, which the browser turns into a failed request. Logout is a navigation (or a
 * `no-cors` fetch) and needs none.
 *
 * @example
 * app.use('/user_management/authenticate', workosCors(ctx));
 * // OPTIONS /user_management/authenticate, Origin: http://localhost:5173 → 204 + Access-Control-Allow-Origin: http://localhost:5173
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { ServerContext } from '../core/context.js';
import { credentialedCors, originMatches } from '../core/cors.js';
import { peekParams } from '../core/body.js';
import { clientIdInPath } from '../core/request-environment.js';

/** The paths this middleware is mounted on. */
export const WORKOS_CORS_PATHS = ['/user_management/authenticate', '/sso/jwks/*', '/user_management/sessions/jwks/*'] as const;

/** The `client_id` a request names: the JWKS path, or the (already read, so cached) body of authenticate. */
async function clientIdOf(c: Context): Promise<string | undefined> {
  if (/\/jwks\//.test(c.req.path)) return clientIdInPath(c.req.path);
  const clientId = (await peekParams(c)).client_id;
  return typeof clientId === 'string' ? clientId : undefined;
}

export function workosCors(ctx: ServerContext): MiddlewareHandler {
  const anyAllows = (origin: string) => ctx.store.allWorkosClients().some((client) => originMatches(origin, client.redirectUris));
  return credentialedCors({
    allowHeaders: 'Accept, Authorization, Content-Type',
    allowMethods: 'GET, POST, OPTIONS',
    anyAllows,
    async requestAllows(c, origin) {
      const clientId = await clientIdOf(c);
      const client = clientId === undefined ? undefined : ctx.store.findWorkosClient(clientId);
      return client ? originMatches(origin, client.redirectUris) : anyAllows(origin);
    },
  });
}
