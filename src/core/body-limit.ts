/**
 * The request-size limit, without touching the body stream when `Content-Length` already tells the
 * size: Hono's `bodyLimit` reads `c.req.raw.body`, which makes @hono/node-server build a full web
 * `Request` and stream for every POST; the length header lets the body be read later straight from
 * Node's socket. Chunked bodies (no length) still go through Hono's counting reader.
 *
 * @example
 * const sizeLimit = requestSizeLimit(512 * 1024, (c) => tooLarge(c.req.path));
 * app.use('*', sizeLimit);
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

export function requestSizeLimit(maxBytes: number, onTooLarge: (c: Context) => Response): MiddlewareHandler {
  const counting = bodyLimit({ maxSize: maxBytes, onError: onTooLarge });
  // Not async: the common case hands back next()'s promise as it is (request-pipeline.ts counts layers).
  return (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      const bytes = Number(length);
      return Number.isSafeInteger(bytes) && bytes >= 0 && bytes <= maxBytes ? next() : Promise.resolve(onTooLarge(c));
    }
    return counting(c, next);
  };
}
