/**
 * What every request passes through before its route, as one middleware: the HEAD guard, the body-size
 * limit (body-limit.ts), the vendor instrumentation (instrumentation.ts: environment, injected faults,
 * journal), and durable responses.
 *
 * Durable responses keep the promise "nothing is answered before it is stored" under group commit
 * (group-commit.ts): a response that is ready while the turn's writes are still uncommitted waits for
 * their commit; if the commit fails, the request fails with it (the app's error handler answers).
 *
 * One middleware rather than four: each Hono middleware layer is another dispatch and another awaited
 * promise on both requests of a login; as one, a few percent more logins go through at 16 clients
 * (paired A/B runs of the benchmark's code flow).
 *
 * @example
 * app.use('*', requestPipeline(ctx, { maxBodyBytes: 512 * 1024, onTooLarge, headAnswersOnly: ['/user_management/authorize'] }));
 */
import type { Context, MiddlewareHandler } from 'hono';
import { requestSizeLimit } from './body-limit.js';
import type { ServerContext } from './context.js';
import { instrumentation } from './instrumentation.js';

export interface RequestPipelineOptions {
  /** Bodies above this are answered by `onTooLarge`. */
  maxBodyBytes: number;
  onTooLarge: (c: Context) => Response;
  /**
   * Paths (Hono patterns with `:param` segments) whose HEAD request gets an empty 200 and nothing else:
   * Hono answers HEAD with the GET handler, and on these a HEAD (link previews, health probes) must not
   * take a queued login, issue a code or end a session.
   */
  headAnswersOnly: string[];
}

export function requestPipeline(ctx: ServerContext, options: RequestPipelineOptions): MiddlewareHandler {
  const sizeLimit = requestSizeLimit(options.maxBodyBytes, options.onTooLarge);
  const instrument = instrumentation(ctx);
  const headOnly = new RegExp(`^(?:${options.headAnswersOnly.map((path) => path.replace(/:[A-Za-z_]\w*/g, '[^/]+')).join('|')})$`);
  return async (c, next) => {
    if (c.req.method === 'HEAD' && headOnly.test(c.req.path)) return c.body(null, 200);
    // An injected fault's answer comes back from `instrument`; handing it on lets Hono set it as `c.res`
    // (`next` is typed as returning nothing, which is all Hono's own `next` returns).
    const answer = await sizeLimit(c, () => instrument(c, next) as Promise<void>);
    const pending = ctx.store.committed();
    if (pending) await pending;
    return answer;
  };
}
