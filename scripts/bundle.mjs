/**
 * Bundles the CLI into one ESM file (dist/bundle/cli.js) after `tsc`: Node then reads and compiles one
 * file instead of resolving ~150 modules, which takes about a quarter off `mock-authkit start`.
 * better-sqlite3 stays external (a native addon). The programmatic API keeps using dist/index.js.
 *
 * The bundle sits two folders below the package root, like dist/core/*.js, so paths built from
 * import.meta.url (the built-in fixture) resolve the same from both.
 */
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/cli.js'],
  outfile: 'dist/bundle/cli.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3'],
  minifySyntax: true,
  legalComments: 'none',
  // CommonJS dependencies inside the bundle call require(): give the ESM bundle one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
