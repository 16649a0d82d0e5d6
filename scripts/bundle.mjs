/**
 * Bundles the CLI (dist/bundle/cli.js) after `tsc`: Node then reads and compiles a few files instead of
 * resolving ~150 modules, which takes about a quarter off `mock-authkit start`.
 *
 * - better-sqlite3's JavaScript is bundled too (a dozen small files, ~8 ms to resolve and load one by one);
 *   its native addon stays where npm built it (src/core/db.ts hands over the path). package.json pins
 *   better-sqlite3 to one exact version, so the JavaScript in a published bundle always matches the native
 *   half that the user's install builds.
 * - Whitespace is minified: V8 scans every byte of the source before it runs any, ~5 ms on start.
 *   Identifiers keep their names, and a linked source map maps traces back (`node --enable-source-maps`).
 * - Dynamic imports become chunks beside cli.js (`splitting`): zod and the schemas load only when
 *   something is validated, which a restart on already-validated fixtures never does.
 * - `node:http2` is replaced by a stub. @hono/node-server imports it only to ask `instanceof
 *   Http2ServerRequest` (and for a constant used on HTTP/2 streams); we serve HTTP/1.1 only, where the
 *   answer is always no. Loading the real module (with tls) took ~10 ms of every start, because the
 *   launcher's V8 flags keep Node from using its compile cache for built-in modules.
 *
 * The bundle sits two folders below the package root, like dist/core/*.js, so paths built from
 * import.meta.url (the built-in fixture) resolve the same from both. The programmatic API keeps using
 * dist/index.js.
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

rmSync('dist/bundle', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'dist/cli.js' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  chunkNames: '[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // better-sqlite3 loads `bindings` only when not told where its addon is; src/core/db.ts always tells it.
  external: ['bindings'],
  plugins: [http2Stub],
  minifySyntax: true,
  minifyWhitespace: true,
  sourcemap: 'linked',
  legalComments: 'none',
  // CommonJS dependencies inside the bundle call require(): give each ESM file one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
