/**
 * The middleware in front of every vendor route: resolves the request's environment, plays an injected
 * HTTP fault when one matches, and records the request in the journal (secrets redacted).
 * Control calls (`/_mock/*` except the login page, `/health`) pass straight through.
 *
 * @example
 * app.use('*', instrumentation(ctx));
 */
import type { Context, MiddlewareHandler, Next } from 'hono';
import type { ServerContext } from './context.js';
import { copyWith } from './copy-with.js';
import { OAuthError, StytchApiError, WorkOSApiError, jsonResponse, vendorOfPath } from './errors.js';
import type { HttpFault } from './faults.js';
import type { JournalEntry } from './journal.js';
import { peekParams } from './body.js';
import { environmentOfRequest } from './request-environment.js';

function vendorOf(path: string): JournalEntry['vendor'] | undefined {
  if (path.startsWith('/_mock/login/')) return 'login_page';
  if (path === '/health' || path.startsWith('/_mock/')) return undefined;
  return vendorOfPath(path);
}

/** The response a fault gives: its own body, or the vendor's error envelope for that endpoint. */
function faultResponse(fault: HttpFault & { status: number }, path: string): Response {
  const headers: Record<string, string> = fault.status === 429 ? { 'retry-after': '1' } : {};
  // These statuses cannot carry a body (the Response constructor throws).
  if (fault.status === 204 || fault.status === 205 || fault.status === 304) return new Response(null, { status: fault.status, headers });
  if (fault.body !== undefined) return jsonResponse(fault.body, fault.status, headers);
  const message = `Injected fault (HTTP ${fault.status}).`;
  let body: Record<string, unknown>;
  if (vendorOfPath(path) === 'stytch') {
    const type = fault.status === 429 ? 'too_many_requests' : fault.status >= 500 ? 'internal_server_error' : fault.status === 401 ? 'unauthorized_credentials' : fault.status === 404 ? 'not_found' : 'bad_request';
    body = new StytchApiError(fault.status, type, message).body();
  } else if (path === '/user_management/authenticate') {
    body = new OAuthError(fault.status, fault.status >= 500 ? 'server_error' : fault.status === 429 ? 'rate_limit_exceeded' : 'invalid_request', message).body();
  } else {
    const code = fault.status === 429 ? 'rate_limit_exceeded' : fault.status >= 500 ? 'server_error' : fault.status === 401 ? 'unauthorized' : fault.status === 404 ? 'entity_not_found' : 'invalid_request';
    body = new WorkOSApiError(fault.status, code, message).body();
  }
  return jsonResponse(body, fault.status, headers);
}

export function instrumentation(ctx: ServerContext): MiddlewareHandler {
  return async (c, next) => {
    const vendor = vendorOf(c.req.path);
    if (!vendor) return next();
    ctx.load.enter();
    try {
      return await instrumented(ctx, c, next, vendor);
    } finally {
      ctx.load.leave();
    }
  };
}

async function instrumented(ctx: ServerContext, c: Context, next: Next, vendor: JournalEntry['vendor']): Promise<Response | void> {
  const started = performance.now();
  const params = await peekParams(c);
  const environmentId = environmentOfRequest(ctx, c, params);
  const fault = ctx.faults.hasHttp(environmentId) ? ctx.faults.matchHttp(environmentId, c.req.method, c.req.path, params) : undefined;
  if (fault?.delay_ms) await new Promise((resolve) => setTimeout(resolve, fault.delay_ms));
  const answer = fault && fault.status !== null ? faultResponse(copyWith(fault, { status: fault.status }), c.req.path) : undefined;
  if (answer) c.res = answer;
  else await next();
  journalRequest(ctx, environmentId, { vendor, method: c.req.method, url: c.req.url, path: c.req.path, status: c.res.status, started, body: params });
  if (answer) return c.res;
}

/**
 * Records an answered vendor request in its environment's journal, at the environment's clock time, with
 * the raw query taken from `url` (a full URL or a path with its query) and the time since `started`
 * (`performance.now()` when the request came in).
 *
 * @example
 * journalRequest(ctx, 'default', { vendor: 'workos', method: 'GET', url: req.url, path: '/sso/jwks/client_1', status: 200, started, body: {} });
 */
export function journalRequest(
  ctx: ServerContext,
  environmentId: string,
  request: { vendor: JournalEntry['vendor']; method: string; url: string; path: string; status: number; started: number; body: unknown },
): void {
  const queryStart = request.url.indexOf('?');
  ctx.journal.record(environmentId, {
    timeMs: ctx.clock.now(environmentId),
    vendor: request.vendor,
    method: request.method,
    path: request.path,
    rawQuery: queryStart === -1 ? '' : request.url.slice(queryStart + 1),
    status: request.status,
    durationMs: performance.now() - request.started,
    body: request.body,
  });
}
