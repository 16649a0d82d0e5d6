/**
 * `GET /sso/jwks/:client_id` — the key set `@workos-inc/node` builds with `getJwksUrl()` and hands to
 * jose's `createRemoteJWKSet` (which needs exactly 200 + JSON). The body is serialised once at start.
 * workos/emulate's alias `/user_management/sessions/jwks/:client_id` is served too.
 *
 * The same answer also goes out directly, ahead of Hono (`jwksDirectAnswer`, see core/direct-answers.ts):
 * an app's verifier and the SDK fetch it on every cold start and key refresh.
 *
 * @example
 * GET /sso/jwks/client_01… → 200 {"keys":[{"alg":"RS256","kty":"RSA","use":"sig","kid":"sso_oidc_key_pair_…","n":"…","e":"AQAB"}]}
 */
import { Hono } from 'hono';
import type { ServerContext } from '../core/context.js';
import { hasBody, sendJson, type DirectAnswer } from '../core/direct-answers.js';
import { WorkOSApiError } from '../core/errors.js';
import { journalRequest } from '../core/instrumentation.js';
import { clientIdInPath } from '../core/request-environment.js';

/** The key set of a known client's environment (the JSON text made at start), or undefined. */
function jwksOfClient(ctx: ServerContext, clientId: string): { environmentId: string; body: string } | undefined {
  const client = ctx.store.findWorkosClient(clientId);
  return client && { environmentId: client.environmentId, body: ctx.keys.forEnvironment(client.environmentId).workosJwksBody };
}

export function jwksRoutes(ctx: ServerContext): Hono {
  const app = new Hono();
  const handler = (clientId: string) => {
    const jwks = jwksOfClient(ctx, clientId);
    if (!jwks) throw new WorkOSApiError(404, 'entity_not_found', `Client not found: '${clientId}'.`, { entity_id: clientId });
    return new Response(jwks.body, { status: 200, headers: { 'content-type': 'application/json' } });
  };
  app.get('/sso/jwks/:client_id', (c) => handler(c.req.param('client_id')));
  app.get('/user_management/sessions/jwks/:client_id', (c) => handler(c.req.param('client_id')));
  return app;
}

/**
 * The plain JWKS GET answered without the app: a JWKS path with nothing escaped, of a known client, no
 * `Origin` (CORS is the app's), no body, no HTTP fault queued in its environment and no group commit open
 * (the app holds answers for it). It is journaled as the app's instrumentation journals it.
 */
export function jwksDirectAnswer(ctx: ServerContext): DirectAnswer {
  return (req, res) => {
    if (req.method !== 'GET' || req.headers.origin !== undefined) return false;
    const url = req.url ?? '';
    const queryStart = url.indexOf('?');
    const path = queryStart === -1 ? url : url.slice(0, queryStart);
    const clientId = path.includes('%') ? undefined : clientIdInPath(path);
    if (clientId === undefined || hasBody(req)) return false;
    const started = performance.now();
    const jwks = jwksOfClient(ctx, clientId);
    if (!jwks || ctx.faults.hasHttp(jwks.environmentId) || ctx.store.committed()) return false;
    // `Vary: Origin` as the app's CORS middleware (workos/cors.ts) adds to every JWKS answer.
    sendJson(res, jwks.body, { vary: 'Origin' });
    journalRequest(ctx, jwks.environmentId, { vendor: 'workos', method: 'GET', url, path, status: 200, started, body: {} });
    return true;
  };
}
