/**
 * The store: typed reads and writes over the SQLite schema. It knows no HTTP and no clock — callers
 * pass `now` (from the one {@link Clock}) — and every query is scoped by environment.
 *
 * Single-use things (authorization codes, refresh tokens, Stytch OAuth tokens, queued logins) are
 * consumed with one conditional `UPDATE`/`DELETE … RETURNING`, so two racing redemptions (even from two
 * processes on one file) cannot both win.
 *
 * @example
 * const store = new Store(openDatabase(':memory:'));
 * const user = store.findUser('default', 'alice@acme.test');
 * const won = store.consumeAuthorizationCode(secretKeys(code), Date.now());
 */
import type BetterSqlite3 from 'better-sqlite3';
import { copyWith } from './copy-with.js';
import type { Database } from './db.js';
import { DirectoryCache } from './directory-cache.js';
import { GroupCommit } from './group-commit.js';
import { IssuedCodes } from './issued-codes.js';
import { stytchId, workosId, type SecretKeys } from './ids.js';
import {
  json,
  toMembership,
  toOrganization,
  toSession,
  toUser,
  type AuthorizationCode,
  type LoginOverride,
  type LoginRequest,
  type Membership,
  type Organization,
  type Page,
  type PageQuery,
  type RefreshToken,
  type Row,
  type Session,
  type StytchOAuthToken,
  type StytchProject,
  type User,
  type WorkOSClient,
} from './model.js';

export type {
  AuthorizationCode,
  GrantDetails,
  LoginOverride,
  LoginRequest,
  Membership,
  Organization,
  Page,
  PageQuery,
  RefreshToken,
  Session,
  StytchOAuthToken,
  StytchProject,
  User,
  WorkOSClient,
} from './model.js';


/** The environment the start fixtures are seeded into. */
export const DEFAULT_ENVIRONMENT = 'default';

export class Store {
  private readonly statements = new Map<string, BetterSqlite3.Statement<unknown[]>>();

  private group?: GroupCommit;

  /** Users and memberships remembered between queries (directory-cache.ts). */
  private readonly directory: DirectoryCache;
  /** Codes issued here and not yet redeemed (issued-codes.ts). */
  private readonly issuedCodes = new IssuedCodes();

  constructor(readonly db: Database) {
    this.directory = new DirectoryCache(db);
  }

  /**
   * Lets the write transactions of one event-loop turn share a commit whenever `worthIt()` says so (see
   * group-commit.ts). Whoever answers must then wait for {@link committed} first.
   */
  groupCommits(worthIt: () => boolean): void {
    this.group = new GroupCommit(this.db, worthIt, () => this.forgetReads());
  }

  /** Resolves once every write made so far is committed; undefined when nothing is waiting for a commit. */
  committed(): Promise<void> | undefined {
    return this.group?.committed();
  }

  /** Commits a pending group now; call before closing the database. */
  flush(): void {
    this.group?.flush();
  }

