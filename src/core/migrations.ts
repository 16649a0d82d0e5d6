/**
 * Schema migrations, applied in order and tracked with SQLite's `PRAGMA user_version`.
 *
 * Append a new entry to change the schema; never edit a released one. Every table that a test can fill
 * carries `environment_id`, so environments stay isolated and can be deleted with all their rows.
 *
 * @example
 * MIGRATIONS.length; // the schema version a fresh database ends at
 */
export const MIGRATIONS: readonly string[] = [
  /* 1: the first schema */ `
  CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,             -- WorkOS-style kid, sso_oidc_key_pair_<ULID>
    stytch_kid TEXT NOT NULL,         -- the same key as Stytch names it, jwk-test-<uuid>
    private_pkcs8 TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
  );
  CREATE TABLE environments (
    id TEXT PRIMARY KEY,
    fixture TEXT,                     -- the fixture document it was made from (JSON), for reset
    created_at INTEGER NOT NULL
  );
  CREATE TABLE workos_clients (
    client_id TEXT PRIMARY KEY,
    environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    api_key TEXT NOT NULL UNIQUE,
    redirect_uris TEXT NOT NULL,      -- JSON array of exact URIs or * patterns
    created_at INTEGER NOT NULL
  );
  CREATE TABLE stytch_projects (
    project_id TEXT PRIMARY KEY,
    environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    secret TEXT NOT NULL,
    public_token TEXT NOT NULL UNIQUE,
    redirect_urls TEXT NOT NULL,      -- JSON array
    created_at INTEGER NOT NULL
  );
  CREATE TABLE organizations (
    environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    domains TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (environment_id, id)
  );
  CREATE TABLE users (
    environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    stytch_user_id TEXT NOT NULL,
    email TEXT NOT NULL COLLATE NOCASE,
    first_name TEXT,
    last_name TEXT,
    email_verified INTEGER NOT NULL DEFAULT 1,
    password TEXT,
    oauth TEXT,                       -- JSON provider tokens, or NULL
    impersonator TEXT,                -- JSON {email, reason}, or NULL
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    last_sign_in_at INTEGER,
    PRIMARY KEY (environment_id, id),
    UNIQUE (environment_id, email),
    UNIQUE (environment_id, stytch_user_id)
  );
  CREATE TABLE memberships (
    environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    organization_id TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'member',
    permissions TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'active',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (environment_id, id),
    UNIQUE (environment_id, user_id, organization_id)
  );
  CREATE TABLE scenarios (
    environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,         -- JSON
    PRIMARY KEY (environment_id, name)
  );
  CREATE TABLE next_logins (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    override TEXT NOT NULL,           -- JSON
    created_at INTEGER NOT NULL
  );
  CREATE INDEX next_logins_env ON next_logins (environment_id, seq);
  CREATE TABLE login_requests (
    id TEXT PRIMARY KEY,
    environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    vendor TEXT NOT NULL,
    params TEXT NOT NULL,             -- JSON: the validated authorize/start request
    override TEXT,                    -- JSON: the queued next-login it consumed, if any
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE TABLE authorization_codes (
    code_hash TEXT PRIMARY KEY,
    environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    code_challenge TEXT,
    code_challenge_method TEXT,
    user_id TEXT NOT NULL,
    organization_id TEXT,
    grant_details TEXT NOT NULL,      -- JSON: authentication_method, impersonator, oauth
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
  );
  CREATE TABLE stytch_oauth_tokens (
    token_hash TEXT PRIMARY KEY,
    environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    project_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    code_challenge TEXT,
    grant_details TEXT NOT NULL,      -- JSON: impersonator, oauth
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
  );
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    vendor TEXT NOT NULL,             -- 'workos' | 'stytch'
    audience TEXT NOT NULL,           -- WorkOS client_id or Stytch project_id
    user_id TEXT NOT NULL,
    organization_id TEXT,
    authentication_method TEXT,
    impersonator TEXT,
    token_hash TEXT UNIQUE,           -- Stytch session_token (hashed); NULL for WorkOS
    details TEXT NOT NULL DEFAULT '{}', -- JSON: vendor extras (Stytch factors, custom claims)
    ip_address TEXT,
    user_agent TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    ended_at INTEGER
  );
  CREATE INDEX sessions_user ON sessions (environment_id, user_id);
  CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
  );
  CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);
  `,
  /* 2: Stytch OAuth registrations (which providers a user signed in with → user.providers[]) */ `
  CREATE TABLE stytch_oauth_registrations (
    environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,            -- users.id
    provider TEXT NOT NULL,           -- Stytch provider slug: google, github, …
    provider_subject TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (environment_id, user_id, provider)
  );
  `,
  /* 3: a signing key per environment (the default environment's key keeps environment_id NULL) */ `
  ALTER TABLE signing_keys ADD COLUMN environment_id TEXT REFERENCES environments(id) ON DELETE CASCADE;
  CREATE INDEX signing_keys_environment ON signing_keys (environment_id);
  `,
  /* 4: the WorkOS client's default sign-out redirect */ `
  ALTER TABLE workos_clients ADD COLUMN logout_redirect_uri TEXT;
  `,
  /* 5: start fixtures already validated, by a hash of their text: a restart skips loading zod.
        A cache of the server's own, not test state: it belongs to no environment. */ `
  CREATE TABLE fixture_cache (
    key TEXT PRIMARY KEY,             -- sha256 of the schema version and the fixture texts
    document TEXT NOT NULL,           -- the validated, normalized document (JSON)
    created_at INTEGER NOT NULL
  );
  `,
];
