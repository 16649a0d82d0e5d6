/**
 * Bundles the CLI (dist/bundle/cli.cjs) after `tsc`: Node then reads and compiles a few files instead of
 * resolving ~150 modules, which takes about a quarter off `mock-authkit start`.
 *
 * - CommonJS, compiled by the launcher (bin/mock-authkit.js): Node 20 sets up its ES module loader on the
 *   first `import()`, ~15 ms of every start before the first line of ours runs. The sources stay ES modules:
 *   their `import.meta.url` becomes the bundle's own file URL, and cli.ts starts the CLI without a top-level
 *   await. The one dynamic import (the schemas) becomes a `require`: the launcher compiles the bundle as a
 *   vm.Script, which has no loader for `import()`.
 * - A V8 code cache beside it (cli.cjs.v8cache), made by one start of the CLI at the end of this script:
 *   the launcher hands it to V8, which then skips parsing the bundle and compiling what a start runs.
 *   Start → first 200, paired starts: ~193 ms as an ES module, ~180 ms as CommonJS, ~172 ms with the cache.
 * - better-sqlite3's JavaScript is bundled too (a dozen small files, ~8 ms to resolve and load one by one);
 *   its native addon stays where npm built it (src/core/db.ts hands over the path). package.json pins
 *   better-sqlite3 to one exact version, so the JavaScript in a published bundle always matches the native
 *   half that the user's install builds.
 * - Whitespace is minified: V8 scans every byte of the source before it runs any, ~5 ms on start.
 *   Identifiers keep their names, and a linked source map (cli.cjs.map) maps positions back to src/.
 * - zod and the schemas are a second file (schemas.cjs), required by validation.ts only when something
 *   is validated, which a restart on already-validated fixtures never does. It carries its own
 *   copy of the few constants it shares with the CLI (vocabulary.ts), which hold no state.
 * - `node:http2` is replaced by a stub. @hono/node-server imports it only to ask `instanceof
 *   Http2ServerRequest` (and for a constant used on HTTP/2 streams); we serve HTTP/1.1 only, where the
 *   answer is always no. Loading the real module (with tls) took ~10 ms of every start, because the
 *   launcher's V8 flags keep Node from using its compile cache for built-in modules.
 *
 * The bundle sits two folders below the package root, like dist/core/*.js, so paths built from
 * import.meta.url (the built-in fixture, package.json) resolve the same from both. The programmatic API
 * keeps using dist/index.js, as ES modules.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

/** See above: nothing is ever an instance of this, as no HTTP/2 request ever reaches us. */
const http2Stub = {
  name: 'http2-stub',
  setup(build) {
    build.onResolve({ filter: /^(node:)?http2$/ }, () => ({ path: 'http2', namespace: 'http2-stub' }));
    build.onLoad({ filter: /.*/, namespace: 'http2-stub' }, () => ({
      contents: 'export class Http2ServerRequest {}\nexport const constants = { NGHTTP2_NO_ERROR: 0 };\n',
      loader: 'js',
    }));
  },
};

