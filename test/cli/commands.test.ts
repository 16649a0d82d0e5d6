/**
 * The CLI as a user types it: validate, seed, export, reset, token, and the one-line errors for bad
 * flags and unusable environments.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import Module from 'node:module';
import { Script } from 'node:vm';
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { BIN, startCli, tempDb, tempDir } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../..');

function run(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: options.cwd, env: { ...process.env, ...options.env }, timeout: 20_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A folder holding what the package ships (bin, dist, fixtures, package.json), as an app's install has it. */
function packageCopy(): string {
  const app = tempDir();
  for (const part of ['bin', 'dist', 'fixtures', 'package.json']) cpSync(join(ROOT, part), join(app, part), { recursive: true });
  return app;
}

/** One line, no stack trace. */
function expectOneLine(text: string, pattern: RegExp) {
  const lines = text.trim().split('\n');
  expect(lines.length, text).toBeLessThanOrEqual(2);
  expect(lines[0]).toMatch(pattern);
  expect(text).not.toMatch(/\n\s+at /);
}

describe('--version', () => {
  it('prints the installed package version and nothing else, with -V too', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const result = run([flag]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${version}\n`);
      expect(result.stderr).toBe('');
    }
  });
});

describe("the launcher's code cache", () => {
  const BUNDLE = join(ROOT, 'dist', 'bundle', 'cli.cjs');
  const sha256 = (text: string) => createHash('sha256').update(text).digest();

  it('is made by the build for this very bundle, and V8 takes it', () => {
    const source = readFileSync(BUNDLE, 'utf8');
    const cache = readFileSync(`${BUNDLE}.v8cache`);
    expect(cache.subarray(0, 32).equals(sha256(source))).toBe(true);
    const script = new Script(Module.wrap(source), { filename: BUNDLE, cachedData: cache.subarray(32) });
    expect(script.cachedDataRejected).toBe(false);
  });

  it('is never handed to V8 with another source, not even one of the same length', () => {
    // V8 checks a cache against the source's length only: the cache of a same-length bundle that never
    // starts the CLI would run in its place. The launcher must see that it belongs to another source.
    const app = packageCopy();
    const source = readFileSync(BUNDLE, 'utf8');
    const other = source.replace('finished=main();0&&(module', 'finished=0;0;0;;0&&(module');
    expect(other).not.toBe(source);
    expect(other.length).toBe(source.length);
    const otherCache = new Script(Module.wrap(other), { filename: BUNDLE }).createCachedData();
    writeFileSync(join(app, 'dist', 'bundle', 'cli.cjs.v8cache'), Buffer.concat([sha256(other), otherCache]));
    const result = spawnSync(process.execPath, [join(app, 'bin', 'mock-authkit.js'), '--version'], { encoding: 'utf8', timeout: 20_000 });
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(result.status).toBe(0);
  });
});

describe('validate', () => {
  it('accepts the built-in fixture', () => {
    const result = run(['validate']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ok: .*default\.json \(4 users, 2 organizations, 1 scenarios\)/);
  });

  it('prints every problem with its JSON path and exits 1', () => {
    const dir = tempDir();
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        organizations: [{ id: 'org_1', name: 'One' }],
        users: [
          { email: 'not-an-email' },
          { email: 'ok@x.test', memberships: [{ organization_id: 'org_missing' }], colour: 'blue' },
        ],
      }),
    );
    const result = run(['validate', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}: $.users[0].email must be an email address`);
    expect(result.stderr).toContain(`${file}: $.users[1] unknown key: colour`);
    const second = join(dir, 'refs.json');
    writeFileSync(second, JSON.stringify({ organizations: [{ id: 'org_1', name: 'One' }], users: [{ email: 'ok@x.test', memberships: [{ organization_id: 'org_missing' }] }] }));
    const refs = run(['validate', second]);
    expect(refs.code).toBe(1);
    expect(refs.stderr.trim()).toBe(`${second}: $.users[0].memberships[0].organization_id no organization with id "org_missing"`);
  });

  it('names a file that is not JSON', () => {
    const file = join(tempDir(), 'broken.json');
    writeFileSync(file, '{ "users": [ ');
    const result = run(['validate', file]);
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, /broken\.json: \$ is not valid JSON/);
  });
});

