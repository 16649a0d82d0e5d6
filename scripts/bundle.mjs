/**
 * Bundles the CLI (dist/bundle/cli.js) after `tsc`: Node then reads and compiles a few files instead of
 * resolving ~150 modules, which takes about a quarter off `mock-authkit start`.
 *
 * - better-sqlite3 stays external (a native addon).
 * - Dynamic imports become chunks beside cli.js (`splitting`): zod and the schemas load only when
 *   something is validated, which a restart on already-validated fixtures never does.
 *
 * The bundle sits two folders below the package root, like dist/core/*.js, so paths built from
 * import.meta.url (the built-in fixture) resolve the same from both. The programmatic API keeps using
 * dist/index.js.
 */
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

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
  external: ['better-sqlite3'],
  minifySyntax: true,
  legalComments: 'none',
  // CommonJS dependencies inside the bundle call require(): give each ESM file one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
