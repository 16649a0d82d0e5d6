/**
 * The directory cache (src/core/directory-cache.ts): users and memberships answered from memory, and
 * never stale. Each write path is made behind the store's back (plain SQL on the same connection, a
 * cascade, a rollback, a second connection as another process would have) and must be seen at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/core/db.js';
import { seedDocument } from '../../src/core/seed.js';
import { Store } from '../../src/core/store.js';
import { tempDb } from '../helpers/cli.js';

const ENV = 'default';
const opened: Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

function seeded(path = ':memory:') {
  const db = openDatabase(path);
  opened.push(db);
  const store = new Store(db);
  store.ensureEnvironment(ENV, null, 1);
  seedDocument(
    store,
    ENV,
    {
      organizations: [{ id: 'org_A', name: 'Acme' }],
      users: [{ id: 'user_alice', email: 'alice@acme.test', first_name: 'Alice', memberships: [{ organization_id: 'org_A', role: 'admin' }] }],
    },
    1,
  );
  return { db, store };
}

/** Lookups made outside any transaction, so the cache keeps them (and watches the connection). */
function warm(store: Store) {
  expect(store.findUser(ENV, 'alice@acme.test')?.firstName).toBe('Alice');
  expect(store.getUser(ENV, 'user_alice')?.firstName).toBe('Alice');
  expect(store.getMembership(ENV, 'user_alice', 'org_A')?.role).toBe('admin');
}

describe('directory cache', () => {
  it('answers from memory: a second lookup runs no query', () => {
    const { db, store } = seeded();
    warm(store);
    // Behind SQLite's back is not possible, so prove it with a statement that would now fail: the
    // users table renamed away. Cached answers still come; uncached ones fail.
    db.exec('ALTER TABLE users RENAME TO users_elsewhere');
    expect(store.getUser(ENV, 'user_alice')?.email).toBe('alice@acme.test');
    expect(store.findUser(ENV, 'alice@acme.test')?.id).toBe('user_alice');
    expect(() => store.findUser(ENV, 'nobody@acme.test')).toThrow();
  });

  it('hands out frozen users and memberships', () => {
    const { store } = seeded();
    warm(store);
    const user = store.getUser(ENV, 'user_alice')!;
    expect(Object.isFrozen(user)).toBe(true);
    expect(() => ((user as { firstName: string | null }).firstName = 'Mallory')).toThrow(TypeError);
    expect(Object.isFrozen(store.membershipsOfUser(ENV, 'user_alice'))).toBe(true);
  });

  it('sees plain SQL writes of this connection to users, memberships and organizations', () => {
    const { db, store } = seeded();
    warm(store);
    db.prepare("UPDATE users SET first_name = 'Alicia' WHERE id = 'user_alice'").run();
    expect(store.getUser(ENV, 'user_alice')?.firstName).toBe('Alicia');
    expect(store.findUser(ENV, 'alice@acme.test')?.firstName).toBe('Alicia');
    db.prepare("UPDATE memberships SET role = 'member' WHERE user_id = 'user_alice'").run();
    expect(store.getMembership(ENV, 'user_alice', 'org_A')?.role).toBe('member');
    db.prepare("UPDATE organizations SET name = 'Acme Corp' WHERE id = 'org_A'").run();
    expect(store.membershipsOfUser(ENV, 'user_alice')[0].organizationName).toBe('Acme Corp');
    db.prepare("DELETE FROM memberships WHERE user_id = 'user_alice'").run();
    expect(store.getMembership(ENV, 'user_alice', 'org_A')).toBeUndefined();
  });

  it('forgets users removed by a cascade (deleting their environment)', () => {
    const { store } = seeded();
    warm(store);
    store.deleteEnvironment(ENV);
    expect(store.getUser(ENV, 'user_alice')).toBeUndefined();
    expect(store.findUser(ENV, 'alice@acme.test')).toBeUndefined();
  });

  it('keeps its users through a sign-in (every login makes one)', () => {
    const { db, store } = seeded();
    warm(store);
    store.recordSignIn(ENV, 'user_alice', 1000);
    db.exec('ALTER TABLE users RENAME TO users_elsewhere'); // any query now fails
    expect(store.getUser(ENV, 'user_alice')?.lastSignInAt).toBe(1000);
    expect(store.findUser(ENV, 'alice@acme.test')?.lastSignInAt).toBe(1000);
  });

  it('follows a sign-in time, and forgets it again when its transaction rolls back', () => {
    const { store } = seeded();
    warm(store);
    store.recordSignIn(ENV, 'user_alice', 1000);
    expect(store.getUser(ENV, 'user_alice')?.lastSignInAt).toBe(1000);
    expect(store.findUser(ENV, 'alice@acme.test')?.lastSignInAt).toBe(1000);
    expect(() =>
      store.transaction(() => {
        store.recordSignIn(ENV, 'user_alice', 2000);
        expect(store.getUser(ENV, 'user_alice')?.lastSignInAt).toBe(2000);
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expect(store.getUser(ENV, 'user_alice')?.lastSignInAt).toBe(1000);
  });

  it('forgets what a group commit that failed had read', async () => {
    const { db, store } = seeded();
    warm(store);
    store.groupCommits(() => true);
    store.transaction(() => store.recordSignIn(ENV, 'user_alice', 3000));
    expect(store.getUser(ENV, 'user_alice')?.lastSignInAt).toBe(3000);
    // The group's COMMIT fails: its writes are gone, and so must be what the cache learnt from them.
    db.prepare('ROLLBACK').run();
    await expect(store.committed()).rejects.toThrow();
    expect(store.getUser(ENV, 'user_alice')?.lastSignInAt).toBeNull();
  });

  it("sees another process's commit from the next event-loop turn", async () => {
    const path = tempDb();
    const { store } = seeded(path);
    warm(store);
    const other = openDatabase(path);
    opened.push(other);
    other.prepare("UPDATE users SET first_name = 'Ally' WHERE id = 'user_alice'").run();
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.getUser(ENV, 'user_alice')?.firstName).toBe('Ally');
  });

  it('starts watching only outside a transaction (a rollback would take its triggers along)', () => {
    const path = tempDb();
    seeded(path).db.close();
    // A new connection, which no cache has watched yet (seeding looked users up).
    const db = openDatabase(path);
    opened.push(db);
    const store = new Store(db);
    expect(() =>
      store.transaction(() => {
        expect(store.getUser(ENV, 'user_alice')?.firstName).toBe('Alice');
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    warm(store);
    db.prepare("UPDATE users SET first_name = 'Alicia' WHERE id = 'user_alice'").run();
    expect(store.getUser(ENV, 'user_alice')?.firstName).toBe('Alicia');
  });
});