  /** A cached prepared statement. */
  sql(text: string): BetterSqlite3.Statement<unknown[]> {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare<unknown[]>(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /**
   * Runs `fn` in one write transaction (BEGIN IMMEDIATE, so concurrent writers queue instead of
   * failing); nested calls become savepoints. A throw rolls back what `fn` wrote and rethrows.
   * (better-sqlite3's `db.transaction(fn)` does the same but builds its wrappers on every call.)
   */
  transaction<T>(fn: () => T): T {
    if (!this.db.inTransaction && this.group?.joinOrOpen() === 'opened') return this.firstOfGroup(fn, this.group);
    const nested = this.db.inTransaction;
    this.sql(nested ? 'SAVEPOINT nested' : 'BEGIN IMMEDIATE').run();
    try {
      const result = fn();
      this.sql(nested ? 'RELEASE nested' : 'COMMIT').run();
      return result;
    } catch (error) {
      // What was read inside the rolled-back writes must not outlive them.
      this.forgetReads();
      // SQLite may already have rolled back on its own (e.g. SQLITE_FULL); then there is nothing to undo.
      if (this.db.inTransaction) {
        if (nested) {
          this.sql('ROLLBACK TO nested').run();
          this.sql('RELEASE nested').run();
        } else this.sql('ROLLBACK').run();
      } else this.group?.memberLostGroup(error);
      throw error;
    }
  }

  /** The first transaction of a group runs in the group's own SQLite transaction (see group-commit.ts). */
  private firstOfGroup<T>(fn: () => T, group: GroupCommit): T {
    try {
      return fn();
    } catch (error) {
      this.forgetReads();
      group.restart();
      throw error;
    }
  }

  // ── environments ────────────────────────────────────────────────────────────────────────────────

  ensureEnvironment(id: string, fixture: string | null, now: number): void {
    this.sql('INSERT INTO environments (id, fixture, created_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET fixture = excluded.fixture').run(id, fixture, now);
  }

  environmentExists(id: string): boolean {
    return this.sql('SELECT 1 FROM environments WHERE id = ?').get(id) !== undefined;
  }

  environmentFixture(id: string): string | null {
    const row = this.sql('SELECT fixture FROM environments WHERE id = ?').get(id) as Row | undefined;
    return row?.fixture ?? null;
  }

  listEnvironments(): string[] {
    return (this.sql('SELECT id FROM environments ORDER BY created_at, id').all() as Row[]).map((row) => row.id);
  }

  /** Deletes the environment and (by cascade) every row that belongs to it. */
  deleteEnvironment(id: string): boolean {
    this.credentialsChanged();
    return this.sql('DELETE FROM environments WHERE id = ?').run(id).changes > 0;
  }

  /** Deletes every environment (the signing key stays unless `keys`). */
  deleteEverything(keys = false): void {
    this.credentialsChanged();
    this.transaction(() => {
      this.db.exec('DELETE FROM environments');
      if (keys) this.db.exec('DELETE FROM signing_keys');
    });
  }

  // ── start-fixture cache ─────────────────────────────────────────────────────────────────────────

  /** A validated start fixture stored under `key` (see start-fixtures.ts), as JSON. */
  cachedFixture(key: string): string | undefined {
    return (this.sql('SELECT document FROM fixture_cache WHERE key = ?').get(key) as { document: string } | undefined)?.document;
  }

  /** Remembers a validated start fixture; keeps the 16 newest. */
  cacheFixture(key: string, document: string, now: number): void {
    this.transaction(() => {
      this.sql('INSERT OR REPLACE INTO fixture_cache (key, document, created_at) VALUES (?, ?, ?)').run(key, document, now);
      this.sql('DELETE FROM fixture_cache WHERE key NOT IN (SELECT key FROM fixture_cache ORDER BY created_at DESC LIMIT 16)').run();
    });
  }

  // ── vendor credentials ──────────────────────────────────────────────────────────────────────────
  // Every vendor request looks its credentials up (often twice: to route it, then to check it), so
  // found ones are cached; writers of the credential tables call credentialsChanged(). A miss always
  // asks the database, so credentials another process adds are seen at once; and any commit by another
  // process (a second server on the same file) changes `PRAGMA data_version`, which empties the cache, so
  // credentials it changed or deleted are not served stale.

  private readonly credentialCache = new Map<string, WorkOSClient | StytchProject>();
  private cacheDataVersion = -1;
  private dataVersionChecked = false;
  private dataVersion?: BetterSqlite3.Statement<unknown[]>;

  /** Forgets cached credentials; call after writing `workos_clients`, `stytch_projects` or `environments`. */
  credentialsChanged(): void {
    this.credentialCache.clear();
  }

  /** Forgets the users, memberships and codes kept in memory (after a rollback, or another process's commit). */
  private forgetReads(): void {
    this.directory.clear();
    this.issuedCodes.clear();
  }

  /** Forgets what is cached when another process has committed since; looked at once per event-loop turn. */
  private noticeOtherWriters(): void {
    // Once per turn: the pragma takes a read lock, and a login asks for credentials four times.
    if (this.dataVersionChecked) return;
    this.dataVersionChecked = true;
    setImmediate(() => (this.dataVersionChecked = false));
    const version = (this.dataVersion ??= this.db.prepare('PRAGMA data_version').pluck()).get() as number;
    if (version !== this.cacheDataVersion) {
      this.credentialCache.clear();
      this.forgetReads();
      this.cacheDataVersion = version;
    }
  }

  private cached<T extends WorkOSClient | StytchProject>(key: string, load: () => T | undefined): T | undefined {
    this.noticeOtherWriters();
    const hit = this.credentialCache.get(key) as T | undefined;
    if (hit) return hit;
    const found = load();
    if (found) this.credentialCache.set(key, found);
    return found;
  }

  private toClient(row: Row | undefined): WorkOSClient | undefined {
    return (
      row && {
        environmentId: row.environment_id,
        clientId: row.client_id,
        apiKey: row.api_key,
        redirectUris: JSON.parse(row.redirect_uris),
        logoutRedirectUri: row.logout_redirect_uri ?? null,
      }
    );
  }

  findWorkosClient(clientId: string): WorkOSClient | undefined {
    return this.cached(`client\u0000${clientId}`, () => this.toClient(this.sql('SELECT * FROM workos_clients WHERE client_id = ?').get(clientId) as Row | undefined));
  }

  findWorkosClientByApiKey(apiKey: string): WorkOSClient | undefined {
    return this.cached(`api_key\u0000${apiKey}`, () => this.toClient(this.sql('SELECT * FROM workos_clients WHERE api_key = ?').get(apiKey) as Row | undefined));
  }

  workosClients(environmentId: string): WorkOSClient[] {
    return (this.sql('SELECT * FROM workos_clients WHERE environment_id = ? ORDER BY rowid').all(environmentId) as Row[]).map((row) => this.toClient(row)!);
  }

  /** Every WorkOS client of every environment (logout of an unknown session has no client to go by). */
  allWorkosClients(): WorkOSClient[] {
    return (this.sql('SELECT * FROM workos_clients ORDER BY rowid').all() as Row[]).map((row) => this.toClient(row)!);
  }

  private toProject(row: Row | undefined): StytchProject | undefined {
    return (
      row && {
        environmentId: row.environment_id,
        projectId: row.project_id,
        secret: row.secret,
        publicToken: row.public_token,
        redirectUrls: JSON.parse(row.redirect_urls),
      }
    );
  }

  findStytchProject(projectId: string): StytchProject | undefined {
    return this.cached(`project\u0000${projectId}`, () => this.toProject(this.sql('SELECT * FROM stytch_projects WHERE project_id = ?').get(projectId) as Row | undefined));
  }

  findStytchProjectByPublicToken(publicToken: string): StytchProject | undefined {
    return this.cached(`public_token\u0000${publicToken}`, () =>
      this.toProject(this.sql('SELECT * FROM stytch_projects WHERE public_token = ?').get(publicToken) as Row | undefined),
    );
  }

  /** Every Stytch project of every environment (a CORS preflight names none). */
  allStytchProjects(): StytchProject[] {
    return (this.sql('SELECT * FROM stytch_projects ORDER BY rowid').all() as Row[]).map((row) => this.toProject(row)!);
  }

  stytchProjects(environmentId: string): StytchProject[] {
    return (this.sql('SELECT * FROM stytch_projects WHERE environment_id = ? ORDER BY rowid').all(environmentId) as Row[]).map((row) => this.toProject(row)!);
  }

  // ── organizations, users, memberships, scenarios ────────────────────────────────────────────────

  getOrganization(environmentId: string, id: string): Organization | undefined {
    const row = this.sql('SELECT * FROM organizations WHERE environment_id = ? AND id = ?').get(environmentId, id) as Row | undefined;
    return row && toOrganization(row);
  }

  findOrganizationByName(environmentId: string, name: string): Organization | undefined {
    const row = this.sql('SELECT * FROM organizations WHERE environment_id = ? AND name = ? ORDER BY rowid LIMIT 1').get(environmentId, name) as Row | undefined;
    return row && toOrganization(row);
  }

  listOrganizations(environmentId: string): Organization[] {
    return (this.sql('SELECT * FROM organizations WHERE environment_id = ? ORDER BY rowid').all(environmentId) as Row[]).map(toOrganization);
  }

  // Users and memberships come from the directory cache (directory-cache.ts) when it has them. What it
  // returns is frozen: copy before changing.

  getUser(environmentId: string, id: string): User | undefined {
    this.noticeOtherWriters();
    return this.directory.user(environmentId, id, () => {
      const row = this.sql('SELECT * FROM users WHERE environment_id = ? AND id = ?').get(environmentId, id) as Row | undefined;
      return row && toUser(row);
    });
  }

  getUserByStytchId(environmentId: string, stytchUserId: string): User | undefined {
    const row = this.sql('SELECT * FROM users WHERE environment_id = ? AND stytch_user_id = ?').get(environmentId, stytchUserId) as Row | undefined;
    return row && toUser(row);
  }

  /** A user by email (any case), WorkOS id or Stytch id. */
  findUser(environmentId: string, ref: string): User | undefined {
    this.noticeOtherWriters();
    return this.directory.userByRef(environmentId, ref, () => {
      const row = this.sql('SELECT * FROM users WHERE environment_id = ? AND (email = ? OR id = ? OR stytch_user_id = ?) LIMIT 1').get(environmentId, ref, ref, ref) as
        | Row
        | undefined;
      return row && toUser(row);
    });
  }

  /** The first user seeded or created (the headless fallback). */
  firstUser(environmentId: string): User | undefined {
    const row = this.sql('SELECT * FROM users WHERE environment_id = ? ORDER BY rowid LIMIT 1').get(environmentId) as Row | undefined;
    return row && toUser(row);
  }

  allUsers(environmentId: string): User[] {
    return (this.sql('SELECT * FROM users WHERE environment_id = ? ORDER BY rowid').all(environmentId) as Row[]).map(toUser);
  }

  /** WorkOS list semantics: newest first by default, `after`/`before` are ids of the previous page's ends. */
  listUsers(environmentId: string, query: PageQuery & { email?: string; organizationId?: string }): Page<User> {
    const where = ['u.environment_id = @env'];
    const params: Record<string, unknown> = { env: environmentId };
    if (query.email) {
      where.push('u.email = @email');
      params.email = query.email;
    }
    if (query.organizationId) {
      where.push("EXISTS (SELECT 1 FROM memberships m WHERE m.environment_id = u.environment_id AND m.user_id = u.id AND m.organization_id = @org)");
      params.org = query.organizationId;
    }
    return this.page('users', 'u', where, params, query, toUser);
  }

  listMemberships(environmentId: string, query: PageQuery & { userId?: string; organizationId?: string; statuses?: string[] }): Page<Membership> {
    const where = ['m.environment_id = @env'];
    const params: Record<string, unknown> = { env: environmentId };
    if (query.userId) {
      where.push('m.user_id = @user');
      params.user = query.userId;
    }
    if (query.organizationId) {
      where.push('m.organization_id = @org');
      params.org = query.organizationId;
    }
    if (query.statuses?.length) {
      where.push(`m.status IN (${query.statuses.map((_, i) => `@s${i}`).join(', ')})`);
      query.statuses.forEach((status, i) => (params[`s${i}`] = status));
    }
    return this.page(
      'memberships',
      'm',
      where,
      params,
      query,
      toMembership,
      'm.*, (SELECT name FROM organizations o WHERE o.environment_id = m.environment_id AND o.id = m.organization_id) AS organization_name',
    );
  }

  /** Keyset pagination by rowid, which follows insertion order whatever the id format. */
  private page<T extends { id: string }>(
    table: string,
    alias: string,
    where: string[],
    params: Record<string, unknown>,
    query: PageQuery,
    map: (row: Row) => T,
    columns = `${alias}.*`,
  ): Page<T> {
    const limit = Math.min(Math.max(query.limit ?? 10, 1), 100);
    const desc = (query.order ?? 'desc') === 'desc';
    const cursorOf = (id: string) => (this.db.prepare(`SELECT rowid FROM ${table} WHERE environment_id = ? AND id = ?`).get(params.env, id) as Row | undefined)?.rowid;
    let reverse = false;
    if (query.after) {
      where.push(`${alias}.rowid ${desc ? '<' : '>'} @cursor`);
      params.cursor = cursorOf(query.after) ?? (desc ? -1 : Number.MAX_SAFE_INTEGER);
    } else if (query.before) {
      where.push(`${alias}.rowid ${desc ? '>' : '<'} @cursor`);
      params.cursor = cursorOf(query.before) ?? (desc ? Number.MAX_SAFE_INTEGER : -1);
      reverse = true;
    }
    const direction = desc !== reverse ? 'DESC' : 'ASC';
    let rows = this.db
      .prepare(`SELECT ${columns} FROM ${table} ${alias} WHERE ${where.join(' AND ')} ORDER BY ${alias}.rowid ${direction} LIMIT ${limit + 1}`)
      .all(params) as Row[];
    const more = rows.length > limit;
    rows = rows.slice(0, limit);
    if (reverse) rows.reverse();
    const data = rows.map(map);
    const first = data[0]?.id ?? null;
    const last = data[data.length - 1]?.id ?? null;
    return {
      data,
      before: reverse ? (more ? first : null) : query.after ? first : null,
      after: reverse ? last : more ? last : null,
    };
  }

  /** Active and inactive memberships of a user, with organization names, oldest first. */
  membershipsOfUser(environmentId: string, userId: string): readonly Membership[] {
    this.noticeOtherWriters();
    return this.directory.membershipsOf(environmentId, userId, () =>
      (
        this.sql(
          'SELECT m.*, o.name AS organization_name FROM memberships m LEFT JOIN organizations o ON o.environment_id = m.environment_id AND o.id = m.organization_id WHERE m.environment_id = ? AND m.user_id = ? ORDER BY m.rowid',
        ).all(environmentId, userId) as Row[]
      ).map(toMembership),
    );
  }

  /** The user's membership in one organization, whatever its status. */
  getMembership(environmentId: string, userId: string, organizationId: string): Membership | undefined {
    return this.membershipsOfUser(environmentId, userId).find((membership) => membership.organizationId === organizationId);
  }

  /** Creates a user (the login page's "new user"); ids in both vendors' formats. */
  createUser(
    environmentId: string,
    input: { email: string; firstName?: string | null; lastName?: string | null; id?: string; stytchUserId?: string },
    now: number,
  ): User {
    const id = input.id ?? workosId('user', now);
    this.sql(
      'INSERT INTO users (environment_id, id, stytch_user_id, email, first_name, last_name, email_verified, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)',
    ).run(environmentId, id, input.stytchUserId ?? stytchId('user'), input.email, input.firstName ?? null, input.lastName ?? null, now, now);
    return this.getUser(environmentId, id)!;
  }

  /** Adds an active membership (login page: "new user" joining an organization). */
  addMembership(environmentId: string, userId: string, organizationId: string, role: string, now: number): void {
    this.sql(
      "INSERT INTO memberships (environment_id, id, user_id, organization_id, role, permissions, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '[]', 'active', ?, ?) ON CONFLICT DO NOTHING",
    ).run(environmentId, workosId('om', now), userId, organizationId, role, now, now);
  }

  recordSignIn(environmentId: string, userId: string, now: number): void {
    this.directory.signIn(environmentId, userId, now, () => {
      this.sql('UPDATE users SET last_sign_in_at = ? WHERE environment_id = ? AND id = ?').run(now, environmentId, userId);
    });
  }

  getScenario(environmentId: string, name: string): (LoginOverride & { name: string; description?: string }) | undefined {
    const row = this.sql('SELECT definition FROM scenarios WHERE environment_id = ? AND name = ?').get(environmentId, name) as Row | undefined;
    return row && JSON.parse(row.definition);
  }

  listScenarios(environmentId: string): Array<LoginOverride & { name: string; description?: string }> {
    return (this.sql('SELECT definition FROM scenarios WHERE environment_id = ? ORDER BY rowid').all(environmentId) as Row[]).map((row) => JSON.parse(row.definition));
  }

  // ── next-login queue and login requests ─────────────────────────────────────────────────────────

  enqueueNextLogin(environmentId: string, override: LoginOverride, now: number): string {
    const id = workosId('next_login', now);
    this.sql('INSERT INTO next_logins (id, environment_id, override, created_at) VALUES (?, ?, ?, ?)').run(id, environmentId, JSON.stringify(override), now);
    return id;
  }

  /** Takes the oldest queued login of the environment, atomically. */
  takeNextLogin(environmentId: string): LoginOverride | undefined {
    // A read first: most logins have nothing queued, and a read costs no write transaction.
    if (this.sql('SELECT 1 FROM next_logins WHERE environment_id = ? LIMIT 1').get(environmentId) === undefined) return undefined;
    const row = this.sql(
      'DELETE FROM next_logins WHERE seq = (SELECT seq FROM next_logins WHERE environment_id = ? ORDER BY seq LIMIT 1) RETURNING override',
    ).get(environmentId) as Row | undefined;
    return row && JSON.parse(row.override);
  }

  listNextLogins(environmentId: string): Array<{ id: string } & LoginOverride> {
    return (this.sql('SELECT id, override FROM next_logins WHERE environment_id = ? ORDER BY seq').all(environmentId) as Row[]).map((row) => ({
      id: row.id,
      ...JSON.parse(row.override),
    }));
  }

  clearNextLogins(environmentId: string): number {
    return this.sql('DELETE FROM next_logins WHERE environment_id = ?').run(environmentId).changes;
  }

  createLoginRequest(request: LoginRequest, now: number): void {
    this.sql('INSERT INTO login_requests (id, environment_id, vendor, params, override, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      request.id,
      request.environmentId,
      request.vendor,
      JSON.stringify(request.params),
      request.override ? JSON.stringify(request.override) : null,
      now,
      request.expiresAt,
    );
  }

  private toLoginRequest(row: Row | undefined): LoginRequest | undefined {
    return (
      row && {
        id: row.id,
        environmentId: row.environment_id,
        vendor: row.vendor,
        params: JSON.parse(row.params),
        override: json(row.override),
        expiresAt: row.expires_at,
      }
    );
  }

  getLoginRequest(id: string): LoginRequest | undefined {
    return this.toLoginRequest(this.sql('SELECT * FROM login_requests WHERE id = ?').get(id) as Row | undefined);
  }

  /** Consumes a login request (one form submission completes it), atomically. */
  takeLoginRequest(id: string, now: number): LoginRequest | undefined {
    return this.toLoginRequest(this.sql('DELETE FROM login_requests WHERE id = ? AND expires_at > ? RETURNING *').get(id, now) as Row | undefined);
  }

  /**
   * Looks a secret up under its stored key, then, when that finds nothing and its legacy key differs,
   * under the legacy one (see `secretKeys` in ids.ts). One `= ?` lookup instead of `IN (?, ?)`, for which
   * SQLite builds a temporary table on every run.
   */
  private bySecret<T>(keys: SecretKeys, lookup: (key: string) => T | undefined): T | undefined {
    return lookup(keys.key) ?? (keys.legacy === keys.key ? undefined : lookup(keys.legacy));
  }

  /**
   * Runs `update` (a conditional UPDATE taking `now`, the key, `now`) under a secret's keys, as
   * {@link bySecret} does; true when it changed the one row, for exactly one caller.
   */
  private spendBySecret(update: string, keys: SecretKeys, now: number): boolean {
    const statement = this.sql(update);
    return this.bySecret(keys, (key) => (statement.run(now, key, now).changes === 1 ? true : undefined)) ?? false;
  }

  // ── authorization codes ─────────────────────────────────────────────────────────────────────────

  /** Stores a code under `key`, the code's time-ordered key (`secretKeys` in ids.ts). */
  createAuthorizationCode(key: string, code: Omit<AuthorizationCode, 'usedAt'>, now: number): void {
    this.sql(
      'INSERT INTO authorization_codes (code_hash, environment_id, client_id, redirect_uri, code_challenge, code_challenge_method, user_id, organization_id, grant_details, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      key,
      code.environmentId,
      code.clientId,
      code.redirectUri,
      code.codeChallenge,
      code.codeChallengeMethod,
      code.userId,
      code.organizationId,
      JSON.stringify(code.details),
      now,
      code.expiresAt,
    );
    this.issuedCodes.issued(key, copyWith(code, { details: copyWith(code.details), usedAt: null }));
  }

  /** A code by its keys: from memory when this process issued it and it is unredeemed, else its row. */
  findAuthorizationCode(keys: SecretKeys): AuthorizationCode | undefined {
    this.noticeOtherWriters();
    const issued = this.issuedCodes.get(keys.key);
    if (issued) return issued;
    const row = this.bySecret(keys, (key) => this.sql('SELECT * FROM authorization_codes WHERE code_hash = ?').get(key) as Row | undefined);
    return (
      row && {
        environmentId: row.environment_id,
        clientId: row.client_id,
        redirectUri: row.redirect_uri,
        codeChallenge: row.code_challenge,
        codeChallengeMethod: row.code_challenge_method,
        userId: row.user_id,
        organizationId: row.organization_id,
        details: JSON.parse(row.grant_details),
        expiresAt: row.expires_at,
        usedAt: row.used_at,
      }
    );
  }

  /** Marks the code used if it is unused and unexpired; true for exactly one caller. */
  consumeAuthorizationCode(keys: SecretKeys, now: number): boolean {
    this.issuedCodes.redeemed(keys.key);
    return (
      this.spendBySecret('UPDATE authorization_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?', keys, now)
    );
  }

  // ── sessions and refresh tokens ─────────────────────────────────────────────────────────────────

  createSession(session: Omit<Session, 'status' | 'endedAt' | 'updatedAt'>, tokenHash: string | null = null): void {
    this.sql(
      'INSERT INTO sessions (id, environment_id, vendor, audience, user_id, organization_id, authentication_method, impersonator, token_hash, details, ip_address, user_agent, status, created_at, updated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, \'active\', ?, ?, ?)',
    ).run(
      session.id,
      session.environmentId,
      session.vendor,
      session.audience,
      session.userId,
      session.organizationId,
      session.authenticationMethod,
      session.impersonator ? JSON.stringify(session.impersonator) : null,
      tokenHash,
      JSON.stringify(session.details),
      session.ipAddress,
      session.userAgent,
      session.createdAt,
      session.createdAt,
      session.expiresAt,
    );
  }

  getSession(id: string): Session | undefined {
    const row = this.sql('SELECT * FROM sessions WHERE id = ?').get(id) as Row | undefined;
    return row && toSession(row);
  }

  findSessionByToken(tokenHash: string): Session | undefined {
    const row = this.sql('SELECT * FROM sessions WHERE token_hash = ?').get(tokenHash) as Row | undefined;
    return row && toSession(row);
  }

  listSessionsOfUser(environmentId: string, userId: string, vendor: 'workos' | 'stytch', query: PageQuery): Page<Session> {
    return this.page('sessions', 's', ['s.environment_id = @env', 's.user_id = @user', 's.vendor = @vendor'], { env: environmentId, user: userId, vendor }, query, toSession);
  }

  /** Ends a session for good; true if it was active. Its refresh tokens die with it. */
  revokeSession(id: string, now: number): boolean {
    return this.sql("UPDATE sessions SET status = 'revoked', ended_at = ?, updated_at = ? WHERE id = ? AND status = 'active'").run(now, now, id).changes === 1;
  }

  updateSession(id: string, changes: { organizationId?: string | null; expiresAt?: number; details?: Record<string, unknown> }, now: number): void {
    const current = this.getSession(id);
    if (!current) return;
    this.sql('UPDATE sessions SET organization_id = ?, expires_at = ?, details = ?, updated_at = ? WHERE id = ?').run(
      changes.organizationId === undefined ? current.organizationId : changes.organizationId,
      changes.expiresAt ?? current.expiresAt,
      JSON.stringify(changes.details ?? current.details),
      now,
      id,
    );
  }

  /** Stores a refresh token under `key`, the token's time-ordered key (`secretKeys` in ids.ts). */
  createRefreshToken(key: string, token: Omit<RefreshToken, 'usedAt'>, now: number): void {
    this.sql('INSERT INTO refresh_tokens (token_hash, environment_id, session_id, client_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      key,
      token.environmentId,
      token.sessionId,
      token.clientId,
      now,
      token.expiresAt,
    );
  }

  findRefreshToken(keys: SecretKeys): RefreshToken | undefined {
    const row = this.bySecret(keys, (key) => this.sql('SELECT * FROM refresh_tokens WHERE token_hash = ?').get(key) as Row | undefined);
    return (
      row && { environmentId: row.environment_id, sessionId: row.session_id, clientId: row.client_id, expiresAt: row.expires_at, usedAt: row.used_at }
    );
  }

  /** Marks the refresh token used if it is unused and unexpired; true for exactly one caller. */
  consumeRefreshToken(keys: SecretKeys, now: number): boolean {
    return (
      this.spendBySecret('UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?', keys, now)
    );
  }

  // ── Stytch OAuth tokens ─────────────────────────────────────────────────────────────────────────

  createStytchOAuthToken(tokenHash: string, token: Omit<StytchOAuthToken, 'usedAt'>, now: number): void {
    this.sql(
      'INSERT INTO stytch_oauth_tokens (token_hash, environment_id, project_id, user_id, provider, code_challenge, grant_details, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(tokenHash, token.environmentId, token.projectId, token.userId, token.provider, token.codeChallenge, JSON.stringify(token.details), now, token.expiresAt);
  }

  findStytchOAuthToken(tokenHash: string): StytchOAuthToken | undefined {
    const row = this.sql('SELECT * FROM stytch_oauth_tokens WHERE token_hash = ?').get(tokenHash) as Row | undefined;
    return (
      row && {
        environmentId: row.environment_id,
        projectId: row.project_id,
        userId: row.user_id,
        provider: row.provider,
        codeChallenge: row.code_challenge,
        details: JSON.parse(row.grant_details),
        expiresAt: row.expires_at,
        usedAt: row.used_at,
      }
    );
  }

  consumeStytchOAuthToken(tokenHash: string, now: number): boolean {
    return this.sql('UPDATE stytch_oauth_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?').run(now, tokenHash, now).changes === 1;
  }

  // ── housekeeping ────────────────────────────────────────────────────────────────────────────────

  /**
   * Deletes what can never be used again: codes, OAuth tokens and login requests past expiry, refresh
   * tokens past expiry or rotated away more than `graceMs` ago, and sessions ended or expired more than
   * `graceMs` ago (kept that long so session lists still show recent logouts; their refresh tokens go
   * with them by cascade).
   */
  purgeExpired(now: number, graceMs = 24 * 3600_000): number {
    let removed = 0;
    this.transaction(() => {
      removed += this.sql('DELETE FROM authorization_codes WHERE expires_at <= ?').run(now).changes;
      removed += this.sql('DELETE FROM stytch_oauth_tokens WHERE expires_at <= ?').run(now).changes;
      removed += this.sql('DELETE FROM login_requests WHERE expires_at <= ?').run(now).changes;
      removed += this.sql('DELETE FROM refresh_tokens WHERE expires_at <= ? OR used_at <= ?').run(now, now - graceMs).changes;
      removed += this.sql("DELETE FROM sessions WHERE (status = 'revoked' AND ended_at <= ?) OR expires_at <= ?").run(now - graceMs, now - graceMs).changes;
    });
    return removed;
  }
}
