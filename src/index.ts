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
export { validateFixture, loadFixtureFiles, type FixtureDocument, type FixtureProblem } from './core/fixtures.js';
export type { LoginOverride } from './core/store.js';
export type { LoginMode } from './core/context.js';
