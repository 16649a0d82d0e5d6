/**
 * Bundles the CLI (dist/bundle/cli.cjs) after `tsc`: Node then reads and compiles a few files instead of
 * resolving ~150 modules, which takes about a quarter off `mock-authkit start`.
 *
 * - CommonJS, required by the launcher: Node 20 sets up its ES module loader on the first `import()`, ~15 ms
 *   of every start before the first line of ours runs; `require` needs none of it (start → first 200:
 *   ~8% less, paired starts). The sources stay ES modules: their `import.meta.url` becomes the bundle's own
 *   file URL, and cli.ts starts the CLI without a top-level await.
 * - better-sqlite3's JavaScript is bundled too (a dozen small files, ~8 ms to resolve and load one by one);
 *   its native addon stays where npm built it (src/core/db.ts hands over the path). package.json pins
 *   better-sqlite3 to one exact version, so the JavaScript in a published bundle always matches the native
 *   half that the user's install builds.
 * - Whitespace is minified: V8 scans every byte of the source before it runs any, ~5 ms on start.
 *   Identifiers keep their names, and a linked source map maps traces back (`node --enable-source-maps`).
 * - zod and the schemas are a second file (schemas.cjs), loaded by validation.ts's dynamic import only when
 *   something is validated, which a restart on already-validated fixtures never does. It carries its own
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
await build({ ...common, entryPoints: ['dist/cli.js'], outfile: 'dist/bundle/cli.cjs', plugins: [http2Stub, schemasApart] });
await build({ ...common, entryPoints: ['dist/core/schemas.js'], outfile: 'dist/bundle/schemas.cjs' });
