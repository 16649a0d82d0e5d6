/**
 * Stytch identifiers that must be stable without being stored, and the opaque session token.
 *
 * - `email_id` (`email-test-<uuid>`) is derived from the user's Stytch id, so the same user always shows
 *   the same email id in `user.emails[]` and in session factors.
 * - `oauth_user_registration_id` (`oauth-user-test-<uuid>`) is derived from the user and the provider:
 *   Stytch keeps one registration per user and provider.
 * - `provider_subject` defaults to a 21-digit numeric string (Google's `sub` format, as in the captured
 *   test-environment response) derived from the user and the provider.
 * - The `session_token` (44 base64url characters, like Stytch's) is an HMAC of the session id under a
 *   key derived from the stored signing key. Stytch echoes the same token from every
 *   `sessions.authenticate`, including one made with only the `session_jwt`, so the token must be
 *   recoverable from the session; deriving it keeps only its hash in the database and survives restarts
 *   (the signing key is stored in the same database).
 *
 * @example
 * emailId(user);                        // 'email-test-3f1c…'
 * registrationId(user, 'google');       // 'oauth-user-test-9a0b…'
 * sessionToken(ctx.keys.forEnvironment(env), 'session-test-…'); // 'rM_kw42CWBhsHLF62V75jELMbvJ87njMe3tFVj7Qupu7'-like
 */
import { createHash, createHmac } from 'node:crypto';
import type { SigningKeys } from '../core/keys.js';
import type { User } from '../core/store.js';

/** A UUID-v4-shaped string from a hash of `parts` (version and variant bits set like a real v4). */
export function derivedUuid(...parts: string[]): string {
  const bytes = createHash('sha256').update(parts.join('\u0000')).digest();
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The user's (only) email id. */
export function emailId(user: Pick<User, 'stytchUserId'>): string {
  return `email-test-${derivedUuid('email', user.stytchUserId)}`;
}

/** The user's OAuth registration id for `provider` (also the factor's `id`). */
export function registrationId(user: Pick<User, 'stytchUserId'>, provider: string): string {
  return `oauth-user-test-${derivedUuid('oauth-user', user.stytchUserId, provider)}`;
}

/** A stable numeric `provider_subject` for a user who has none configured. */
export function derivedProviderSubject(user: Pick<User, 'stytchUserId'>, provider: string): string {
  const digest = createHash('sha256').update(`provider-subject\u0000${user.stytchUserId}\u0000${provider}`).digest();
  const number = digest.readBigUInt64BE(0) * 1000n + BigInt(digest.readUInt16BE(8) % 1000);
  return `1${(number % 10n ** 20n).toString().padStart(20, '0')}`;
}

const tokenKeys = new WeakMap<SigningKeys, Buffer>();

/** The opaque `session_token` of a session (33 bytes → 44 base64url characters). */
export function sessionToken(keys: SigningKeys, sessionId: string): string {
  let key = tokenKeys.get(keys);
  if (!key) {
    // A dedicated key, so the token reveals nothing about the signing key itself.
    key = createHash('sha256').update('mock-authkit stytch session token\u0000').update(keys.privateKey.export({ type: 'pkcs8', format: 'der' })).digest();
    tokenKeys.set(keys, key);
  }
  return createHmac('sha512', key).update(sessionId).digest().subarray(0, 33).toString('base64url');
}
