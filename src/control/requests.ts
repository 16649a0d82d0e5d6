/**
 * The request journal: `GET /_mock/requests?path=&method=&since=&limit=` lists the environment's recent
 * vendor requests, newest last, secrets redacted; `DELETE` clears it.
 *
 * @example
 * GET /_mock/requests?path=/user_management/authenticate → {"data":[{"id":3,"method":"POST","status":200,…}]}
 */
import { Hono } from 'hono';
import type { ServerContext } from '../core/context.js';
import { jsonResponse } from '../core/errors.js';
import { badRequest, environmentParam } from './environment-param.js';

export function requestRoutes(ctx: ServerContext): Hono {
  const app = new Hono();
  app.get('/_mock/requests', (c) => {
    const environmentId = environmentParam(ctx, c);
    const limitText = c.req.query('limit');
    const limit = limitText === undefined ? undefined : Number(limitText);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw badRequest('limit must be a positive integer.');
    const since = c.req.query('since');
    if (since !== undefined && !/^\d+$/.test(since) && Number.isNaN(Date.parse(since))) throw badRequest('since must be an entry id or an ISO 8601 time.');
    return jsonResponse({ data: ctx.journal.list(environmentId, { path: c.req.query('path'), method: c.req.query('method'), since, limit }) });
  });
  app.delete('/_mock/requests', (c) => jsonResponse({ deleted: ctx.journal.clear(environmentParam(ctx, c)) }));
  return app;
}
