/**
 * The fixtures a server starts with: the files or document given, else `./mock-authkit.fixtures.json`,
 * else the built-in default. They are validated once, then found again in the database by a hash of
 * their text: a restart on the same fixtures does not load zod (~30 ms saved).
 *
 * @example
 * const { texts, doc, source } = readStartFixtures(undefined); // the built-in default, read, not parsed
 * const fixture = await validatedStartFixtures(store, readStartFixtures(undefined), clock.now());
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_FIXTURE_PATH, parseFixture, parseFixtureTexts, readFixtureTexts, type FixtureDocument, type FixtureText } from './fixtures.js';
import type { Store } from './store.js';
import { loadSchemas } from './validation.js';

/**
 * Part of the cache key: bump it whenever schemas.ts changes what a valid document is or how it is
 * normalized, so that documents validated by an older version are validated again.
 * (test/core/start-fixtures.test.ts fails when schemas.ts changes without a bump.)
 */
export const FIXTURE_SCHEMA_VERSION = 1;

/** Start fixtures as read: file texts, or a document passed in; `source` says where from, for the banner. */
export interface StartFixtureInput {
  source: string;
  texts?: FixtureText[];
  doc?: unknown;
}

/** Finds and reads the start fixtures (missing files fail here, in one line); nothing is validated yet. */
export function readStartFixtures(fixtures: string[] | object | undefined, cwd = process.cwd()): StartFixtureInput {
  if (fixtures && !Array.isArray(fixtures)) return { source: 'fixtures option', doc: fixtures };
  if (fixtures && fixtures.length) return { source: fixtures.join(', '), texts: readFixtureTexts(fixtures) };
  const local = resolve(cwd, 'mock-authkit.fixtures.json');
  if (existsSync(local)) return { source: local, texts: readFixtureTexts([local]) };
  return { source: 'built-in default fixture', texts: readFixtureTexts([DEFAULT_FIXTURE_PATH]) };
}

function cacheKey(input: StartFixtureInput): string {
  const hash = createHash('sha256').update(`mock-authkit fixture v${FIXTURE_SCHEMA_VERSION}\u0000`);
  if (input.texts) for (const { text } of input.texts) hash.update(`${text.length}\u0000${text}\u0000`);
  else hash.update(JSON.stringify(input.doc));
  return hash.digest('hex');
}

/** The validated start fixture document: from the cache when these exact texts were validated before. */
export async function validatedStartFixtures(store: Store, input: StartFixtureInput, now: number): Promise<FixtureDocument> {
  const key = cacheKey(input);
  const cached = store.cachedFixture(key);
  if (cached !== undefined) return JSON.parse(cached) as FixtureDocument;
  await loadSchemas();
  const doc = input.texts ? parseFixtureTexts(input.texts) : parseFixture(input.doc, input.source);
  store.cacheFixture(key, JSON.stringify(doc), now);
  return doc;
}
