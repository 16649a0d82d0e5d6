/**
 * `npm run test:broken-builds`: shows that the reliability tests can fail. For each deliberate bug below,
 * it copies the repository's tracked files into a temporary folder (node_modules linked), puts the bug
 * into one source file, builds, and runs the test that must catch it. Each test first runs once on the
 * unbroken copy and must pass there; then it must fail against its broken build. A test that still passes
 * against its bug, or a bug whose source line no longer exists, fails this script.
 *
 * Loopback only; ~3 minutes. `BROKEN_BUILDS=rotation-in-two-commits,nothing-purged npm run test:broken-builds`
 * runs some (the ids below).
 *
 * @example
 * node scripts/broken-builds.mjs
 * // ✓ code-redeemed-twice        caught by test/reliability/concurrency.test.ts › one WorkOS authorization code
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The deliberate bugs. Each `edits` entry is `[file, from, to]`: `from` must occur in `file` exactly once
 * and is replaced by `to`. Then the tests of `test` whose names match `name` (a vitest `-t` pattern) must
 * fail.
 */
const BUGS = [
  {
    id: 'code-redeemed-twice',
    what: 'an authorization code is not single-use (no used check, unconditional UPDATE)',
    edits: [
      ['src/workos/grants/authorization-code.ts', 'if (stored.usedAt !== null || stored.expiresAt <= now) throw invalid();', 'if (stored.expiresAt <= now) throw invalid();'],
      ['src/core/store.ts', 'WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?', 'WHERE code_hash = ? AND expires_at > ?'],
    ],
    test: 'test/reliability/concurrency.test.ts',
    name: 'one WorkOS authorization code',
  },
  {
    id: 'refresh-token-rotated-twice',
    what: 'a refresh token is not single-use',
    edits: [
      ['src/workos/grants/refresh-token.ts', "if (stored.usedAt !== null) throw grantError('Refresh token already exchanged.');", ''],
      ['src/core/store.ts', 'UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?', 'UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND expires_at > ?'],
    ],
    test: 'test/reliability/concurrency.test.ts',
    name: 'one WorkOS refresh token',
  },
  {
    id: 'stytch-token-redeemed-twice',
    what: 'a Stytch OAuth token is not single-use',
    edits: [
      ['src/stytch/oauth-authenticate.ts', ' || stored.usedAt !== null || stored.expiresAt <= now) throw', ' || stored.expiresAt <= now) throw'],
      ['src/core/store.ts', 'UPDATE stytch_oauth_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?', 'UPDATE stytch_oauth_tokens SET used_at = ? WHERE token_hash = ? AND expires_at > ?'],
    ],
    test: 'test/reliability/concurrency.test.ts',
    name: 'one Stytch OAuth token',
  },
  {
    id: 'two-servers-stale-cache',
    what: "a server never notices the other server's commits (cached credentials and users served stale)",
    edits: [['src/core/store.ts', 'if (version !== this.cacheDataVersion) {', 'if (version !== this.cacheDataVersion && false) {']],
    test: 'test/reliability/concurrency.test.ts',
    name: 'credentials changed or deleted through A are seen by B at once',
  },
  {
    id: 'answer-before-commit',
    what: 'responses go out before their writes are committed',
    edits: [['src/core/request-pipeline.ts', 'if (pending) await pending;', '']],
    test: 'test/core/group-commit.test.ts',
    name: 'the server answers a request that wrote only once its write is committed',
  },
  {
    id: 'failed-first-of-group-kept',
    what: "the first transaction of a group commit (which runs without a savepoint) keeps its writes when it fails",
    edits: [['src/core/group-commit.ts', '      if (this.db.inTransaction) this.rollback.run();\n      this.begin.run();', '      // the failed writes stay in the group']],
    test: 'test/core/group-commit.test.ts',
    name: 'rolls back a failing first transaction of a group',
  },
  {
    id: 'rotation-in-two-commits',
    what: 'a refresh spends the old token in one transaction and stores its successor in a later one',
    edits: [
      ['src/workos/grants/refresh-token.ts', 'const { current, user, refreshToken } = ctx.store.transaction(() => {', 'const { current, user } = ctx.store.transaction(() => {'],
      ['src/workos/grants/refresh-token.ts', 'return { current, user, refreshToken: issueRefreshToken(ctx, current, client.clientId) };', 'return { current, user };'],
      [
        'src/workos/grants/refresh-token.ts',
        '  return authenticationResponse(ctx, current, user, { refreshToken });',
        '  await new Promise((resume) => setTimeout(resume, 20));\n  const refreshToken = ctx.store.transaction(() => issueRefreshToken(ctx, current, client.clientId));\n  return authenticationResponse(ctx, current, user, { refreshToken });',
      ],
    ],
    test: 'test/reliability/crash.test.ts',
    name: 'kill -9',
  },
  {
    id: 'malformed-json-500',
    what: 'a body that is not JSON escapes as an unhandled SyntaxError (a 500)',
    edits: [['src/core/body.ts', "return { problem: 'The request body is not valid JSON.' };", 'throw new SyntaxError("not JSON");']],
    test: 'test/reliability/fuzz.test.ts',
    name: 'POST /user_management/authenticate \\(JSON\\)',
  },
  {
    id: 'rejected-exchange-spends-code',
    what: 'a code exchange with a wrong PKCE verifier still spends the code',
    edits: [['src/workos/grants/authorization-code.ts', '    if (stored.codeChallenge) {', '    ctx.store.consumeAuthorizationCode(keys, now);\n    if (stored.codeChallenge) {']],
    test: 'test/reliability/fuzz.test.ts',
    name: 'POST /user_management/authenticate',
  },
  {
    id: 'port-in-use-stack-trace',
    what: "a port in use surfaces as Node's raw EADDRINUSE message, without the --port 0 hint",
    edits: [['src/server.ts', "if (error.code === 'EADDRINUSE') reject(new UserFacingError(", "if (error.code === 'EADDRINUSE_') reject(new UserFacingError("]],
    test: 'test/cli/commands.test.ts',
    name: 'refuses a port in use',
  },
  {
    id: 'newer-schema-opened',
    what: 'a database from a newer mock-authkit is opened as if it were current (and would be written to)',
    edits: [['src/core/db.ts', 'if (current > MIGRATIONS.length) {', 'if (current > MIGRATIONS.length && false) {']],
    test: 'test/cli/commands.test.ts',
    name: 'a database from a newer schema',
  },
  {
    id: 'unopenable-database-raw-error',
    what: "a --db that cannot be opened (a folder) surfaces as SQLite's raw error, without the path",
    edits: [['src/core/db.ts', 'throw nativeBindingProblem(error) ?? new UserFacingError(`cannot open the database ${path}: ${(error as Error).message}`);', 'throw nativeBindingProblem(error) ?? error;']],
    test: 'test/reliability/operational.test.ts',
    name: 'a directory: one line',
  },
  {
    id: 'corrupt-database-raw-error',
    what: 'a database with a damaged page surfaces as a raw SQLITE_CORRUPT error instead of one line naming the file',
    edits: [['src/server.ts', "(code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')", "code === 'never'"]],
    test: 'test/reliability/operational.test.ts',
    name: 'a truncated file and a file with a damaged page',
  },
  {
    id: 'invalid-fixture-unnamed',
    what: 'an invalid fixture is refused with a line that names neither the file nor what is wrong',
    edits: [['src/core/fixtures.ts', "super(`invalid fixture ${source}: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);", "super('invalid fixture');"]],
    test: 'test/reliability/operational.test.ts',
    name: 'an invalid fixture: one line naming the file',
  },
  {
    id: 'stytch-error-shape',
    what: "Stytch errors lose their status_code field (not Stytch's envelope)",
    edits: [['src/core/errors.ts', '      status_code: this.status,\n', '']],
    test: 'test/reliability/fuzz.test.ts',
    name: 'POST /v1/oauth/authenticate',
  },
  {
    id: 'oauth-error-shape',
    what: 'authenticate errors say message instead of error_description (not the OAuth envelope)',
    edits: [['src/core/errors.ts', 'return { error: this.error, error_description: this.description, ...this.extra };', 'return { error: this.error, message: this.description, ...this.extra };']],
    test: 'test/reliability/fuzz.test.ts',
    name: 'POST /user_management/authenticate \\(JSON\\)',
  },
  {
    id: 'nothing-purged',
    what: 'expired codes and rotated refresh tokens are never purged',
    edits: [['src/core/store.ts', "removed += this.sql('DELETE FROM authorization_codes WHERE expires_at <= ?').run(now).changes;", '']],
    test: 'test/cli/restart.test.ts',
    name: 'purging expired rows',
  },
];

