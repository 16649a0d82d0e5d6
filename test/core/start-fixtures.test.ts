/**
 * Start fixtures are validated once and then found again by a hash of their text (so a restart does not
 * load zod); a changed text is validated again, and a schema change must bump FIXTURE_SCHEMA_VERSION.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/core/db.js';
import { FixtureError } from '../../src/core/fixtures.js';
import { FIXTURE_SCHEMA_VERSION, readStartFixtures, validatedStartFixtures } from '../../src/core/start-fixtures.js';
import { Store } from '../../src/core/store.js';

let db: Database;
let store: Store;
let dir: string;

beforeEach(() => {
  db = openDatabase(':memory:');
  store = new Store(db);
  dir = mkdtempSync(join(tmpdir(), 'mock-authkit-start-fixtures-'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const cachedRows = () => db.prepare('SELECT key, document FROM fixture_cache').all() as Array<{ key: string; document: string }>;

describe('the start-fixture cache', () => {
  it('validates the first time, then serves the same texts from the cache without validating', async () => {
    const input = readStartFixtures(undefined, dir); // no local file in dir: the built-in default
    expect(input.source).toBe('built-in default fixture');
    const first = await validatedStartFixtures(store, input, 1000);
    expect(first.users?.map((u) => u.email)).toContain('alice@acme.test');
    expect(cachedRows()).toHaveLength(1);
    expect(JSON.parse(cachedRows()[0].document)).toEqual(first);

    // Had it validated again, it would not return what the cache holds.
    db.prepare('UPDATE fixture_cache SET document = ?').run(JSON.stringify({ users: [{ email: 'from-cache@x.test' }] }));
    const second = await validatedStartFixtures(store, readStartFixtures(undefined, dir), 2000);
    expect(second).toEqual({ users: [{ email: 'from-cache@x.test' }] });
  });

  it('validates a changed fixture again: an edit that breaks it fails the start', async () => {
    const file = join(dir, 'mock-authkit.fixtures.json');
    writeFileSync(file, JSON.stringify({ users: [{ email: 'dana@acme.test' }] }));
    expect((await validatedStartFixtures(store, readStartFixtures(undefined, dir), 1000)).users).toEqual([{ email: 'dana@acme.test' }]);
    writeFileSync(file, JSON.stringify({ users: [{ email: 'not an email' }] }));
    const error = await validatedStartFixtures(store, readStartFixtures(undefined, dir), 2000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FixtureError);
    expect((error as FixtureError).problems).toEqual([{ path: '$.users[0].email', message: 'must be an email address' }]);
    expect(cachedRows()).toHaveLength(1);
  });

  it('keys a fixture document passed in by its JSON, and keeps at most 16 entries', async () => {
    for (let i = 0; i < 20; i++) await validatedStartFixtures(store, { source: 'fixtures option', doc: { organizations: [{ name: `Org ${i}` }] } }, 1000 + i);
    expect(cachedRows()).toHaveLength(16);
    const newest = await validatedStartFixtures(store, { source: 'fixtures option', doc: { organizations: [{ name: 'Org 19' }] } }, 5000);
    expect(newest).toEqual({ organizations: [{ name: 'Org 19' }] });
  });

  it('is invalidated by a schema change: schemas.ts may not change without bumping FIXTURE_SCHEMA_VERSION', () => {
    // When this fails after an edit of src/core/schemas.ts: bump FIXTURE_SCHEMA_VERSION in
    // src/core/start-fixtures.ts if what a valid fixture is, or how it is normalized, changed; then record
    // the file's new hash here.
    const hash = createHash('sha256').update(readFileSync(new URL('../../src/core/schemas.ts', import.meta.url))).digest('hex');
    expect({ version: FIXTURE_SCHEMA_VERSION, hash }).toEqual({ version: 1, hash: '0d360bc435413d5a240b50691cae6a9caa6698b62bae4fae0c46c51adfb40150' });
  });
});
