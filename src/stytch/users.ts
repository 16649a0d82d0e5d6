/**
 * `GET /v1/users/:user_id` (Basic `project_id:secret`): the User object with `request_id` and
 * `status_code` at the top level, which is what stytch-node's `client.users.get` returns
 * (`UsersGetResponse` spreads the User's fields). Users are looked up by their Stytch id
 * (`user-test-…`) in the project's environment; anything else is `404 user_not_found`.
 *
 * @example
 * GET /v1/users/user-test-a11ce000-0000-4000-8000-000000000001
 * → {"request_id":"request-id-test-…","user_id":"user-test-a11ce…","emails":[…],…,"status_code":200}
 */
import { Hono } from 'hono';
import type { ServerContext } from '../core/context.js';
import { requireSecret } from './auth.js';
import { userNotFound } from './errors.js';
import { registrationsOf } from './registrations.js';
import { userJson } from './serializers.js';
import { ok } from './sessions.js';

export function userRoutes(ctx: ServerContext): Hono {
  const app = new Hono();
  app.get('/v1/users/:user_id', (c) => {
    const project = requireSecret(ctx, c);
    const userId = c.req.param('user_id');
    const user = ctx.store.getUserByStytchId(project.environmentId, userId);
    if (!user) throw userNotFound(userId.slice(0, 200));
    return ok(userJson(user, registrationsOf(ctx.store, project.environmentId, user.id)));
  });
  return app;
}
