/**
 * The environment's clock: `POST /_mock/clock` with `{"advance_seconds": n}` or `{"now": iso}`; `DELETE`
 * returns to real time; `GET` shows it. Code and token expiry, `iat`/`exp` of new tokens, session expiry
 * and refresh-token lifetime all follow it.
 *
 * @example
 * POST /_mock/clock {"advance_seconds": 660} → {"now":"…","offset_seconds":660}
 */
import { Hono } from 'hono';
import { readParams } from '../core/body.js';
import type { ServerContext } from '../core/context.js';
import { jsonResponse } from '../core/errors.js';
import { schemas } from '../core/validation.js';
import { badRequest, environmentParam } from './environment-param.js';

export function clockJson(ctx: ServerContext, environmentId: string) {
  const offset = ctx.clock.offset(environmentId);
  return { now: new Date(ctx.clock.now(environmentId)).toISOString(), offset_seconds: offset / 1000, real_time: offset === 0 };
}

export function clockRoutes(ctx: ServerContext): Hono {
  const app = new Hono();
  app.get('/_mock/clock', (c) => jsonResponse(clockJson(ctx, environmentParam(ctx, c))));
  app.post('/_mock/clock', async (c) => {
    const environmentId = environmentParam(ctx, c);
    const { parseClock, zodProblems } = schemas();
    const parsed = parseClock(await readParams(c, (message) => badRequest(message)));
    if (!parsed.success) throw badRequest('Give {"advance_seconds": n} or {"now": "<ISO 8601 time>"}.', { errors: zodProblems(parsed.error) });
    if ('advance_seconds' in parsed.data) ctx.clock.advance(environmentId, parsed.data.advance_seconds * 1000);
    else ctx.clock.set(environmentId, Date.parse(parsed.data.now));
    return jsonResponse(clockJson(ctx, environmentId));
  });
  app.delete('/_mock/clock', (c) => {
    const environmentId = environmentParam(ctx, c);
    ctx.clock.reset(environmentId);
    return jsonResponse(clockJson(ctx, environmentId));
  });
  return app;
}
