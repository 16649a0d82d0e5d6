/**
 * Stytch sessions on top of the shared `sessions` table: opening one for a login, adding a factor to an
 * existing one, refreshing one on authenticate, and finding one by its token or JWT.
 *
 * A Stytch session row has `vendor = 'stytch'`, `audience` = the project id, `user_id` = the user's
 * internal id, `token_hash` = SHA-256 of its `session_token` (see `ids.ts`), `impersonator` = the login's
 * impersonator (kept, not shown on the wire), and in `details` the start/last-access times, the OAuth
 * factors and the custom claims. A session is alive while it is active, unexpired, and of the project
 * asking; anything else is `404 session_not_found`, as Stytch answers for unknown or revoked sessions.
 *
 * @example
 * const session = openSession(ctx, { project, user, factor, minutes: 60, impersonator: null });
 * const parts = await sessionParts(ctx, project, session, user); // {session, session_token, session_jwt}
 */
import type { ServerContext } from '../core/context.js';
import { copyWith } from '../core/copy-with.js';
import type { Impersonator } from '../core/fixtures.js';
import { hashToken, stytchId } from '../core/ids.js';
import type { Session, StytchProject, User } from '../core/store.js';
import { sessionNotFound } from './errors.js';
import { sessionToken } from './ids.js';
import { mergeClaims } from './params.js';
import { detailsOf, sessionJson, type StoredFactor, type StytchSessionDetails } from './serializers.js';
import { signSessionJwt, stytchIssuer, verifySessionJwt } from './session-jwt.js';

const detailsRecord = (details: StytchSessionDetails) => details as unknown as Record<string, unknown>;

/** True when `session` is a live Stytch session of `project`. */
export function isLive(ctx: ServerContext, project: StytchProject, session: Session | undefined): session is Session {
  return (
    session !== undefined &&
    session.vendor === 'stytch' &&
    session.audience === project.projectId &&
    session.environmentId === project.environmentId &&
    session.status === 'active' &&
    session.expiresAt > ctx.clock.now(project.environmentId)
  );
}

/** The live session of `project` with this `session_token`, or undefined. */
export function findByToken(ctx: ServerContext, project: StytchProject, token: string): Session | undefined {
  const session = ctx.store.findSessionByToken(hashToken(token));
  return isLive(ctx, project, session) ? session : undefined;
}

/**
 * The live session of `project` a session JWT names (expired JWTs included), or undefined; a JWT that
 * does not parse or verify throws `401 unable_to_parse_session_jwt`.
 */
export function findByJwt(ctx: ServerContext, project: StytchProject, jwt: string): Session | undefined {
  const claims = verifySessionJwt(ctx, project.environmentId, jwt);
  if (!claims.audiences.includes(project.projectId) || claims.issuer !== stytchIssuer(project.projectId)) return undefined;
  const session = ctx.store.getSession(claims.sessionId);
  return isLive(ctx, project, session) ? session : undefined;
}

/** The session a request names by `session_token` or `session_jwt`; `404 session_not_found` when it is not live. */
export function requireSession(ctx: ServerContext, project: StytchProject, args: { sessionToken?: string; sessionJwt?: string }): Session {
  const session = args.sessionToken !== undefined ? findByToken(ctx, project, args.sessionToken) : args.sessionJwt !== undefined ? findByJwt(ctx, project, args.sessionJwt) : undefined;
  if (!session) throw sessionNotFound();
  return session;
}

/** The factor a login through `provider` adds, stamped now. */
export function newFactor(input: { provider: string; registrationId: string; providerSubject: string; emailId: string }, now: number): StoredFactor {
  return copyWith(input, { createdAt: now, updatedAt: now, lastAuthenticatedAt: now });
}

/** Opens a session of `minutes` for a completed login. */
export function openSession(
  ctx: ServerContext,
  input: {
    project: StytchProject;
    user: User;
    factor: StoredFactor;
    minutes: number;
    impersonator: Impersonator | null;
    claims?: Record<string, unknown>;
    userAgent?: string | null;
    ipAddress?: string | null;
  },
): Session {
  const env = input.project.environmentId;
  const now = ctx.clock.now(env);
  const id = stytchId('session');
  const details: StytchSessionDetails = { startedAt: now, lastAccessedAt: now, factors: [input.factor], customClaims: mergeClaims({}, input.claims) };
  ctx.store.createSession(
    {
      id,
      environmentId: env,
      vendor: 'stytch',
      audience: input.project.projectId,
      userId: input.user.id,
      organizationId: null,
      authenticationMethod: `oauth_${input.factor.provider}`,
      impersonator: input.impersonator,
      details: detailsRecord(details),
      ipAddress: input.ipAddress ?? null,
      userAgent: input.userAgent ?? null,
      createdAt: now,
      expiresAt: now + input.minutes * 60_000,
    },
    hashToken(sessionToken(ctx.keys.forEnvironment(env), id)),
  );
  return ctx.store.getSession(id)!;
}

/**
 * Refreshes a live session on authenticate: `last_accessed_at` = now, the expiry moved to now + `minutes`
 * when given, claim updates merged, and a factor added (or re-stamped when the provider is already on it).
 */
export function touchSession(
  ctx: ServerContext,
  session: Session,
  change: { minutes?: number; claims?: Record<string, unknown>; factor?: StoredFactor },
): Session {
  const now = ctx.clock.now(session.environmentId);
  const details = detailsOf(session);
  details.lastAccessedAt = now;
  details.customClaims = mergeClaims(details.customClaims, change.claims);
  if (change.factor) {
    const factor = change.factor;
    const existing = details.factors.find((f) => f.provider === factor.provider);
    if (existing) {
      existing.lastAuthenticatedAt = now;
      existing.updatedAt = now;
      existing.providerSubject = factor.providerSubject;
    } else {
      details.factors.push(factor);
    }
  }
  ctx.store.updateSession(session.id, { expiresAt: change.minutes !== undefined ? now + change.minutes * 60_000 : undefined, details: detailsRecord(details) }, now);
  return ctx.store.getSession(session.id)!;
}

/** The session fields of a response: the Session object, its opaque token and a fresh JWT. */
export async function sessionParts(
  ctx: ServerContext,
  project: StytchProject,
  session: Session,
  user: User,
): Promise<{ session: Record<string, unknown>; session_token: string; session_jwt: string }> {
  return {
    session: sessionJson(session, user),
    session_token: sessionToken(ctx.keys.forEnvironment(session.environmentId), session.id),
    session_jwt: await signSessionJwt(ctx, project, session, user),
  };
}

/** The user a session belongs to; a session whose user is gone counts as not found. */
export function sessionUser(ctx: ServerContext, session: Session): User {
  const user = ctx.store.getUser(session.environmentId, session.userId);
  if (!user) throw sessionNotFound();
  return user;
}
