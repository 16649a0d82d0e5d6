/**
 * Group commit (src/core/group-commit.ts): the write transactions of one event-loop turn share a COMMIT;
 * a failing one loses only its own writes; nothing is visible to another connection (another process)
 * before `committed()` resolves; with grouping off, each transaction commits at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/core/db.js';
import { secretKeys } from '../../src/core/ids.js';
import { Store } from '../../src/core/store.js';
import { createMockAuthKit } from '../../src/server.js';

const dirs: string[] = [];
const opened: Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A database file (its folder removed after the test) and a second connection to it, as a second process would have. */
function fileWithOtherConnection(): { path: string; other: Database } {
  const dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
  dirs.push(dir);
  const path = join(dir, 'db.sqlite');
  const other = openDatabase(path);
  opened.push(other);
  return { path, other };
}

/** A store on a file, plus a second connection to the same file. */
function twoConnections(grouping: () => boolean) {
  const { path, other } = fileWithOtherConnection();
  const db = openDatabase(path);
  opened.push(db);
  const store = new Store(db);
  store.groupCommits(grouping);
  const write = (id: string) => store.transaction(() => store.ensureEnvironment(id, null, 1));
  const seenByOther = () => (other.prepare('SELECT id FROM environments ORDER BY id').pluck().all() as string[]).join(',');
  return { db, store, write, seenByOther };
}

describe('group commit', () => {
  it('commits the transactions of one turn together, after the turn, and only then shows them to other connections', async () => {
    const { db, store, write, seenByOther } = twoConnections(() => true);
    write('a');
    write('b');
    expect(db.inTransaction).toBe(true); // both are in the open group
    expect(store.environmentExists('a') && store.environmentExists('b')).toBe(true); // this connection sees them
    expect(seenByOther()).toBe('');
    const committed = store.committed();
    expect(committed).toBeInstanceOf(Promise);
    await committed;
    expect(db.inTransaction).toBe(false);
    expect(seenByOther()).toBe('a,b');
    expect(store.committed()).toBeUndefined(); // nothing left to wait for
  });

  it('rolls back only the failing transaction of a group', async () => {
    const { store, write, seenByOther } = twoConnections(() => true);
    write('a');
    expect(() =>
      store.transaction(() => {
        store.ensureEnvironment('doomed', null, 1);
        throw new Error('handler failed');
      }),
    ).toThrow('handler failed');
    write('c');
    await store.committed();
    expect(seenByOther()).toBe('a,c');
  });

  it('rolls back a failing first transaction of a group with its SQLite transaction, which begins again for the rest of the turn', async () => {
    const { db, store, write, seenByOther } = twoConnections(() => true);
    expect(() =>
      store.transaction(() => {
        store.ensureEnvironment('doomed', null, 1);
        throw new Error('handler failed');
      }),
    ).toThrow('handler failed');
    expect(db.inTransaction).toBe(true); // the group's transaction began again
    expect(store.environmentExists('doomed')).toBe(false);
    write('b');
    await store.committed();
    expect(seenByOther()).toBe('b');
  });

  it('runs the first transaction of a group without a savepoint and the later ones inside savepoints', async () => {
    const { store, write } = twoConnections(() => true);
    const statements: string[] = [];
    const sql = store.sql.bind(store);
    store.sql = (text: string) => (statements.push(text), sql(text));
    write('a');
    expect(statements.filter((text) => text.startsWith('SAVEPOINT'))).toEqual([]);
    write('b');
    expect(statements.filter((text) => text.startsWith('SAVEPOINT'))).toEqual(['SAVEPOINT nested']);
    await store.committed();
  });

  it('commits each transaction at once while grouping does not pay (a lone client)', () => {
    const { db, store, write, seenByOther } = twoConnections(() => false);
    write('a');
    expect(db.inTransaction).toBe(false);
    expect(store.committed()).toBeUndefined();
    expect(seenByOther()).toBe('a');
  });

  it('flush() commits a pending group at once (the server calls it before closing the database)', () => {
    const { store, write, seenByOther } = twoConnections(() => true);
    write('a');
    store.flush();
    expect(seenByOther()).toBe('a');
  });

  it('fails the waiters when the group could not be committed', async () => {
    const { db, store, write, seenByOther } = twoConnections(() => true);
    write('a');
    const committed = store.committed();
    db.prepare('ROLLBACK').run(); // what SQLite does on its own after e.g. SQLITE_FULL in a member
    store.flush();
    await expect(committed).rejects.toThrow(/rolled back/);
    expect(seenByOther()).toBe('');
  });

  it('the server answers a request that wrote only once its write is committed (another connection sees it)', async () => {
    const { path, other } = fileWithOtherConnection();
    const { app, ctx, db } = await createMockAuthKit({ db: path, login: 'headless', log: () => {} });
    opened.push(db);
    ctx.store.groupCommits(() => true); // as with several clients connected
    const codeRow = other.prepare('SELECT used_at FROM authorization_codes WHERE code_hash = ?');
    const res = await app.request(
      '/user_management/authorize?client_id=client_01MOCKAUTHKIT0000000000000&redirect_uri=http://localhost:3000/callback&response_type=code&login_hint=alice@acme.test',
    );
    // The redirect is out: the code it carries must already be stored for good (a kill -9 now keeps it).
    const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
    expect(codeRow.get(secretKeys(code).key)).toEqual({ used_at: null });
  });
});
