/**
 * The pagination query every WorkOS list takes: `limit` (1–100, default 10), `before`, `after`,
 * `order` (`desc` default). Bad values are `422 invalid_request_parameters`, never a 500.
 *
 * @example
 * pageQuery({ limit: '5', order: 'asc' }); // { limit: 5, order: 'asc' }
 */
import { optionalString, type Params } from '../core/body.js';
import { WorkOSApiError } from '../core/errors.js';
import type { PageQuery } from '../core/store.js';

export const invalidParameters = (message: string) => new WorkOSApiError(422, 'invalid_request_parameters', message);

export function pageQuery(query: Params): PageQuery {
  const limitText = optionalString(query, 'limit', invalidParameters, 10);
  let limit: number | undefined;
  if (limitText !== undefined) {
    limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidParameters('limit must be an integer between 1 and 100.');
  }
  const order = optionalString(query, 'order', invalidParameters, 10);
  if (order !== undefined && order !== 'asc' && order !== 'desc' && order !== 'normal') throw invalidParameters("order must be 'asc' or 'desc'.");
  return {
    limit,
    order: order === 'asc' ? 'asc' : 'desc',
    before: optionalString(query, 'before', invalidParameters, 200),
    after: optionalString(query, 'after', invalidParameters, 200),
  };
}
