/**
 * The WorkOS AuthKit vendor: every route module, mounted at the origin root (the SDK drops any path
 * prefix of its base URL), with credentialed CORS on what browsers call (`cors.ts`).
 *
 * @example
 * app.route('/', workosRoutes(ctx, completers.workos));
 */
import { Hono } from 'hono';
import type { ServerContext } from '../core/context.js';
import type { LoginCompleter } from '../core/login.js';
import { authenticateRoutes } from './authenticate.js';
import { authorizeRoutes } from './authorize.js';
import { WORKOS_CORS_PATHS, workosCors } from './cors.js';
import { jwksRoutes } from './jwks.js';
import { sessionRoutes } from './sessions.js';
import { userRoutes } from './users.js';

export { workosCompleter } from './authorize.js';

export function workosRoutes(ctx: ServerContext, completer: LoginCompleter): Hono {
  const app = new Hono();
  for (const path of WORKOS_CORS_PATHS) app.use(path, workosCors(ctx));
  app.route('/', authorizeRoutes(ctx, completer));
  app.route('/', authenticateRoutes(ctx));
  app.route('/', jwksRoutes(ctx));
  app.route('/', sessionRoutes(ctx));
  app.route('/', userRoutes(ctx));
  return app;
}
