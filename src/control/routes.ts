/**
 * The control API under `/_mock/` (PRODUCT.md §4): health, reset, fixtures, export and the next-login
 * queue here; environments, faults, clock and the request journal in their own modules. JSON in and out; errors are `{code, message[, errors]}`. Every call acts on one environment:
 * `?environment=<id>`, default `default`.
 *
 * @example
 * POST /_mock/next-login {"user":"alice@acme.test","impersonator":{"email":"support@acme.test"}} → 201 {"id":"next_login_…"}
 * POST /_mock/fixtures   {"users":[{"email":"new@acme.test"}]}                                 → 200 {"ok":true}
 */
import { Hono } from 'hono';
import { readParams } from '../core/body.js';
import type { ServerContext } from '../core/context.js';
import { FixtureError } from '../core/fixtures.js';
import { NextLoginError, queueNextLogin } from '../core/next-login.js';
import { jsonResponse } from '../core/errors.js';
import { exportEnvironment, seedFixture } from '../core/seed.js';
import { resetEnvironment } from '../core/environments.js';
import { clockRoutes } from './clock.js';
import { badRequest, environmentParam } from './environment-param.js';
import { environmentRoutes } from './environments.js';
import { faultRoutes } from './faults.js';
import { requestRoutes } from './requests.js';

export function controlRoutes(ctx: ServerContext): Hono {
  const app = new Hono();

  const environmentOf = (c: Parameters<typeof environmentParam>[1]) => environmentParam(ctx, c);
  app.route('/', environmentRoutes(ctx));
  app.route('/', faultRoutes(ctx));
  app.route('/', clockRoutes(ctx));
  app.route('/', requestRoutes(ctx));

  const health = () => jsonResponse({ status: 'ok' });
  app.get('/_mock/health', health);
  app.get('/health', health);

  app.post('/_mock/reset', (c) => {
    const environmentId = environmentOf(c);
    resetEnvironment(ctx, environmentId);
    return jsonResponse({ ok: true, environment: environmentId });
  });

  app.post('/_mock/fixtures', async (c) => {
    const environmentId = environmentOf(c);
    const body = await readParams(c, (message) => badRequest(message));
    try {
      seedFixture(ctx.store, environmentId, body, ctx.clock.now(environmentId));
    } catch (error) {
      if (error instanceof FixtureError) throw badRequest('The fixture document is invalid.', { errors: error.problems });
      throw error;
    }
    return jsonResponse({ ok: true, environment: environmentId });
  });

  app.get('/_mock/export', (c) => jsonResponse(exportEnvironment(ctx.store, environmentOf(c))));

  app.get('/_mock/next-login', (c) => jsonResponse({ data: ctx.store.listNextLogins(environmentOf(c)) }));

  app.post('/_mock/next-login', async (c) => {
    const environmentId = environmentOf(c);
    const body = await readParams(c, (message) => badRequest(message));
    let id: string;
    try {
      id = queueNextLogin(ctx, environmentId, body);
    } catch (error) {
      if (error instanceof NextLoginError) throw badRequest(error.message, { errors: error.problems });
      throw error;
    }
    return jsonResponse({ id }, 201);
  });

  app.delete('/_mock/next-login', (c) => jsonResponse({ deleted: ctx.store.clearNextLogins(environmentOf(c)) }));

  return app;
}
