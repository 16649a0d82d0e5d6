/**
 * Objects a login makes over and over share one V8 hidden class (src/core/copy-with.ts). In Node 20, an
 * object literal that starts with a spread and goes on (`{ ...session, status }`) got a class of its own
 * each time, and every later read of it missed V8's inline caches (~20 misses per code flow).
 *
 * Checked two ways: in a fresh `node --allow-natives-syntax` process, the objects the store and the login
 * code make for two different logins have the same map (`%HaveSameMap`); and no source file writes the
 * literal shape that causes it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../../dist', import.meta.url));
const SRC = fileURLToPath(new URL('../../src', import.meta.url));

const SCRIPT = `
const load = (path) => import(${JSON.stringify(DIST)} + path);
const { openDatabase } = await load('/core/db.js');
const { Store } = await load('/core/store.js');
const { seedDocument } = await load('/core/seed.js');
const { secretKeys } = await load('/core/ids.js');
const { copyWith } = await load('/core/copy-with.js');
const { openSession } = await load('/workos/tokens.js');
const store = new Store(openDatabase(':memory:'));
store.ensureEnvironment('default', null, 1);
seedDocument(store, 'default', { users: [{ id: 'user_a', email: 'a@x.test' }, { id: 'user_b', email: 'b@x.test' }] }, 1);
const ctx = { clock: { now: () => 5_000 }, options: { sessionTtlSeconds: 60 }, store };
const users = ['user_a', 'user_b'];
const details = { authenticationMethod: 'Password', impersonator: null, oauth: null };
const code = (i) => {
  const keys = secretKeys('code_' + i);
  store.createAuthorizationCode(keys.key, { environmentId: 'default', clientId: 'client_1', redirectUri: 'http://localhost/cb', codeChallenge: null, codeChallengeMethod: null, userId: users[i % 2], organizationId: null, details, expiresAt: 9_000 }, 1_000);
  return store.findAuthorizationCode(keys);
};
const session = (i) => openSession(ctx, { environmentId: 'default', clientId: 'client_1', user: store.getUser('default', users[i % 2]), organizationId: null, details });
const signedIn = (i) => (session(i), store.getUser('default', users[i % 2]));
const copied = (i) => copyWith({ id: 'x' + i, n: i + 0.5 }, { lastSignInAt: i + 0.5 });
// V8 shares the first few clones' maps even for the bad shape; from then on each gets its own.
const out = {};
for (const [name, make] of Object.entries({ code, session, signedIn, copied })) {
  const made = Array.from({ length: 40 }, (_, i) => make(i));
  const [a, b] = made.slice(-2);
  out[name] = [a !== b, made.slice(20).every((other) => %HaveSameMap(a, other))];
  if (name === 'code') out.codeDetails = made.slice(20).every((other) => %HaveSameMap(a.details, other.details));
}
process.stdout.write(JSON.stringify(out));
`;

/** Object literals that open with a spread and then name more properties: their lines (comments skipped). */
function spreadFirstLiterals(text: string): number[] {
  const source = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*/g, (comment) => comment.replace(/[^\n]/g, ' '));
  const found: number[] = [];
  for (const match of source.matchAll(/\{\s*\.\.\./g)) {
    let depth = 0;
    for (let i = match.index!; i < source.length; i++) {
      const ch = source[i]!;
      if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch) && --depth === 0) break;
      else if (ch === ',' && depth === 1 && /^\s*[^\s}]/.test(source.slice(i + 1, i + 40))) {
        found.push(source.slice(0, match.index).split('\n').length);
        break;
      }
    }
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('hidden classes of a login', () => {
  it('the code, the session, the signed-in user and a copyWith copy share one map across logins', () => {
    const out = JSON.parse(execFileSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', SCRIPT], { encoding: 'utf8' }));
    expect(out).toEqual({
      code: [true, true],
      session: [true, true],
      signedIn: [true, true],
      copied: [true, true],
      codeDetails: true,
    });
  });

  it('no source file opens an object literal with a spread and names more properties after it', () => {
    expect(spreadFirstLiterals('const a = { ...b, c: 1 };\nconst d = {\n  ...e,\n  f,\n};')).toEqual([1, 2]);
    expect(spreadFirstLiterals('const a = { c: 1, ...b };\nconst { ...rest } = x;\nf({ ...g(h, i) });\n// { ...a, b }\n/* { ...a, b } */')).toEqual([]);
    const offenders = sourceFiles(SRC).flatMap((file) => spreadFirstLiterals(readFileSync(file, 'utf8')).map((line) => `${file.slice(SRC.length + 1)}:${line}`));
    expect(offenders).toEqual([]);
  });
});
