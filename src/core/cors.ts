/**
 * Credentialed CORS, shared by both vendors (`src/stytch/cors.ts`, `src/workos/cors.ts` say which
 * origins each admits): which origins a set of registered redirect URIs admits, the preflight answer,
 * and the exact-origin headers (never `*`, which browsers refuse with credentials) on the response.
 *
 * @example
 * originMatches('http://localhost:5173', ['http://localhost:*']);          // true
 * originMatches('http://localhost:5173', ['http://localhost:3000/callback']); // false
 */
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

/** Appends `Vary: Origin` to the response (copying it once when its headers are immutable, as a `Response.redirect()`'s are). */
export function varyOrigin(c: Context): void {
  try {
    c.res.headers.append('vary', 'Origin');
  } catch {
    c.res = new Response(c.res.body, c.res);
    c.res.headers.append('vary', 'Origin');
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
    varyOrigin(c);
    if (!origin) return;
    let allowed: boolean;
    try {
      allowed = await policy.requestAllows(c, origin);
    } catch {
      allowed = false;
    }
    if (allowed) {
      c.res.headers.set('access-control-allow-origin', origin);
      c.res.headers.set('access-control-allow-credentials', 'true');
    }
  };
}
