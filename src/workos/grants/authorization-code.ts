/**
 * `grant_type=authorization_code`: redeems a code from authorize for a session.
 *
 * The code is single-use (consumed by one conditional UPDATE, so of racing redemptions exactly one
 * wins), expires after 10 minutes, and is bound to its client, its redirect URI (when the body repeats
 * it) and its PKCE challenge. A client without a secret must prove PKCE. Every failure is
 * `400 {"error":"invalid_grant"}` with production's message, except a missing verifier (`invalid_request`).
 *
 * @example
 * {"grant_type":"authorization_code","client_id":"client_…","client_secret":"sk_…","code":"01J…","code_verifier":"…"}
 */
import type { Params } from '../../core/body.js';
import { optionalString, requiredString } from '../../core/body.js';
import type { ServerContext } from '../../core/context.js';
import { copyWith } from '../../core/copy-with.js';
import { OAuthError } from '../../core/errors.js';
import { s256, safeEqual, secretKeys } from '../../core/ids.js';
import { authenticationResponse, issueRefreshToken, openSession } from '../tokens.js';
import { authenticateClient, invalidRequest } from './client-auth.js';

export async function authorizationCodeGrant(ctx: ServerContext, params: Params, request: { ipAddress: string | null; userAgent: string | null }) {
  const { client, confidential } = authenticateClient(ctx, params);
  const code = requiredString(params, 'code', invalidRequest, 500);
  const verifier = optionalString(params, 'code_verifier', invalidRequest, 500);
  const redirectUri = optionalString(params, 'redirect_uri', invalidRequest, 2000);
  const invalid = () => new OAuthError(400, 'invalid_grant', `The code '${code}' has expired or is invalid.`);

  const keys = secretKeys(code);
  const now = ctx.clock.now(client.environmentId);
  // Check and redeem the code, open the session and issue its refresh token in one transaction: one
  // commit and no separate read locks, and a crash can never leave a used code without its session.
  const { stored, user, session, refreshToken } = ctx.store.transaction(() => {
    const stored = ctx.store.findAuthorizationCode(keys);
    if (!stored || stored.environmentId !== client.environmentId || stored.clientId !== client.clientId) throw invalid();
    if (stored.usedAt !== null || stored.expiresAt <= now) throw invalid();
    if (redirectUri !== undefined && redirectUri !== stored.redirectUri) throw invalid();
    if (stored.codeChallenge) {
      if (verifier === undefined) throw invalidRequest('code_verifier is required.');
      const computed = stored.codeChallengeMethod === 'S256' ? s256(verifier) : verifier;
      if (!safeEqual(computed, stored.codeChallenge)) throw invalid();
    } else if (!confidential) {
      throw new OAuthError(400, 'invalid_client', 'client_secret is required when the authorization request had no code_challenge.');
    }
    const user = ctx.store.getUser(stored.environmentId, stored.userId);
    if (!user) throw invalid();
    if (!ctx.store.consumeAuthorizationCode(keys, now)) throw invalid();
    const session = openSession(ctx, {
      environmentId: stored.environmentId,
      clientId: client.clientId,
      user,
      organizationId: stored.organizationId,
      details: stored.details,
      ...request,
    });
    return { stored, user, session, refreshToken: issueRefreshToken(ctx, session, client.clientId) };
  });
  return authenticationResponse(ctx, session, copyWith(user, { lastSignInAt: session.createdAt }), { oauth: stored.details.oauth, refreshToken });
}
