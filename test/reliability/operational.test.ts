/**
 * Operational errors `test/cli/commands.test.ts` does not already cover, each answered with one clear
 * line on stderr, exit code 1, no stack trace and nothing on stdout: invalid, missing, unparseable or
 * empty `--fixtures` for `start`; `seed` with an invalid fixture (nothing written) or one that conflicts
 * with stored rows (rolled back); a `--db` that is a directory, truncated, or with a damaged page; bad
 * values from environment variables; `export --out` into a folder.
 * (Two servers on one file: `concurrency.test.ts`. A database left by `kill -9`: `crash.test.ts`.)
 */
import { execFile } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, tempDir } from '../helpers/cli.js';

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 20_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      done({ code: error ? ((error as { code?: unknown }).code as number | null) : 0, stdout, stderr });
    });
  });
}

const dir = tempDir('mock-authkit-ops-');
const file = (name: string, content?: string) => {
  const path = join(dir, name);
  if (content !== undefined) writeFileSync(path, content);
  return path;
};

/** Exit 1, one line matching `pattern` (commander may add its usage hint), no stack trace, nothing on stdout. */
function expectOneLineFailure(result: Result, pattern: RegExp) {
  expect(result.code, result.stderr).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines.length, result.stderr).toBeLessThanOrEqual(2);
  if (lines.length === 2) expect(lines[1]).toBe('(run mock-authkit --help for usage)');
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at |Error:|node:internal/);
  expect(result.stdout).toBe('');
}

const INVALID = { organizations: [{ id: 'org ok?', name: 'Bad' }], users: [{ email: 'not-an-email' }] };

describe('start with bad --fixtures', () => {
  it('an invalid fixture: one line naming the file and each JSON path', async () => {
    const bad = file('invalid.json', JSON.stringify(INVALID));
    for (const extra of [[], ['--json']]) {
      const result = await run(['start', '--port', '0', '--db', ':memory:', '--fixtures', bad, ...extra]);
      expectOneLineFailure(result, /^mock-authkit: invalid fixture .*invalid\.json: /);
      expect(result.stderr).toContain('$.users[0].email must be an email address');
      expect(result.stderr).toContain('$.organizations[0].id may only contain');
    }
  });

  it('a missing file, a file that is not JSON, a JSON array, an empty folder: one line each', async () => {
    const empty = join(dir, 'empty-folder');
    mkdirSync(empty);
    const cases: Array<[string, RegExp]> = [
      [join(dir, 'missing.json'), /^mock-authkit: fixture not found: .*missing\.json$/],
      [file('broken.json', '{ "users": [ '), /^mock-authkit: invalid fixture .*broken\.json: \$ is not valid JSON/],
      [file('array.json', '[1, 2]'), /^mock-authkit: invalid fixture .*array\.json: \$ .*expected object/],
      [empty, /^mock-authkit: no fixture files \(\*\.json\) in the folder .*empty-folder$/],
    ];
    const results = await Promise.all(cases.map(([path]) => run(['start', '--port', '0', '--json', '--db', ':memory:', '--fixtures', path])));
    results.forEach((result, i) => expectOneLineFailure(result, cases[i][1]));
  });

  it('the same through MOCK_AUTHKIT_FIXTURES', async () => {
    const result = await run(['start', '--port', '0', '--db', ':memory:'], { MOCK_AUTHKIT_FIXTURES: join(dir, 'nowhere.json') });
    expectOneLineFailure(result, /^mock-authkit: fixture not found: .*nowhere\.json$/);
  });
});

describe('seed with a bad fixture', () => {
  it('an invalid fixture: one line with the JSON paths, and no database is created', async () => {
    const db = join(dir, 'never', 'db.sqlite');
    const result = await run(['seed', file('seed-invalid.json', JSON.stringify(INVALID)), '--db', db]);
    expectOneLineFailure(result, /^mock-authkit: invalid fixture .*seed-invalid\.json: .*\$\.users\[0\]\.email must be an email address/);
    expect(existsSync(db)).toBe(false);
  });

  it('a fixture that conflicts with stored rows: one line naming the path, and the whole document is rolled back', async () => {
    const db = join(dir, 'seeded.sqlite');
    const first = {
      workos: {
        clients: [
          { client_id: 'client_one', api_key: 'sk_test_one', redirect_uris: ['http://localhost:*'] },
          { client_id: 'client_two', api_key: 'sk_test_two', redirect_uris: ['http://localhost:*'] },
        ],
      },
    };
    expect((await run(['seed', file('first.json', JSON.stringify(first)), '--db', db])).code).toBe(0);
    const before = await run(['export', '--db', db]);
    // A new user would be valid on its own; giving client_two the api_key client_one holds is not.
    const conflicting = {
      users: [{ email: 'newcomer@x.test' }],
      workos: { clients: [{ client_id: 'client_two', api_key: 'sk_test_one', redirect_uris: ['http://localhost:*'] }] },
    };
    const result = await run(['seed', file('conflict.json', JSON.stringify(conflicting)), '--db', db]);
    expectOneLineFailure(result, /^mock-authkit: invalid fixture .*\$\.workos\.clients\[0\]\.api_key already belongs to client client_one/);
    expect((await run(['export', '--db', db])).stdout).toBe(before.stdout);
    expect(before.stdout).not.toContain('newcomer@x.test');
  });
});

