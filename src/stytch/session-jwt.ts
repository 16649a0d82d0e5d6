/**
 * Session JWTs: minting them as Stytch does and checking the ones clients send back.
 *
 * Format (decoded from a real test-environment token, and what stytch-node's `authenticateJwtLocal`
 * verifies with jose): RS256, header `{alg, kid: jwk-test-…, typ: "JWT"}` (jose is called with
 * `typ: "JWT"` and fails without it); claims `aud: [project_id]`, `exp = iat + 300` (always five
 * minutes, whatever the session's length), `iat`, `nbf = iat`, `iss: "stytch.com/<project_id>"`,
 * `sub` = the Stytch user id, the `https://stytch.com/session` claim, and custom claims at the top level.
 *
 * Verification here ignores `exp` on purpose: `POST /v1/sessions/authenticate` accepts an expired JWT
 * whose signature is valid while its session lives, and answers with a fresh one.
 *
 * @example
 * const jwt = await signSessionJwt(ctx, project, session, user);
 * const claims = verifySessionJwt(ctx, project.environmentId, jwt); // { sessionId, projectIds, userId } or throws 401 unable_to_parse_session_jwt
 */
import { verify, type KeyObject } from 'node:crypto';
import { isoSeconds } from '../core/clock.js';
import { copyWith } from '../core/copy-with.js';
import { signToken } from '../core/token-signing.js';
import type { ServerContext } from '../core/context.js';
import type { SigningKeys } from '../core/keys.js';
import type { Session, StytchProject, User } from '../core/store.js';
import { unparseableSessionJwt } from './errors.js';
import { attributesJson, DEFAULT_ROLES, detailsOf, jwtFactorJson } from './serializers.js';

export const SESSION_CLAIM = 'https://stytch.com/session';
/** Session JWTs live five minutes. */
export const SESSION_JWT_TTL_SECONDS = 300;

/** The issuer Stytch puts in session JWTs (valid for any base URL the Node SDK is pointed at). */
export function stytchIssuer(projectId: string): string {
  return `stytch.com/${projectId}`;
}

/** Signs a fresh session JWT for `session`. */
export async function signSessionJwt(ctx: ServerContext, project: StytchProject, session: Session, user: User): Promise<string> {
  const details = detailsOf(session);
  const iat = ctx.clock.nowSeconds(session.environmentId);
  // Custom claims first, so no standard claim can be shadowed by one (reserved names are dropped on input anyway).
  const payload: Record<string, unknown> = copyWith(details.customClaims, {
    aud: [project.projectId],
    exp: iat + SESSION_JWT_TTL_SECONDS,
    iat,
    iss: stytchIssuer(project.projectId),
    nbf: iat,
    sub: user.stytchUserId,
    [SESSION_CLAIM]: {
      id: session.id,
      started_at: isoSeconds(details.startedAt),
      last_accessed_at: isoSeconds(details.lastAccessedAt),
      expires_at: isoSeconds(session.expiresAt),
      attributes: attributesJson(session),
      authentication_factors: details.factors.map(jwtFactorJson),
      roles: DEFAULT_ROLES,
    },
  });
  return signToken(ctx, session.environmentId, payload, 'stytch');
}

/** What a verified session JWT says. */
export interface SessionJwtClaims {
  sessionId: string;
  userId: string;
  /** `aud` as a list (Stytch sends an array; a string is tolerated). */
  audiences: string[];
  issuer: string;
}

const publicKeys = new WeakMap<SigningKeys, KeyObject>();

function publicKeyOf(keys: SigningKeys): KeyObject {
  let key = publicKeys.get(keys);
  if (!key) {
    key = keys.publicKey();
    publicKeys.set(keys, key);
  }
  return key;
}

function decodeJson(segment: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) throw unparseableSessionJwt();
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw unparseableSessionJwt();
  }
}

/**
 * Checks the structure and RS256 signature of a session JWT signed by this server (by kid), without
 * looking at `exp`; anything else is `401 unable_to_parse_session_jwt`.
 */
export function verifySessionJwt(ctx: ServerContext, environmentId: string, jwt: string): SessionJwtClaims {
  const keys = ctx.keys.forEnvironment(environmentId);
  const parts = jwt.split('.');
  if (jwt.length > 16384 || parts.length !== 3) throw unparseableSessionJwt();
  const [head, body, signature] = parts;
  const header = decodeJson(head) as Record<string, unknown> | null;
  if (!header || typeof header !== 'object' || header.alg !== 'RS256' || header.kid !== keys.stytchKid) throw unparseableSessionJwt();
  if (!/^[A-Za-z0-9_-]+$/.test(signature)) throw unparseableSessionJwt();
  const valid = verify('RSA-SHA256', Buffer.from(`${head}.${body}`), publicKeyOf(keys), Buffer.from(signature, 'base64url'));
  if (!valid) throw unparseableSessionJwt();
  const payload = decodeJson(body) as Record<string, unknown> | null;
  if (!payload || typeof payload !== 'object') throw unparseableSessionJwt();
  const claim = payload[SESSION_CLAIM] as Record<string, unknown> | undefined;
  if (!claim || typeof claim !== 'object' || typeof claim.id !== 'string' || typeof payload.sub !== 'string') throw unparseableSessionJwt();
  const aud = payload.aud;
  const audiences = Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : typeof aud === 'string' ? [aud] : [];
  return { sessionId: claim.id, userId: payload.sub, audiences, issuer: typeof payload.iss === 'string' ? payload.iss : '' };
}
