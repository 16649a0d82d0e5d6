/**
 * The middleware that keeps the promise "nothing is answered before it is stored" under group commit
 * (group-commit.ts): a response that is ready while the turn's writes are still uncommitted waits for
 * their commit. If the commit fails, the request fails with it (the app's error handler answers).
 *
 * @example
 * app.use('*', durableResponses(store));
 */
import type { MiddlewareHandler } from 'hono';
import type { Store } from './store.js';

export function durableResponses(store: Store): MiddlewareHandler {
  return async (_c, next) => {
    await next();
    const pending = store.committed();
    if (pending) await pending;
  };
}
