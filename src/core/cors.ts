/**
 * Credentialed CORS, shared by both vendors (`src/stytch/cors.ts`, `src/workos/cors.ts` say which
 * origins each admits): which origins a set of registered redirect URIs admits, the preflight answer,
 * and the exact-origin headers (never `*`, which browsers refuse with credentials) on the response.
 *
 * @example
 * originMatches('http://localhost:5173', ['http://localhost:*']);          // true
 * originMatches('http://localhost:5173', ['http://localhost:3000/callback']); // false
 */
import type { HttpBindings } from '@hono/node-server';
import type { Context, MiddlewareHandler } from 'hono';
import { isRegisteredRedirect } from './redirect-uris.js';

/** True when `origin` (`scheme://host[:port]`) is the origin of one of `patterns`. */
export function originMatches(origin: string, patterns: readonly string[]): boolean {
  if (!/^https?:\/\/[^/?#\s@]+$/i.test(origin)) return false;
  for (const pattern of patterns) {
    const match = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)/i.exec(pattern);
    // A pattern reduced to its origin admits every path, so this asks "same origin?" (with * wildcards).
    if (match && isRegisteredRedirect(`${origin}/`, [match[1]])) return true;
  }
  return false;
}

/**
 * Adds headers to the answer. Served over HTTP, they go on Node's response before it is written (Node
 * merges them with the web Response's own): reading `c.res.headers` instead would turn @hono/node-server's
 * lightweight Response into a full one, ~13 µs on every vendor request. Without Node (`app.request()`),
 * they go on `c.res`, copying it once when its headers are immutable (as a `Response.redirect()`'s are).
 */
function addHeaders(c: Context, headers: Record<string, string>): void {
  const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
  if (outgoing && !outgoing.headersSent) {
    for (const [name, value] of Object.entries(headers)) outgoing.setHeader(name, value);
    return;
  }
  const setOnResponse = () => {
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
  try {
    setOnResponse();
  } catch {
    c.res = new Response(c.res.body, c.res);
    setOnResponse();
  }
}

/** What a vendor tells {@link credentialedCors}. */
export interface CorsPolicy {
  allowHeaders: string;
  allowMethods: string;
  /** Preflights name no client or project: an origin registered by any of them passes. */
  anyAllows(origin: string): boolean;
  /** After the handler: does the client or project this request names admit `origin`? */
  requestAllows(c: Context, origin: string): boolean | Promise<boolean>;
}

/** The middleware: answers preflights, adds `Vary: Origin`, and allows the origins the policy admits. */
export function credentialedCors(policy: CorsPolicy): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (c.req.method === 'OPTIONS') {
      const headers: Record<string, string> = { vary: 'Origin', 'content-length': '0' };
      if (origin && policy.anyAllows(origin)) {
        headers['access-control-allow-origin'] = origin;
        headers['access-control-allow-credentials'] = 'true';
        headers['access-control-allow-headers'] = policy.allowHeaders;
        headers['access-control-allow-methods'] = policy.allowMethods;
        headers['access-control-max-age'] = '600';
      }
      return new Response(null, { status: 204, headers });
    }
    await next();
    let allowed = false;
    if (origin) {
      try {
        allowed = await policy.requestAllows(c, origin);
      } catch {
        // A policy that cannot decide admits nothing.
      }
    }
    addHeaders(c, allowed ? { vary: 'Origin', 'access-control-allow-origin': origin!, 'access-control-allow-credentials': 'true' } : { vary: 'Origin' });
  };
}
