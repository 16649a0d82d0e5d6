/**
 * Environments: the default one seeded from the start fixtures, and resetting one back to the fixture
 * it was made from (every row it owns is deleted first, by cascade).
 *
 * @example
 * seedStartFixtures(ctx);              // at start: idempotent upsert into 'default'
 * resetEnvironment(ctx, 'default');    // POST /_mock/reset
 */
import type { ServerContext } from './context.js';
import type { FixtureDocument } from './fixtures.js';
import { seedFixture } from './seed.js';
import { DEFAULT_ENVIRONMENT } from './store.js';

/** Seeds the start fixtures into the default environment (keeps existing state: it is an upsert). */
export function seedStartFixtures(ctx: ServerContext): void {
  const now = ctx.clock.now(DEFAULT_ENVIRONMENT);
  const fixture = JSON.stringify(ctx.startFixture);
  ctx.store.ensureEnvironment(DEFAULT_ENVIRONMENT, fixture, now);
  seedFixture(ctx.store, DEFAULT_ENVIRONMENT, ctx.startFixture, now);
}

/** Deletes everything `environmentId` holds and seeds its fixture again. */
export function resetEnvironment(ctx: ServerContext, environmentId: string): void {
  const stored = ctx.store.environmentFixture(environmentId);
  const fixture: FixtureDocument = environmentId === DEFAULT_ENVIRONMENT ? ctx.startFixture : stored ? JSON.parse(stored) : {};
  const now = ctx.clock.now(environmentId);
  ctx.store.transaction(() => {
    ctx.store.deleteEnvironment(environmentId);
    ctx.store.ensureEnvironment(environmentId, JSON.stringify(fixture), now);
    seedFixture(ctx.store, environmentId, fixture, now);
  });
}
