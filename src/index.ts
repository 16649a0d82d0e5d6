/**
 * mock-authkit's programmatic API.
 *
 * @example
 * import { startMockAuthKit } from 'mock-authkit';
 * const mock = await startMockAuthKit({ port: 0, db: ':memory:', fixtures: ['./test/fixtures.json'] });
 * mock.url; mock.workos.client_id; mock.stytch.project_id;
 * await mock.nextLogin({ user: 'alice@acme.test', impersonator: { email: 'support@acme.test' } });
 * await mock.close();
 */
export { startMockAuthKit, createMockAuthKit, createApp, DEFAULT_PORT, DEFAULT_DB } from './server.js';
export type { MockAuthKit, MockAuthKitApp, MockAuthKitOptions } from './server.js';
export type { Credentials } from './core/environments.js';
export type { FixtureDocument, FixtureProblem } from './core/fixtures.js';
import * as fixtures from './core/fixtures.js';
import { loadSchemas } from './core/validation.js';

/**
 * Checks a fixture document; resolves with every problem and its JSON path (`[]` when valid).
 *
 * @example
 * await validateFixture({ users: [{ email: 'nope' }] }); // [{ path: '$.users[0].email', message: 'must be an email address' }]
 */
export async function validateFixture(doc: unknown): Promise<fixtures.FixtureProblem[]> {
  await loadSchemas();
  return fixtures.validateFixture(doc);
}

/**
 * Loads, validates and merges fixture files or folders; rejects with the problems (each with its path).
 *
 * @example
 * const doc = await loadFixtureFiles(['./test/fixtures.json']);
 */
export async function loadFixtureFiles(paths: string[]): Promise<fixtures.FixtureDocument> {
  await loadSchemas();
  return fixtures.loadFixtureFiles(paths);
}
export type { LoginOverride } from './core/store.js';
export type { LoginMode } from './core/context.js';
