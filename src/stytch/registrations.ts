/**
 * OAuth registrations: which providers a user has signed in with, and under which `provider_subject`.
 * They make `user.providers[]` (in every user object, and in `GET /v1/users/:id`) list each provider
 * the user has used, as Stytch does, and keep a user's subject stable across logins.
 *
 * Stored in `stytch_oauth_registrations` (migration 2), one row per environment, user and provider.
 *
 * @example
 * upsertRegistration(ctx.store, { environmentId, userId: user.id, provider: 'google', providerSubject: '1048…' }, now);
 * registrationsOf(ctx.store, environmentId, user.id); // [{ provider: 'google', providerSubject: '1048…', … }]
 */
import type { Store } from '../core/store.js';

export interface OAuthRegistration {
  environmentId: string;
  userId: string;
  /** Provider slug (`google`). */
  provider: string;
  providerSubject: string;
  createdAt: number;
}

type Row = { environment_id: string; user_id: string; provider: string; provider_subject: string; created_at: number };

const toRegistration = (row: Row): OAuthRegistration => ({
  environmentId: row.environment_id,
  userId: row.user_id,
  provider: row.provider,
  providerSubject: row.provider_subject,
  createdAt: row.created_at,
});

/** The user's registrations, oldest first. */
export function registrationsOf(store: Store, environmentId: string, userId: string): OAuthRegistration[] {
  return (store.sql('SELECT * FROM stytch_oauth_registrations WHERE environment_id = ? AND user_id = ? ORDER BY created_at, rowid').all(environmentId, userId) as Row[]).map(
    toRegistration,
  );
}

export function findRegistration(store: Store, environmentId: string, userId: string, provider: string): OAuthRegistration | undefined {
  const row = store.sql('SELECT * FROM stytch_oauth_registrations WHERE environment_id = ? AND user_id = ? AND provider = ?').get(environmentId, userId, provider) as
    | Row
    | undefined;
  return row && toRegistration(row);
}

/** Records (or updates the subject of) the user's registration for a provider. */
export function upsertRegistration(store: Store, registration: Omit<OAuthRegistration, 'createdAt'>, now: number): void {
  store
    .sql(
      'INSERT INTO stytch_oauth_registrations (environment_id, user_id, provider, provider_subject, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (environment_id, user_id, provider) DO UPDATE SET provider_subject = excluded.provider_subject',
    )
    .run(registration.environmentId, registration.userId, registration.provider, registration.providerSubject, now);
}
