/**
 * Errors for browser-facing endpoints (authorize, OAuth start, logout) that cannot redirect back because
 * the redirect target itself is unknown or unregistered: an escaped HTML page for browsers, the vendor's
 * JSON for everything else. Never a redirect.
 *
 * @example
 * return browserError(c, new WorkOSApiError(400, 'invalid_redirect_uri', 'redirect_uri is not registered.'));
 */
import type { Context } from 'hono';
import { renderErrorPage } from './login-page.js';
import { jsonResponse, type ApiError } from '../core/errors.js';

/** True when the client prefers HTML (a browser navigation). */
export function wantsHtml(c: Context): boolean {
  const accept = c.req.header('accept') ?? '';
  return accept.includes('text/html');
}

/** Renders `error` as an HTML page for browsers or as its JSON envelope otherwise. */
export function browserError(c: Context, error: ApiError, title = 'This sign-in request cannot continue'): Response {
  if (wantsHtml(c)) {
    return new Response(renderErrorPage(title, error.message, error.status), {
      status: error.status,
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    });
  }
  return jsonResponse(error.body(), error.status);
}

/**
 * A 302 to `location` that is never cached. Non-ASCII characters (a registered URI may have them in
 * its path or query) are percent-encoded as UTF-8, as a browser would: header values are bytes, and
 * `Response` refuses anything above U+00FF (a 500 otherwise).
 *
 * @example
 * redirect('http://localhost:3000/café?code=x'); // Location: http://localhost:3000/caf%C3%A9?code=x
 */
export function redirect(location: string): Response {
  const ascii = location.replace(/[^\x00-\x7f]+/g, (run) => [...Buffer.from(run, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
  // An explicit empty length: without one, Node frames the empty body as chunked (a terminating chunk
  // that every client must parse).
  return new Response(null, { status: 302, headers: { location: ascii, 'cache-control': 'no-store', 'content-length': '0' } });
}
