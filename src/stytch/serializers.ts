/**
 * Stytch's wire objects: the User, the Session and its authentication factors, shaped like Stytch's
 * captured test-environment response and typed after stytch-node (`types/lib/b2c/users.d.ts` `User`,
 * `sessions.d.ts` `Session`/`AuthenticationFactor`). Every field the strictest client decodes is present:
 * the old Android SDK (Moshi, non-null: `attributes.ip_address`/`user_agent` strings,
 * `last_authenticated_at`, `user.created_at`, `user.name`) and KMP (`session.roles`, the user's arrays,
 * each `providers[]` field). Timestamps are RFC 3339 UTC with second precision, as Stytch renders them.
 *
 * @example
 * userJson(user, registrationsOf(store, env, user.id));
 * sessionJson(session, user); // {session_id, user_id, started_at, …, authentication_factors: [{type: 'oauth', …}]}
 */
import { isoSeconds } from '../core/clock.js';
import type { Session, User } from '../core/store.js';
import { emailId, registrationId } from './ids.js';
import { stytchProvider } from './providers.js';
import type { OAuthRegistration } from './registrations.js';

/** Every consumer user and session carries Stytch's default RBAC role. */
export const DEFAULT_ROLES = ['stytch_user'];

/** One OAuth factor as kept in a session's `details.factors`. */
export interface StoredFactor {
  provider: string;
  registrationId: string;
  providerSubject: string;
  emailId: string;
  createdAt: number;
  updatedAt: number;
  lastAuthenticatedAt: number;
}

/** What a Stytch session keeps in `sessions.details` beyond the shared columns. */
export interface StytchSessionDetails {
  startedAt: number;
  lastAccessedAt: number;
  factors: StoredFactor[];
  customClaims: Record<string, unknown>;
}

/** Reads a session's Stytch details, tolerating sessions written without them. */
export function detailsOf(session: Session): StytchSessionDetails {
  const raw = session.details as Partial<StytchSessionDetails>;
  return {
    startedAt: typeof raw.startedAt === 'number' ? raw.startedAt : session.createdAt,
    lastAccessedAt: typeof raw.lastAccessedAt === 'number' ? raw.lastAccessedAt : session.createdAt,
    factors: Array.isArray(raw.factors) ? raw.factors : [],
    customClaims: raw.customClaims && typeof raw.customClaims === 'object' ? raw.customClaims : {},
  };
}

/** An OAuth factor as Stytch lists it in `session.authentication_factors[]`. */
export function factorJson(factor: StoredFactor): Record<string, unknown> {
  const provider = stytchProvider(factor.provider);
  return {
    type: 'oauth',
    delivery_method: provider?.deliveryMethod ?? `oauth_${factor.provider}`,
    last_authenticated_at: isoSeconds(factor.lastAuthenticatedAt),
    created_at: isoSeconds(factor.createdAt),
    updated_at: isoSeconds(factor.updatedAt),
    [provider?.factorKey ?? `${factor.provider}_oauth_factor`]: { id: factor.registrationId, provider_subject: factor.providerSubject, email_id: factor.emailId },
  };
}

/** The factor as it appears inside the JWT's session claim (the captured token has no created/updated, no email_id). */
export function jwtFactorJson(factor: StoredFactor): Record<string, unknown> {
  const provider = stytchProvider(factor.provider);
  return {
    type: 'oauth',
    delivery_method: provider?.deliveryMethod ?? `oauth_${factor.provider}`,
    last_authenticated_at: isoSeconds(factor.lastAuthenticatedAt),
    [provider?.factorKey ?? `${factor.provider}_oauth_factor`]: { id: factor.registrationId, provider_subject: factor.providerSubject },
  };
}

/** `attributes` of a session: strings, never null (the old Android SDK requires them). */
export function attributesJson(session: Session): { ip_address: string; user_agent: string } {
  return { ip_address: session.ipAddress ?? '', user_agent: session.userAgent ?? '' };
}

/**
 * The Session object (`user_session` on the backend, `session` in SDK responses). The impersonator a
 * login may carry is kept on the stored session but not shown: Stytch's OAuth sessions have no field
 * for it, and an extra factor type would break KMP's closed enum of factor types.
 */
export function sessionJson(session: Session, user: User): Record<string, unknown> {
  const details = detailsOf(session);
  return {
    session_id: session.id,
    user_id: user.stytchUserId,
    started_at: isoSeconds(details.startedAt),
    last_accessed_at: isoSeconds(details.lastAccessedAt),
    expires_at: isoSeconds(session.expiresAt),
    attributes: attributesJson(session),
    custom_claims: details.customClaims,
    roles: DEFAULT_ROLES,
    authentication_factors: details.factors.map(factorJson),
  };
}

/** The User object. `providers[]` lists the user's OAuth registrations. */
export function userJson(user: User, registrations: OAuthRegistration[]): Record<string, unknown> {
  return {
    user_id: user.stytchUserId,
    status: 'active',
    created_at: isoSeconds(user.createdAt),
    name: { first_name: user.firstName ?? '', middle_name: '', last_name: user.lastName ?? '' },
    emails: [{ email_id: emailId(user), email: user.email, verified: user.emailVerified }],
    phone_numbers: [],
    webauthn_registrations: [],
    totps: [],
    crypto_wallets: [],
    biometric_registrations: [],
    providers: registrations.map((registration) => ({
      provider_type: stytchProvider(registration.provider)?.providerType ?? registration.provider,
      provider_subject: registration.providerSubject,
      profile_picture_url: '',
      locale: '',
      oauth_user_registration_id: registrationId(user, registration.provider),
    })),
    password: null,
    trusted_metadata: {},
    untrusted_metadata: {},
    is_locked: false,
    roles: DEFAULT_ROLES,
  };
}
