/**
 * `grant_type=refresh_token`: rotates a refresh token for a new access token.
 *
 * Every refresh token works once ("Refresh token already exchanged." after, as production answers);
 * a revoked or logged-out session stays dead. `organization_id` switches the session's organization
 * only for an active member; asking for the session's current organization is a no-op (AuthKit's
 * Next.js and browser SDKs send the current `org_id` on every refresh).
 *
 * @example
 * {"grant_type":"refresh_token","client_id":"client_…","client_secret":"sk_…","refresh_token":"…","organization_id":"org_…"}
 */
import type { Params } from '../../core/body.js';
import { optionalString, requiredString } from '../../core/body.js';
import type { ServerContext } from '../../core/context.js';
import { OAuthError } from '../../core/errors.js';
import { secretKeys } from '../../core/ids.js';
import { authenticationResponse, issueRefreshToken } from '../tokens.js';
import { authenticateClient, invalidRequest } from './client-auth.js';

export async function refreshTokenGrant(ctx: ServerContext, params: Params) {
  const { client } = authenticateClient(ctx, params);
  const token = requiredString(params, 'refresh_token', invalidRequest, 500);
  const organizationId = optionalString(params, 'organization_id', invalidRequest, 200);
  const grantError = (message: string) => new OAuthError(400, 'invalid_grant', message);

  const keys = secretKeys(token);
  const now = ctx.clock.now(client.environmentId);
  // Check and rotate in one transaction (one commit, no separate read locks): the old token dies exactly
  // when the new one is stored.
  const { current, user, refreshToken } = ctx.store.transaction(() => {
    const stored = ctx.store.findRefreshToken(keys);
    if (!stored || stored.environmentId !== client.environmentId || stored.clientId !== client.clientId) throw grantError('Invalid refresh token.');
    if (stored.usedAt !== null) throw grantError('Refresh token already exchanged.');
    if (stored.expiresAt <= now) throw grantError('Refresh token has expired.');
    const session = ctx.store.getSession(stored.sessionId);
    if (!session || session.status !== 'active') throw grantError('Session has already ended.');
    if (session.expiresAt <= now) throw grantError('Session has expired.');
    const user = ctx.store.getUser(session.environmentId, session.userId);
    if (!user) throw grantError('Invalid refresh token.');
    const switching = organizationId !== undefined && organizationId !== session.organizationId;
    if (switching) {
      const membership = ctx.store.getMembership(session.environmentId, user.id, organizationId);
      if (!membership || membership.status !== 'active')
        throw new OAuthError(400, 'organization_membership_not_found', `The user is not a member of organization '${organizationId}'.`);
    }
    if (!ctx.store.consumeRefreshToken(keys, now)) throw grantError('Refresh token already exchanged.');
    if (switching) ctx.store.updateSession(session.id, { organizationId }, now);
    const current = switching ? ctx.store.getSession(session.id)! : session;
    return { current, user, refreshToken: issueRefreshToken(ctx, current, client.clientId) };
  });
  return authenticationResponse(ctx, current, user, { refreshToken });
}
