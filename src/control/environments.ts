/**
 * Isolated environments: `POST /_mock/environments` (optional body: a fixture document; default: the
 * start fixtures) creates a world with fresh WorkOS and Stytch credentials; every vendor request is routed
 * by the credentials it carries; `DELETE /_mock/environments/:id` removes it with all its rows.
 *
 * @example
 * POST /_mock/environments → 201 {"id":"env_01…","url":…,"workos":{"client_id","api_key","jwks_url"},"stytch":{…}}
 */
import { Hono } from 'hono';
import type { ServerContext } from '../core/context.js';
import { jsonResponse } from '../core/errors.js';
import { FixtureError } from '../core/fixtures.js';
import { createEnvironment, credentialsOf, deleteEnvironment } from '../core/environments.js';
import { DEFAULT_ENVIRONMENT } from '../core/store.js';
import { readParams } from '../core/body.js';
import { badRequest, environmentParam } from './environment-param.js';

/** What the API returns for an environment: its id and the ready-line facts for its credentials. */
export function environmentJson(ctx: ServerContext, id: string) {
  const { url, workos, stytch } = credentialsOf(ctx, id, '');
  return { id, url, workos, stytch };
}

export function environmentRoutes(ctx: ServerContext): Hono {
  const app = new Hono();

  app.post('/_mock/environments', async (c) => {
    const text = await c.req.text();
    let fixture: unknown;
    if (text.trim() !== '') fixture = await readParams(c, (message) => badRequest(message));
    let id: string;
    try {
      id = await createEnvironment(ctx, fixture);
    } catch (error) {
      if (error instanceof FixtureError) throw badRequest('The fixture document is invalid.', { errors: error.problems });
      throw error;
    }
    return jsonResponse(environmentJson(ctx, id), 201);
  });

  app.get('/_mock/environments', () => jsonResponse({ data: ctx.store.listEnvironments().map((id) => environmentJson(ctx, id)) }));

  app.get('/_mock/environments/:id', (c) => jsonResponse(environmentJson(ctx, environmentParam(ctx, c, c.req.param('id')))));

  app.delete('/_mock/environments/:id', (c) => {
    const id = environmentParam(ctx, c, c.req.param('id'));
    if (id === DEFAULT_ENVIRONMENT) throw badRequest('The default environment cannot be deleted; reset it with POST /_mock/reset.');
    deleteEnvironment(ctx, id);
    return jsonResponse({ deleted: id });
  });

  return app;
}
