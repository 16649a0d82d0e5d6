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
import { originMatches, varyOrigin } from '../core/cors.js';
import type { WorkOSClient } from '../core/store.js';

const ALLOW_HEADERS = 'Accept, Authorization, Content-Type';
const ALLOW_METHODS = 'GET, POST, OPTIONS';

/** The paths this middleware is mounted on. */
export const WORKOS_CORS_PATHS = ['/user_management/authenticate', '/sso/jwks/*', '/user_management/sessions/jwks/*'] as const;

function anyClientAllows(ctx: ServerContext, origin: string): boolean {
  return ctx.store.allWorkosClients().some((client) => originMatches(origin, client.redirectUris));
}

/** The `client_id` a request names: the JWKS path, or the (already read, so cached) body of authenticate. */
async function clientIdOf(c: Context): Promise<string | undefined> {
  const jwks = /^\/(?:sso|user_management\/sessions)\/jwks\/([^/]+)$/.exec(c.req.path);
  if (jwks) {
    try {
      return decodeURIComponent(jwks[1]);
    } catch {
      return undefined;
    }
  }
  if (c.req.method !== 'POST') return undefined;
  let text: string;
  try {
    text = await c.req.text();
  } catch {
    return undefined;
  }
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.includes('application/x-www-form-urlencoded')) return new URLSearchParams(text).get('client_id') ?? undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    const clientId = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>).client_id : undefined;
    return typeof clientId === 'string' ? clientId : undefined;
  } catch {
    return undefined;
  }
}

export function workosCors(ctx: ServerContext): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (c.req.method === 'OPTIONS') {
      const headers: Record<string, string> = { vary: 'Origin', 'content-length': '0' };
      if (origin && anyClientAllows(ctx, origin)) {
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
    const clientId = await clientIdOf(c);
    let client: WorkOSClient | undefined;
    try {
      client = clientId === undefined ? undefined : ctx.store.findWorkosClient(clientId);
    } catch {
      client = undefined;
    }
    const allowed = client ? originMatches(origin, client.redirectUris) : anyClientAllows(ctx, origin);
    if (allowed) {
      c.res.headers.set('access-control-allow-origin', origin);
      c.res.headers.set('access-control-allow-credentials', 'true');
    }
  };
}
