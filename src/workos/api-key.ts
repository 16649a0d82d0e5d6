/**
 * API-key authentication for WorkOS REST endpoints: `Authorization: Bearer sk_…` names the client and
 * so the environment. Anything else is `401 {"code":"unauthorized"}` (→ `UnauthorizedException`).
 *
 * @example
 * const client = requireApiKey(ctx, c); // throws WorkOSApiError(401) when missing or unknown
 */
import type { Context } from 'hono';
import type { ServerContext } from '../core/context.js';
import { WorkOSApiError } from '../core/errors.js';
import type { WorkOSClient } from '../core/store.js';

export function requireApiKey(ctx: ServerContext, c: Context): WorkOSClient {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S{1,500})$/i.exec(header.trim());
  // The lookup is an indexed equality on the key itself: no secret is compared byte by byte in JS.
  const client = match ? ctx.store.findWorkosClientByApiKey(match[1]) : undefined;
  if (!client) throw new WorkOSApiError(401, 'unauthorized', 'Could not authorize the request. Maybe your API key is invalid?');
  return client;
}