describe('unusable --db paths', () => {
  let seeded: string;

  beforeAll(async () => {
    seeded = join(dir, 'good.sqlite');
    expect((await run(['reset', '--db', seeded])).code).toBe(0);
    expect((await run(['seed', join(import.meta.dirname, '../../fixtures/default.json'), '--db', seeded])).code).toBe(0);
    // One self-contained file (no -wal beside it) to damage.
    const handle = new Database(seeded);
    handle.pragma('wal_checkpoint(TRUNCATE)');
    handle.close();
  });

  it('a directory: one line for start, seed, reset, export and token', async () => {
    const folder = join(dir, 'a-folder.sqlite');
    mkdirSync(folder);
    const results = await Promise.all([
      run(['start', '--port', '0', '--json', '--db', folder]),
      run(['seed', join(import.meta.dirname, '../../fixtures/default.json'), '--db', folder]),
      run(['reset', '--db', folder]),
      run(['export', '--db', folder]),
      run(['token', '--user', 'alice@acme.test', '--db', folder]),
    ]);
    for (const result of results) expectOneLineFailure(result, /^mock-authkit: cannot open the database .*a-folder\.sqlite: /);
  });

  it('a truncated file and a file with a damaged page: one line naming the file, every time', async () => {
    const truncated = join(dir, 'truncated.sqlite');
    copyFileSync(seeded, truncated);
    truncateSync(truncated, Math.floor(statSync(seeded).size / 2));
    const damaged = join(dir, 'damaged.sqlite');
    copyFileSync(seeded, damaged);
    const fd = openSync(damaged, 'r+');
    // The root page of one table: the file opens and migrates, and breaks on first use of that table.
    const handle = new Database(seeded, { readonly: true });
    const { rootpage } = handle.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'workos_clients'").get() as { rootpage: number };
    const pageSize = handle.pragma('page_size', { simple: true }) as number;
    handle.close();
    writeSync(fd, Buffer.alloc(pageSize, 0xff), 0, pageSize, (rootpage - 1) * pageSize);
    closeSync(fd);

    const results = await Promise.all([
      run(['start', '--port', '0', '--json', '--db', truncated]),
      run(['start', '--port', '0', '--json', '--db', damaged]),
      run(['token', '--user', 'alice@acme.test', '--db', damaged]),
    ]);
    expectOneLineFailure(results[0], /^mock-authkit: .*database .*truncated\.sqlite.*(malformed|corrupt)/);
    expectOneLineFailure(results[1], /^mock-authkit: the database .*damaged\.sqlite is corrupt/);
    expectOneLineFailure(results[2], /^mock-authkit: the database .*damaged\.sqlite is corrupt/);
    expectOneLineFailure(await run(['start', '--port', '0', '--json', '--db', damaged]), /^mock-authkit: the database .*damaged\.sqlite is corrupt/);
  });

  it('export --out into a folder: one line', async () => {
    const result = await run(['export', '--db', seeded, '--out', dir]);
    expectOneLineFailure(result, /^mock-authkit: .*(EISDIR|directory)/);
  });
});

describe('bad values from environment variables', () => {
  it('answer like the flags, in one line naming the variable', async () => {
    const cases: Array<[NodeJS.ProcessEnv, RegExp]> = [
      [{ MOCK_AUTHKIT_PORT: 'eighty' }, /MOCK_AUTHKIT_PORT.*must be an integer/],
      [{ MOCK_AUTHKIT_LOGIN: 'sometimes' }, /MOCK_AUTHKIT_LOGIN.*'auto', 'page' or 'headless'/],
      [{ MOCK_AUTHKIT_ISSUER: 'not a url' }, /MOCK_AUTHKIT_ISSUER.*absolute URL/],
      [{ MOCK_AUTHKIT_ACCESS_TOKEN_TTL: '0' }, /MOCK_AUTHKIT_ACCESS_TOKEN_TTL.*whole number of seconds/],
    ];
    const results = await Promise.all(cases.map(([env]) => run(['start', '--db', ':memory:'], env)));
    results.forEach((result, i) => expectOneLineFailure(result, cases[i][1]));
  });
});
