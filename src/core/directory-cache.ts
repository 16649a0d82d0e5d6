/**
 * Users and their memberships, remembered between queries. A login reads them four times (authorize:
 * who signs in and into which organization; authenticate: the user, and the role for the access token),
 * and each read is a statement, a row object and a conversion. Answered from memory, a few percent more
 * logins go through at 16 clients (paired A/B runs of the benchmark's code flow).
 *
 * It is never stale, because it forgets everything whenever this connection writes the tables it is built
 * from: TEMP triggers on `users`, `memberships` and `organizations` (foreign-key cascades included, so
 * deleting an environment counts) call back into it. The store also forgets on every rollback, and when
 * another process has committed (`PRAGMA data_version`). The one write it follows instead of forgetting
 * is a sign-in's `last_sign_in_at`, which every login makes ({@link DirectoryCache.signIn}).
 *
 * Entries are frozen: callers copy before they change anything (`copyWith(user, { lastSignInAt })`).
 *
 * @example
 * const cache = new DirectoryCache(db);
 * const user = cache.user(env, id, () => loadUserFromDb(env, id));
 * cache.signIn(env, id, now, () => db.prepare('UPDATE users SET last_sign_in_at = ? …').run(…));
 */
import { copyWith } from './copy-with.js';
import type { Database } from './db.js';
import type { Membership, User } from './model.js';

/** Beyond this many entries the cache starts over (many environments, many users). */
const MAX_ENTRIES = 10_000;

const FUNCTION = 'mock_authkit_directory_changed';
const TRIGGERS = ['users', 'memberships', 'organizations'].flatMap((table) =>
  ['INSERT', 'UPDATE', 'DELETE'].map(
    (event) => `CREATE TEMP TRIGGER IF NOT EXISTS ${FUNCTION}_${table}_${event.toLowerCase()} AFTER ${event} ON main.${table} BEGIN SELECT ${FUNCTION}(); END;`,
  ),
);

/** The caches watching each connection (a connection may carry more than one store). */
const watching = new WeakMap<Database, Set<DirectoryCache>>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

const key = (...parts: string[]) => parts.join('\u0000');

export class DirectoryCache {
  private readonly users = new Map<string, User>();
  /** `findUser` references (email, either vendor's id) → user id. */
  private readonly refs = new Map<string, string>();
  private readonly memberships = new Map<string, readonly Membership[]>();
  private watchingDb = false;
  private watchScheduled = false;
  /** Set while the store writes a sign-in time, which this cache applies instead of forgetting. */
  private followingSignIn = false;

  constructor(private readonly db: Database) {}

  /** Forgets everything. */
  clear(): void {
    this.users.clear();
    this.refs.clear();
    this.memberships.clear();
  }

  /** The user `id` of `environmentId`: remembered, or `load()`ed (a miss is not remembered). */
  user(environmentId: string, id: string, load: () => User | undefined): User | undefined {
    const hit = this.users.get(key(environmentId, id));
    if (hit) return hit;
    const found = load();
    if (found) this.remember(() => this.keepUser(environmentId, found));
    return found;
  }

  /** The user an email or id names (`findUser`). */
  userByRef(environmentId: string, ref: string, load: () => User | undefined): User | undefined {
    const id = this.refs.get(key(environmentId, ref));
    const hit = id === undefined ? undefined : this.users.get(key(environmentId, id));
    if (hit) return hit;
    const found = load();
    if (found)
      this.remember(() => {
        this.keepUser(environmentId, found);
        this.refs.set(key(environmentId, ref), found.id);
      });
    return found;
  }

  /** Every membership of a user, oldest first. */
  membershipsOf(environmentId: string, userId: string, load: () => Membership[]): readonly Membership[] {
    const hit = this.memberships.get(key(environmentId, userId));
    if (hit) return hit;
    const found = load();
    this.remember(() => this.memberships.set(key(environmentId, userId), deepFreeze(found)));
    return found;
  }

  /**
   * Runs `write` (which sets `users.last_sign_in_at` of one user and nothing else) and applies the new
   * time to the remembered user, instead of forgetting all users on every login.
   */
  signIn(environmentId: string, userId: string, now: number, write: () => void): void {
    this.followingSignIn = true;
    try {
      write();
    } finally {
      this.followingSignIn = false;
    }
    const cached = this.users.get(key(environmentId, userId));
    if (cached) this.users.set(key(environmentId, userId), Object.freeze(copyWith(cached, { lastSignInAt: now })));
  }

  private keepUser(environmentId: string, user: User): void {
    this.users.set(key(environmentId, user.id), deepFreeze(user));
  }

  private changed(): void {
    if (!this.followingSignIn) this.clear();
  }

  /** Stores an entry, first making sure this connection's writes reach {@link changed}. */
  private remember(store: () => void): void {
    if (!this.watchingDb) {
      // Triggers created inside a transaction would vanish if it rolled back: they are created outside
      // one, and until then nothing is remembered. Under load the connection is nearly always inside a
      // group commit, so they are also tried once the turn's group has committed.
      if (this.db.inTransaction) return this.watchSoon();
      this.watch();
    }
    if (this.users.size + this.refs.size + this.memberships.size >= MAX_ENTRIES) this.clear();
    store();
  }

  private watchSoon(): void {
    if (this.watchScheduled) return;
    this.watchScheduled = true;
    setImmediate(() => {
      this.watchScheduled = false;
      if (this.db.open && !this.watchingDb && !this.db.inTransaction) this.watch();
    }).unref();
  }

  private watch(): void {
    let caches = watching.get(this.db);
    if (!caches) {
      const set = new Set<DirectoryCache>();
      caches = set;
      watching.set(this.db, set);
      this.db.function(FUNCTION, { deterministic: false, varargs: false }, () => {
        for (const cache of set) cache.changed();
        return null;
      });
      // TEMP triggers live in this connection only, so nothing is written to the database file.
      for (const sql of TRIGGERS) this.db.exec(sql);
    }
    caches.add(this);
    this.watchingDb = true;
  }
}
