/**
 * WorkOS sessions, access tokens and refresh tokens, and the authenticate response built from them.
 *
 * Access token claims follow the documented example (workos.com/docs/reference/authkit/session-tokens):
 * `iss sub [act] [org_id role roles permissions] sid jti exp iat`, RS256 with the stored key's kid, no `aud`.
 *
 * @example
 * const session = openSession(ctx, { environmentId, clientId, user, organizationId, details, request });
 * return c.json(await authenticationResponse(ctx, session, copyWith(user, { lastSignInAt: session.createdAt }), { oauth: details.oauth, refreshToken }));
 */
import { workosIssuer, type ServerContext } from '../core/context.js';
import { signToken } from '../core/token-signing.js';
import type { OAuthTokens } from '../core/fixtures.js';
import { secretKeys, timeOrderedSecret, ulid, workosId } from '../core/ids.js';
import type { GrantDetails, Session, User } from '../core/store.js';
import { userJson } from './serializers.js';

/** Issues a refresh token for `session` (rotation: callers have already consumed the previous one). */
export function issueRefreshToken(ctx: ServerContext, session: Session, clientId: string): string {
  const now = ctx.clock.now(session.environmentId);
  const token = timeOrderedSecret(now);
  ctx.store.createRefreshToken(secretKeys(token).key, { environmentId: session.environmentId, sessionId: session.id, clientId, expiresAt: session.expiresAt }, now);
  return token;
}

/** Starts a WorkOS session for a completed login. */
export function openSession(
  ctx: ServerContext,
  input: { environmentId: string; clientId: string; user: User; organizationId: string | null; details: GrantDetails; ipAddress?: string | null; userAgent?: string | null },
): Session {
  const now = ctx.clock.now(input.environmentId);
  // One literal with every field (not a spread of a partial one afterwards; see copy-with.ts).
  const session: Session = {
    id: workosId('session', now),
    environmentId: input.environmentId,
    vendor: 'workos',
    audience: input.clientId,
    userId: input.user.id,
    organizationId: input.organizationId,
    authenticationMethod: input.details.authenticationMethod,
    impersonator: input.details.impersonator,
    details: {},
    ipAddress: input.ipAddress ?? null,
    userAgent: input.userAgent ?? null,
    status: 'active',
    createdAt: now,
    updatedAt: now,
    expiresAt: now + ctx.options.sessionTtlSeconds * 1000,
    endedAt: null,
  };
  ctx.store.createSession(session);
  ctx.store.recordSignIn(input.environmentId, input.user.id, now);
  return session;
}

/** Signs the access token of `session` (org claims from the user's membership in the session's org). */
export async function signAccessToken(ctx: ServerContext, session: Session): Promise<string> {
  const iat = ctx.clock.nowSeconds(session.environmentId);
  const claims: Record<string, unknown> = { iss: workosIssuer(ctx), sub: session.userId };
  if (session.impersonator) claims.act = { sub: session.impersonator.email };
  if (session.organizationId) {
    claims.org_id = session.organizationId;
    const membership = ctx.store.getMembership(session.environmentId, session.userId, session.organizationId);
    if (membership) {
      claims.role = membership.role;
      claims.roles = [membership.role];
      claims.permissions = membership.permissions;
    }
  }
  claims.sid = session.id;
  claims.jti = ulid(iat * 1000);
  claims.exp = iat + ctx.options.accessTokenTtlSeconds;
  claims.iat = iat;
  return signToken(ctx, session.environmentId, claims, 'workos');
}

/**
 * The `POST /user_management/authenticate` success body. `impersonator` and `oauth_tokens` appear only
 * when the login carried them (the SDK treats absent and null alike; absent keeps the body minimal).
 * `user` is rendered as given: after a sign-in, pass it with `lastSignInAt` set.
 */
export async function authenticationResponse(ctx: ServerContext, session: Session, user: User, extra: { oauth?: OAuthTokens | null; refreshToken: string }) {
  const body: Record<string, unknown> = {
    user: userJson(user),
    organization_id: session.organizationId,
    access_token: await signAccessToken(ctx, session),
    refresh_token: extra.refreshToken,
    authentication_method: session.authenticationMethod,
  };
  if (session.impersonator) body.impersonator = { email: session.impersonator.email, reason: session.impersonator.reason ?? null };
  if (extra.oauth) {
    const oauth = extra.oauth;
    body.oauth_tokens = { provider: oauth.provider, access_token: oauth.access_token, refresh_token: oauth.refresh_token ?? null, expires_at: oauth.expires_at ?? null, scopes: oauth.scopes ?? [] };
  }
  return body;
}
