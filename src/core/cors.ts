/**
 * Shared pieces of the vendors' credentialed CORS (`src/stytch/cors.ts`, `src/workos/cors.ts`): which
 * origins a set of registered redirect URIs admits, and `Vary: Origin` on every response.
 *
 * @example
 * originMatches('http://localhost:5173', ['http://localhost:*']);          // true
 * originMatches('http://localhost:5173', ['http://localhost:3000/callback']); // false
 */
import type { Context } from 'hono';
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