describe('seed, export, reset', () => {
  it('seeds idempotently and exports a document that seeds to the same state', () => {
    const dir = tempDir();
    const db = join(dir, 'state.sqlite');
    const fixture = join(dir, 'extra.json');
    writeFileSync(fixture, JSON.stringify({ organizations: [{ name: 'Initech' }], users: [{ email: 'peter@initech.test', first_name: 'Peter' }] }));
    expect(run(['seed', fixture, '--db', db]).code).toBe(0);
    const first = run(['export', '--db', db]);
    expect(first.code).toBe(0);
    expect(run(['seed', fixture, '--db', db]).code).toBe(0);
    const second = run(['export', '--db', db]);
    expect(second.stdout).toBe(first.stdout);
    const doc = JSON.parse(first.stdout);
    expect(doc.users).toEqual([expect.objectContaining({ email: 'peter@initech.test', id: expect.stringMatching(/^user_/), stytch_user_id: expect.stringMatching(/^user-test-/) })]);
    expect(doc.organizations).toEqual([{ id: expect.stringMatching(/^org_/), name: 'Initech', domains: [] }]);

    const out = join(dir, 'export.json');
    expect(run(['export', '--db', db, '--out', out]).code).toBe(0);
    const other = join(dir, 'other.sqlite');
    expect(run(['seed', out, '--db', other]).code).toBe(0);
    expect(run(['export', '--db', other]).stdout).toBe(first.stdout);

    const reset = run(['reset', '--db', db]);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/signing key kept/);
    expectOneLine(run(['export', '--db', db]).stderr, /no environment 'default'/);
  });
});

describe('token', () => {
  it('prints an access token that verifies against the server JWKS, with act and org claims', async () => {
    const db = tempDb();
    const printed = run(['token', '--user', 'carol@globex.test', '--org', 'org_01MOCKACME0000000000000000', '--impersonator', 'support@acme.test', '--db', db]);
    expect(printed.code, printed.stderr).toBe(0);
    const token = printed.stdout.trim();
    expect(decodeJwt(token)).toMatchObject({ sub: 'user_01MOCKCAROL000000000000000', org_id: 'org_01MOCKACME0000000000000000', role: 'member', act: { sub: 'support@acme.test' }, iss: 'http://127.0.0.1:4400' });
    const server = await startCli(['--db', db]);
    try {
      const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(server.ready.workos.jwks_url)));
      expect(payload.sid).toMatch(/^session_/);
    } finally {
      await server.stop();
    }
  });

  it('names an unknown user or a non-member organization in one line', () => {
    const db = tempDb();
    const unknown = run(['token', '--user', 'nobody@x.test', '--db', db]);
    expect(unknown.code).toBe(1);
    expectOneLine(unknown.stderr, /no user with email or id 'nobody@x.test'/);
    const org = run(['token', '--user', 'bob@acme.test', '--org', 'org_01MOCKGLOBEX00000000000000', '--db', db]);
    expect(org.code).toBe(1);
    expectOneLine(org.stderr, /not an active member/);
  });
});

