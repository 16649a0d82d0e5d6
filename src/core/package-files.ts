/**
 * Where the package's own files are, found from this module's place: `src/core/` in development,
 * `dist/core/` or `dist/bundle/` when built, two folders below the package root either way.
 *
 * @example
 * readFileSync(join(PACKAGE_ROOT, 'fixtures/default.json'), 'utf8');
 * packageVersion(); // '0.1.0'
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder that holds the package's package.json. */
export const PACKAGE_ROOT = resolve(fileURLToPath(import.meta.url), '../../..');

/** The installed package's version, read when asked (not on every start). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
