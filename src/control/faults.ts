/**
 * Fault injection: `POST /_mock/faults` queues an HTTP fault (`{method?, path, status?, body?, count?,
 * delay_ms?, when?: {grant_type?}}`) or a token fault (`{token: "expired"|"bad_signature"|"unknown_kid"|
 * "wrong_issuer", count?}`); `GET` lists the pending ones; `DELETE` clears them.
 *
 * @example
 * POST /_mock/faults {"path":"/user_management/authenticate","status":503,"count":4,"when":{"grant_type":"refresh_token"}}
 */
import { Hono } from 'hono';
import { readParams } from '../core/body.js';
import type { ServerContext } from '../core/context.js';
import { jsonResponse } from '../core/errors.js';
import { schemas } from '../core/validation.js';
import { badRequest, environmentParam } from './environment-param.js';

export function faultRoutes(ctx: ServerContext): Hono {
  const app = new Hono();
  app.post('/_mock/faults', async (c) => {
    const environmentId = environmentParam(ctx, c);
    const { parseFault, zodProblems } = schemas();
    const parsed = parseFault(await readParams(c, (message) => badRequest(message)));
    if (!parsed.success) throw badRequest('The fault is invalid: give {path, status?, body?, count?, delay_ms?, method?, when?} or {token, count?}.', { errors: zodProblems(parsed.error) });
    return jsonResponse(ctx.faults.add(environmentId, parsed.data), 201);
  });
  app.get('/_mock/faults', (c) => jsonResponse({ data: ctx.faults.list(environmentParam(ctx, c)) }));
  app.delete('/_mock/faults', (c) => jsonResponse({ deleted: ctx.faults.clear(environmentParam(ctx, c)) }));
  return app;
}