describe('start', () => {
  it('prints exactly one JSON line, serves the default fixture and stops cleanly on SIGTERM', async () => {
    const server = await startCli([]);
    expect(server.ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.ready.workos).toEqual({ client_id: 'client_01MOCKAUTHKIT0000000000000', api_key: expect.stringMatching(/^sk_test_/), jwks_url: `${server.ready.url}/sso/jwks/client_01MOCKAUTHKIT0000000000000` });
    expect(server.ready.stytch.project_id).toMatch(/^project-test-/);
    expect(await (await fetch(`${server.ready.url}/health`)).json()).toEqual({ status: 'ok' });
    expect(await server.stop()).toBe(0);
  });

  it('prints the human banner with the env lines to paste', async () => {
    const dir = tempDir();
    const child = (await import('node:child_process')).spawn(process.execPath, [BIN, 'start', '--port', '0', '--db', join(dir, 'db.sqlite')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    await new Promise<void>((done) => child.stdout.on('data', (chunk) => ((out += chunk), out.includes('Ctrl-C') && done())));
    child.kill('SIGINT');
    await new Promise((done) => child.once('exit', done));
    expect(out).toMatch(/WORKOS_API_HOSTNAME=127\.0\.0\.1\n\s+WORKOS_API_PORT=\d+\n\s+WORKOS_API_HTTPS=false\n\s+WORKOS_CLIENT_ID=client_01MOCKAUTHKIT0000000000000\n\s+WORKOS_API_KEY=sk_test_/);
    expect(out).toContain('alice@acme.test');
    expect(out).toContain(`Database: ${join(dir, 'db.sqlite')}`);
  });

  it('uses ./mock-authkit.fixtures.json from the current directory when present', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'mock-authkit.fixtures.json'),
      JSON.stringify({ workos: { clients: [{ client_id: 'client_local', api_key: 'sk_test_local_key', redirect_uris: ['http://localhost:9000/cb'] }] }, users: [{ email: 'local@x.test' }] }),
    );
    const server = await startCli([], { cwd: dir, defaultDb: true });
    try {
      expect(server.ready.workos.client_id).toBe('client_local');
      expect(server.ready.db).toBe('.mock-authkit/mock-authkit.sqlite');
      expect(readFileSync(join(dir, '.mock-authkit/mock-authkit.sqlite')).subarray(0, 15).toString()).toBe('SQLite format 3');
    } finally {
      await server.stop();
    }
  });

  it('answers bad flags with one line', () => {
    for (const [args, pattern] of [
      [['start', '--port', 'abc'], /--port.*must be an integer/],
      [['start', '--port', '70000'], /--port.*must be an integer/],
      [['start', '--login', 'sometimes'], /--login.*'auto', 'page' or 'headless'/],
      [['start', '--bogus'], /unknown option '--bogus'/],
      [['start', '--issuer', 'not a url'], /--issuer.*absolute URL/],
    ] as const) {
      const result = run([...args]);
      expect(result.code, args.join(' ')).toBe(1);
      expectOneLine(result.stderr, pattern);
    }
  });

  it('refuses a port in use, an unwritable database and a database from a newer schema in one line', async () => {
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', () => done()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const busy = run(['start', '--port', String(port), '--db', tempDb()]);
      expect(busy.code).toBe(1);
      expectOneLine(busy.stderr, new RegExp(`port ${port} on 127.0.0.1 is already in use`));
    } finally {
      blocker.close();
    }

    if (process.getuid?.() !== 0) {
      const locked = tempDir();
      chmodSync(locked, 0o500);
      const denied = run(['start', '--port', '0', '--db', join(locked, 'sub', 'db.sqlite')]);
      expect(denied.code).toBe(1);
      expectOneLine(denied.stderr, /cannot create the folder for the database/);
    }
    const fileAsFolder = join(tempDir(), 'file');
    writeFileSync(fileAsFolder, 'x');
    const notDir = run(['start', '--port', '0', '--db', join(fileAsFolder, 'db.sqlite')]);
    expect(notDir.code).toBe(1);
    expectOneLine(notDir.stderr, /mock-authkit: cannot (create the folder for|open) the database/);

    const corrupt = join(tempDir(), 'corrupt.sqlite');
    writeFileSync(corrupt, 'this is not a database'.repeat(100));
    const bad = run(['start', '--port', '0', '--db', corrupt]);
    expect(bad.code).toBe(1);
    expectOneLine(bad.stderr, /mock-authkit: .*database/);

    const newer = tempDb();
    mkdirSync(join(newer, '..'), { recursive: true });
    expect(run(['reset', '--db', newer]).code).toBe(0);
    const Database = (await import('better-sqlite3')).default;
    const handle = new Database(newer);
    handle.pragma('user_version = 999');
    handle.close();
    const future = run(['start', '--port', '0', '--db', newer]);
    expect(future.code).toBe(1);
    expectOneLine(future.stderr, /written by a newer mock-authkit \(schema 999/);
    expect(readFileSync(newer).length).toBeGreaterThan(0);
  });
  it('names the one-line fix when npm skipped better-sqlite3\'s native build, or built it for another Node', () => {
    // An app that adds mock-authkit as a dependency, as npm 11 leaves it without approved install scripts:
    // the better-sqlite3 package is there (its JavaScript is in our bundle), its build/ folder is not.
    const app = packageCopy();
    const driver = join(app, 'node_modules', 'better-sqlite3');
    cpSync(join(ROOT, 'node_modules', 'better-sqlite3', 'package.json'), join(driver, 'package.json'));
    const appBin = join(app, 'bin', 'mock-authkit.js');
    const start = () => spawnSync(process.execPath, [appBin, 'start', '--port', '0', '--db', join(app, 'db.sqlite')], { encoding: 'utf8', timeout: 20_000 });

    const unbuilt = start();
    expect(unbuilt.status).toBe(1);
    expectOneLine(unbuilt.stderr, /^mock-authkit: the better-sqlite3 native module is not built .*Fix: npm approve-scripts better-sqlite3 && npm rebuild better-sqlite3$/);

    mkdirSync(join(driver, 'build', 'Release'), { recursive: true });
    writeFileSync(join(driver, 'build', 'Release', 'better_sqlite3.node'), 'not a shared object');
    const broken = start();
    expect(broken.status).toBe(1);
    expectOneLine(broken.stderr, /^mock-authkit: the better-sqlite3 native module is not built .*Fix: npm approve-scripts/);
  });
});
