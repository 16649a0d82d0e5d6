/**
 * `GET /sso/jwks/:client_id` — the key set `@workos-inc/node` builds with `getJwksUrl()` and hands to
 * jose's `createRemoteJWKSet` (which needs exactly 200 + JSON). The body is serialised once at start.
 * workos/emulate's alias `/user_management/sessions/jwks/:client_id` is served too.
 *
 * @example
 * GET /sso/jwks/client_01… → 200 {"keys":[{"alg":"RS256","kty":"RSA","use":"sig","kid":"sso_oidc_key_pair_…","n":"…","e":"AQAB"}]}
 */
import { Hono } from 'hono';
import type { ServerContext } from '../core/context.js';
import { WorkOSApiError } from '../core/errors.js';

export function jwksRoutes(ctx: ServerContext): Hono {
  const app = new Hono();
  const handler = (clientId: string) => {
    const client = ctx.store.findWorkosClient(clientId);
    if (!client) throw new WorkOSApiError(404, 'entity_not_found', `Client not found: '${clientId}'.`, { entity_id: clientId });
    return new Response(ctx.keys.forEnvironment(client.environmentId).workosJwksBody, { status: 200, headers: { 'content-type': 'application/json' } });
  };
  app.get('/sso/jwks/:client_id', (c) => handler(c.req.param('client_id')));
  app.get('/user_management/sessions/jwks/:client_id', (c) => handler(c.req.param('client_id')));
  return app;
}