/** A fresh copy of the tracked files (what a clean clone has), with this checkout's node_modules linked. */
function copyRepository() {
  const dir = mkdtempSync(join(tmpdir(), 'mock-authkit-broken-'));
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT }).toString().split('\0').filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(dir, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** `npm run build`, except that a bug may leave a name unused without failing the type check. */
function build(dir) {
  for (const [command, args] of [
    [join(dir, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json', '--noUnusedLocals', 'false', '--noUnusedParameters', 'false']],
    [process.execPath, ['scripts/bundle.mjs']],
  ]) {
    const run = spawnSync(command, args, { cwd: dir, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`build failed in ${dir}:\n${run.stdout}${run.stderr}`);
  }
}

/** Runs `test` filtered by `name`; returns how many of its tests ran and how many of those failed. */
function runTest(dir, test, name) {
  const report = join(dir, 'vitest-report.json');
  rmSync(report, { force: true });
  spawnSync(join(dir, 'node_modules', '.bin', 'vitest'), ['run', test, '-t', name, '--reporter=json', `--outputFile=${report}`], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  let json;
  try {
    json = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    return { ran: 0, failed: 0 };
  }
  return { ran: json.numPassedTests + json.numFailedTests, failed: json.numFailedTests };
}

function applyEdits(dir, edits) {
  const originals = new Map();
  for (const [file, from, to] of edits) {
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    const count = text.split(from).length - 1;
    if (count !== 1) throw new Error(`${file}: expected the line to break exactly once, found it ${count} times: ${from}`);
    if (!originals.has(path)) originals.set(path, text);
    writeFileSync(path, text.replace(from, () => to));
  }
  return () => {
    for (const [path, text] of originals) writeFileSync(path, text);
  };
}

const only = process.env.BROKEN_BUILDS?.split(',').filter(Boolean);
const bugs = only ? BUGS.filter((bug) => only.includes(bug.id)) : BUGS;
if (only && bugs.length !== only.length) {
  console.error(`unknown BROKEN_BUILDS id; known: ${BUGS.map((bug) => bug.id).join(', ')}`);
  process.exit(2);
}

const dir = copyRepository();
let missed = 0;
try {
  build(dir);
  // Control: each test passes on the unbroken copy (a test that cannot pass proves nothing by failing).
  for (const { test, name } of new Map(bugs.map((bug) => [`${bug.test} ${bug.name}`, bug])).values()) {
    const control = runTest(dir, test, name);
    if (control.ran === 0 || control.failed > 0) throw new Error(`${test} › ${name}: ${control.failed} of ${control.ran} failed on the unbroken build`);
  }
  for (const bug of bugs) {
    const restore = applyEdits(dir, bug.edits);
    let result;
    try {
      build(dir);
      result = runTest(dir, bug.test, bug.name);
    } finally {
      restore();
    }
    const caught = result.failed > 0;
    if (!caught) missed++;
    console.log(`${caught ? '✓' : '✗'} ${bug.id.padEnd(30)} ${caught ? 'caught by' : 'NOT caught by'} ${bug.test} › ${bug.name.replace(/\\/g, '')} (${result.failed} of ${result.ran} failed)`);
    console.log(`  ${bug.what}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (missed > 0) {
  console.error(`${missed} deliberate bug(s) went unnoticed`);
  process.exit(1);
}
