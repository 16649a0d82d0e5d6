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
import { clientIdInPath } from '../core/request-environment.js';

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

/** `/sso/jwks/<id>` or `/user_management/sessions/jwks/<id>`, nothing escaped, then an optional query. */
const PLAIN_JWKS_URL = /^\/(?:sso|user_management\/sessions)\/jwks\/[^/?%]+(?:\?|$)/;

/**
 * The plain JWKS GET answered without the app: a known client, no `Origin` (CORS is the app's), no body,
 * no HTTP fault queued in its environment and no group commit open (the app holds answers for it). It is
 * recorded in the request journal as the app's instrumentation would record it.
 */
export function jwksDirectAnswer(ctx: ServerContext): DirectAnswer {
  return (req, res) => {
    const url = req.url ?? '';
    if (req.method !== 'GET' || !PLAIN_JWKS_URL.test(url) || req.headers.origin !== undefined || hasBody(req)) return false;
    const started = performance.now();
    const queryStart = url.indexOf('?');
    const path = queryStart === -1 ? url : url.slice(0, queryStart);
    const client = ctx.store.findWorkosClient(clientIdInPath(path) ?? '');
    if (!client || ctx.faults.hasHttp(client.environmentId) || ctx.store.committed()) return false;
    // `Vary: Origin` as the app's CORS middleware (workos/cors.ts) adds to every JWKS answer.
    sendJson(res, ctx.keys.forEnvironment(client.environmentId).workosJwksBody, { vary: 'Origin' });
    ctx.journal.record(client.environmentId, {
      timeMs: ctx.clock.now(client.environmentId),
      vendor: 'workos',
      method: 'GET',
      path,
      rawQuery: queryStart === -1 ? '' : url.slice(queryStart + 1),
      status: 200,
      durationMs: performance.now() - started,
      body: {},
    });
    return true;
  };
}