/** validation.ts's `import('./schemas.js')` loads the second file, beside the bundle. */
const schemasApart = {
  name: 'schemas-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/schemas\.js$/ }, (args) => (args.kind === 'dynamic-import' ? { path: './schemas.cjs', external: true } : undefined));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // better-sqlite3 loads `bindings` only when not told where its addon is; src/core/db.ts always tells it.
  external: ['bindings'],
  minifySyntax: true,
  minifyWhitespace: true,
  sourcemap: 'linked',
  legalComments: 'none',
  // ES module sources read import.meta.url (createRequire, the package's own files): the file's own URL.
  define: { 'import.meta.url': '__import_meta_url' },
  banner: { js: 'var __import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: 'warning',
};

rmSync('dist/bundle', { recursive: true, force: true });
// `dynamic-import: false`: the schemas' import() becomes a require (see above).
await build({ ...common, entryPoints: ['dist/cli.js'], outfile: 'dist/bundle/cli.cjs', plugins: [http2Stub, schemasApart], supported: { 'dynamic-import': false } });
await build({ ...common, entryPoints: ['dist/core/schemas.js'], outfile: 'dist/bundle/schemas.cjs' });

/**
 * The code cache the launcher compiles the bundle with (bin/mock-authkit.js): one start of the CLI as a
 * user makes it, asked for /health and for one login of each kind (below), stopped; its launcher writes
 * what V8 compiled on the way out. Only speed depends on it, so a start that fails here leaves no cache and
 * the build goes on.
 */
async function writeCodeCache(out) {
  const child = spawn(process.execPath, ['bin/mock-authkit.js', 'start', '--db', ':memory:', '--port', '0', '--json'], {
    env: { ...process.env, MOCK_AUTHKIT_CODE_CACHE_OUT: out },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  try {
    let output = '';
    for await (const chunk of child.stdout) {
      output += chunk;
      if (output.includes('\n')) break;
    }
    const ready = JSON.parse(output.slice(0, output.indexOf('\n')));
    await (await fetch(`${ready.url}/health`)).arrayBuffer();
    try {
      await logInOnce(ready);
    } catch (error) {
      console.warn(`bundle: the code cache covers start-up only (${error.message})`);
    }
    child.kill('SIGTERM');
    await exited;
  } catch (error) {
    child.kill('SIGKILL');
    console.warn(`bundle: no code cache (the CLI is only slower to start): ${error.message}`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One WorkOS code flow with PKCE, its refresh, the JWKS, and one Stytch OAuth start + authenticate: the
 * functions a login runs are then in the code cache too, so a fresh server's first logins skip parsing and
 * compiling them: the first code flow after a start took ~19–22 + 9–11 ms (authorize + authenticate)
 * instead of ~22–29 + 13–29 ms, with start-up unchanged (the cache grows from ~330 to ~410 KB).
 */
async function logInOnce({ url, workos, stytch }) {
  const pkce = () => {
    const verifier = randomBytes(32).toString('base64url');
    return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
  };
  const expect = async (response, status) => {
    const body = await response.text();
    if (response.status !== status) throw new Error(`${response.url} answered ${response.status}`);
    return body;
  };
  const json = (body) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  const login = pkce();
  const query = new URLSearchParams({ client_id: workos.client_id, redirect_uri: 'http://localhost:3000/callback', response_type: 'code', provider: 'authkit', code_challenge: login.challenge, code_challenge_method: 'S256', login_hint: 'alice@acme.test' });
  const authorize = await fetch(`${url}/user_management/authorize?${query}`, { redirect: 'manual' });
  await expect(authorize, 302);
  const code = new URL(authorize.headers.get('location')).searchParams.get('code');
  const grant = { client_id: workos.client_id, client_secret: workos.api_key };
  const tokens = JSON.parse(await expect(await fetch(`${url}/user_management/authenticate`, json({ ...grant, grant_type: 'authorization_code', code, code_verifier: login.verifier })), 200));
  await expect(await fetch(`${url}/user_management/authenticate`, json({ ...grant, grant_type: 'refresh_token', refresh_token: tokens.refresh_token })), 200);
  await expect(await fetch(`${url}/sso/jwks/${workos.client_id}`), 200);

  const oauth = pkce();
  const start = new URLSearchParams({ public_token: stytch.public_token, code_challenge: oauth.challenge, login_redirect_url: 'http://localhost:3000/authenticate', provider_login_hint: 'alice@acme.test' });
  const started = await fetch(`${url}/v1/public/oauth/google/start?${start}`, { redirect: 'manual' });
  await expect(started, 302);
  const token = new URL(started.headers.get('location')).searchParams.get('token');
  const authenticate = json({ token, code_verifier: oauth.verifier, session_duration_minutes: 60 });
  authenticate.headers.authorization = `Basic ${Buffer.from(`${stytch.project_id}:${stytch.secret}`).toString('base64')}`;
  await expect(await fetch(`${url}/v1/oauth/authenticate`, authenticate), 200);
}

await writeCodeCache('dist/bundle/cli.cjs.v8cache');
