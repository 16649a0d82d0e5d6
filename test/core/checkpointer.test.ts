/**
 * The WAL is checkpointed by a worker thread: pages reach the database file without the server's own
 * connection ever checkpointing, and stopping the worker leaves the server's connection the last one.
 */
import { existsSync, statSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Checkpointer } from '../../src/core/checkpointer.js';
import { WAL_SIZE_LIMIT, openDatabase } from '../../src/core/db.js';
import { tempDb } from '../helpers/cli.js';

/** A `filler` table of ~300 pages: far below the server connection's automatic checkpoint. */
function fill(db: BetterSqlite3.Database): void {
  db.exec('CREATE TABLE filler (x BLOB)');
  db.exec('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO filler SELECT randomblob(4000) FROM n');
}

const fillerRows = (db: BetterSqlite3.Database) => (db.prepare('SELECT count(*) AS n FROM filler').get() as { n: number }).n;

/** Waits up to 5 s for `done()` (the worker ticks on its own thread). */
async function waitFor(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!done() && Date.now() < deadline) await new Promise((tick) => setTimeout(tick, 20));
}

/** A new database with its checkpoint worker running, ticking every `intervalMs`. */
async function withWorker(intervalMs: number) {
  const path = tempDb();
  const db = openDatabase(path);
  const checkpointer = Checkpointer.start(db, path, intervalMs);
  expect(await checkpointer.ready).toBe(true);
  return { path, db, checkpointer };
}

describe('Checkpointer', () => {
  it('copies committed pages into the database file from its own thread', async () => {
    const { path, db, checkpointer } = await withWorker(20);
    // While it runs, the server's connection checkpoints only far beyond SQLite's 1 000 pages, and never
    // cuts the WAL file back inside a commit.
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(-1);

    const before = statSync(path).size;
    // Only the worker can copy these pages into the database file.
    fill(db);

    await waitFor(() => statSync(path).size >= before + 300 * 4000);
    expect(statSync(path).size).toBeGreaterThanOrEqual(before + 300 * 4000);

    await checkpointer.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(WAL_SIZE_LIMIT);
    db.close();
    // The worker's connection is closed too: the server's was the last one, so SQLite removed the WAL.
    expect(existsSync(`${path}-wal`)).toBe(false);
    const reopened = openDatabase(path);
    expect(fillerRows(reopened)).toBe(300);
    reopened.close();
  });

  it('empties the WAL file once nothing has been committed for a while, and the server writes on', async () => {
    const { path, db, checkpointer } = await withWorker(10);
    fill(db);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(300 * 4000);

    // 20 quiet ticks of 10 ms, then a TRUNCATE checkpoint.
    await waitFor(() => statSync(`${path}-wal`).size === 0);
    expect(statSync(`${path}-wal`).size).toBe(0);

    // The server's connection starts the WAL over and loses nothing.
    db.prepare('INSERT INTO filler VALUES (randomblob(10))').run();
    expect(fillerRows(db)).toBe(301);
    await checkpointer.stop();
    db.close();
    const reopened = openDatabase(path);
    expect(fillerRows(reopened)).toBe(301);
    reopened.close();
  });

  it('a reader holding the WAL never makes the server wait to write while the WAL cannot be emptied', async () => {
    const { path, db, checkpointer } = await withWorker(10);
    db.exec('CREATE TABLE t (x)');
    db.prepare('INSERT INTO t VALUES (1)').run();
    // Another process's open read transaction (a second server, a sqlite3 shell): the WAL cannot start
    // over while it reads from it, so the worker's TRUNCATE checkpoint cannot finish.
    const reader = new BetterSqlite3(path);
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM t').get();

    await new Promise((quiet) => setTimeout(quiet, 400)); // 20 quiet ticks of 10 ms, and then some
    const started = performance.now();
    db.prepare('INSERT INTO t VALUES (2)').run();
    expect(performance.now() - started).toBeLessThan(100);

    reader.exec('COMMIT');
    reader.close();
    await checkpointer.stop();
    db.close();
  });
});
