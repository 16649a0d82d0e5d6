/**
 * What every control call shares: the `?environment=<id>` parameter (default `default`, unknown → 404)
 * and the `{code, message[, errors]}` error envelope.
 *
 * @example
 * const environmentId = environmentParam(ctx, c);
 * throw badRequest('The next-login override is invalid.', { errors });
 */
import type { Context } from 'hono';
import type { ServerContext } from '../core/context.js';
import { WorkOSApiError } from '../core/errors.js';
import { DEFAULT_ENVIRONMENT } from '../core/store.js';

export const badRequest = (message: string, extra: Record<string, unknown> = {}) => new WorkOSApiError(400, 'invalid_request', message, extra);

export function environmentParam(ctx: ServerContext, c: Context, id: string = c.req.query('environment') || DEFAULT_ENVIRONMENT): string {
  if (!ctx.store.environmentExists(id)) throw new WorkOSApiError(404, 'environment_not_found', `No environment '${id}'.`);
  return id;
}
