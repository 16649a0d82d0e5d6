/**
 * The request-size limit, without touching the body stream when `Content-Length` already tells the
 * size: Hono's `bodyLimit` reads `c.req.raw.body`, which makes @hono/node-server build a full web
 * `Request` and stream for every POST; the length header lets the body be read later straight from
 * Node's socket. Chunked bodies (no length) still go through Hono's counting reader.
 *
 * @example
 * app.use('*', requestSizeLimit(512 * 1024, (c) => tooLarge(c.req.path)));
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

export function requestSizeLimit(maxBytes: number, onTooLarge: (c: Context) => Response): MiddlewareHandler {
  const counting = bodyLimit({ maxSize: maxBytes, onError: onTooLarge });
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      const bytes = Number(length);
      return Number.isSafeInteger(bytes) && bytes >= 0 && bytes <= maxBytes ? next() : onTooLarge(c);
    }
    return counting(c, next);
  };
}
