/**
 * Opens the SQLite database (a file, created with its folder, or `:memory:`), turns on WAL and foreign
 * keys, and brings the schema up to date.
 *
 * @example
 * const db = openDatabase('.mock-authkit/mock-authkit.sqlite');
 * db.prepare('SELECT count(*) AS n FROM users').get();
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import BetterSqlite3 from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';
import { UserFacingError } from './user-facing-error.js';

export type Database = BetterSqlite3.Database;

const require = createRequire(import.meta.url);

/** The one-line fix for a dependency whose native build npm 11 skipped (install scripts need approval). */
export const NATIVE_BUILD_FIX = 'npm approve-scripts better-sqlite3 && npm rebuild better-sqlite3';

const NOT_BUILT = `the better-sqlite3 native module is not built for this Node (npm 11 runs install scripts only when approved). Fix: ${NATIVE_BUILD_FIX}`;

/** Turns better-sqlite3's "no native binding" failures into the one-line fix; undefined for other errors. */
function nativeBindingProblem(error: unknown): UserFacingError | undefined {
  const message = error instanceof Error ? error.message : String(error);
  if (!/better_sqlite3\.node|NODE_MODULE_VERSION|invalid ELF|was compiled against a different Node/i.test(message)) return undefined;
  return new UserFacingError(NOT_BUILT);
}

/**
 * Where npm builds better-sqlite3's native half (prebuilt or compiled, both land there). Handing the path
 * over skips the `bindings` package, which reads a stack trace and probes a dozen paths on every start,
 * and which cannot find the addon from inside the CLI's bundle at all. Missing when npm skipped the build
 * (npm 11 runs install scripts only when approved): then the one-line fix.
 */
function nativeBinding(): string {
  try {
    return require.resolve('better-sqlite3/build/Release/better_sqlite3.node');
  } catch {
    throw new UserFacingError(NOT_BUILT);
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Turns on WAL. Connections opening a new file at the same instant can each hold a read lock while asking
 * for the exclusive lock the switch needs; SQLite answers that with SQLITE_BUSY at once rather than wait
 * (both waiting would deadlock), so the busy timeout does not help and the switch is retried for up to 5 s.
 */
function enableWal(db: Database): void {
  const deadline = performance.now() + 5000;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || performance.now() > deadline) throw error;
      Atomics.wait(pause, 0, 0, 2 + Math.random() * 8);
    }
  }
}

/** Where better-sqlite3's JavaScript and native halves are, for a worker thread to open its own connection. */
export function driverPaths(): { module: string; addon: string } {
  return { module: require.resolve('better-sqlite3'), addon: nativeBinding() };
}

/**
 * The size a WAL file that grew under a burst of logins is cut back to when the WAL starts over (SQLite's
 * `journal_size_limit`), so a long-running dev server's files stay small. While the checkpoint worker runs,
 * it empties the file once the server is idle instead (checkpointer.ts).
 */
export const WAL_SIZE_LIMIT = 4 * 1024 * 1024;

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Opens (and migrates) the database at `path`; `':memory:'` gives a private in-memory database. */
export function openDatabase(path: string): Database {
  if (path !== ':memory:') {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw new UserFacingError(`cannot create the folder for the database ${path}: ${(error as Error).message}`);
    }
  }
  const addon = nativeBinding();
  let db: Database;
  try {
    db = new BetterSqlite3(path, { nativeBinding: addon });
    enableWal(db);
  } catch (error) {
    throw nativeBindingProblem(error) ?? new UserFacingError(`cannot open the database ${path}: ${(error as Error).message}`);
  }
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // better-sqlite3 raises SQLite's page cache to 16 MiB; a mock's database is a few MiB and the OS caches
  // the file anyway, so 4 MiB keeps the server's resident memory under load ~12 MiB lower (npm run bench).
  db.pragma('cache_size = -4000');
  // A savepoint inside a transaction (every group-commit member, every nested store.transaction) keeps
  // the pages it changes in a sub-journal, by default a temporary file: two writes per page plus an
  // open, unlink and close per transaction. Kept in memory instead (it lives only as long as the
  // transaction).
  db.pragma('temp_store = MEMORY');
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
  try {
    migrate(db);
  } catch (error) {
    db.close();
    if (error instanceof UserFacingError) throw error;
    throw new UserFacingError(`the database ${path} is not usable: ${(error as Error).message}`);
  }
  return db;
}

/**
 * Applies every migration newer than the database's `user_version`, each in its own transaction. The
 * version is read again under the write lock (BEGIN IMMEDIATE): two processes starting at once on a new
 * file must not both run the same migration ("table … already exists").
 */
export function migrate(db: Database): void {
  const version = () => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > MIGRATIONS.length) {
      throw new UserFacingError(
        `the database was written by a newer mock-authkit (schema ${current}, this one knows ${MIGRATIONS.length}); upgrade mock-authkit or use another --db`,
      );
    }
    return current;
  };
  while (version() < MIGRATIONS.length) {
    db.transaction(() => {
      const current = version();
      if (current === MIGRATIONS.length) return;
      db.exec(MIGRATIONS[current]);
      db.pragma(`user_version = ${current + 1}`);
    }).immediate();
  }
}
