/**
 * Client authentication on `POST /user_management/authenticate`: the client must exist, and a
 * `client_secret`, when sent, must be that client's API key (compared in constant time). Public clients
 * (authkit-js, PKCE apps) send none; the grant then decides whether that is enough.
 *
 * @example
 * const { client, confidential } = authenticateClient(ctx, params);
 */
import type { Params } from '../../core/body.js';
import { optionalString, requiredString } from '../../core/body.js';
import type { ServerContext } from '../../core/context.js';
import { OAuthError } from '../../core/errors.js';
import { safeEqual } from '../../core/ids.js';
import type { WorkOSClient } from '../../core/store.js';

/** Missing or malformed parameters on authenticate: `400 invalid_request` (→ `OauthException`). */
export const invalidRequest = (message: string) => new OAuthError(400, 'invalid_request', message);

export function authenticateClient(ctx: ServerContext, params: Params): { client: WorkOSClient; confidential: boolean } {
  const clientId = requiredString(params, 'client_id', invalidRequest, 200);
  const client = ctx.store.findWorkosClient(clientId);
  if (!client) throw new OAuthError(400, 'invalid_client', `Invalid client ID '${clientId}'.`);
  const secret = optionalString(params, 'client_secret', invalidRequest, 500);
  if (secret !== undefined && !safeEqual(secret, client.apiKey)) throw new OAuthError(400, 'invalid_client', 'Invalid client secret.');
  return { client, confidential: secret !== undefined };
}
