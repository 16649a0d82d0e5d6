/**
 * Environments: the default one seeded from the start fixtures, and resetting one back to the fixture
 * it was made from (every row it owns is deleted first, by cascade).
 *
 * @example
 * seedStartFixtures(ctx);              // at start: idempotent upsert into 'default'
 * resetEnvironment(ctx, 'default');    // POST /_mock/reset
 * const id = await createEnvironment(ctx); // POST /_mock/environments: fresh credentials and key, start fixtures
 */
import { randomUUID } from 'node:crypto';
import type { ServerContext } from './context.js';
import { copyWith } from './copy-with.js';
import { parseFixture, type FixtureDocument } from './fixtures.js';
import { opaqueToken, workosId } from './ids.js';
import { seedDocument } from './seed.js';
import { DEFAULT_ENVIRONMENT } from './store.js';
import { UserFacingError } from './user-facing-error.js';
import { loadSchemas } from './validation.js';

/** Seeds the start fixtures into the default environment (keeps existing state: it is an upsert). */
export function seedStartFixtures(ctx: ServerContext): void {
  const now = ctx.clock.now(DEFAULT_ENVIRONMENT);
  const fixture = JSON.stringify(ctx.startFixture);
  ctx.store.ensureEnvironment(DEFAULT_ENVIRONMENT, fixture, now);
  seedDocument(ctx.store, DEFAULT_ENVIRONMENT, ctx.startFixture, now);
}

/** Forgets an environment's faults, journal and clock offset (they live in memory, beside the rows). */
function forgetRuntimeState(ctx: ServerContext, environmentId: string): void {
  ctx.faults.clear(environmentId);
  ctx.journal.clear(environmentId);
  ctx.clock.reset(environmentId);
}

/**
 * The fixture with fresh credentials: every WorkOS client and Stytch project gets new ids and secrets
 * (credentials route requests to environments, so they must be unique), keeping its redirect URIs.
 * A fixture without clients or projects gets one of each, with the start fixture's redirect URIs.
 */
function withFreshCredentials(ctx: ServerContext, fixture: FixtureDocument): FixtureDocument {
  const startClient = ctx.startFixture.workos?.clients?.[0];
  const startProject = ctx.startFixture.stytch?.projects?.[0];
  const clients = fixture.workos?.clients?.length ? fixture.workos.clients : [{ redirect_uris: startClient?.redirect_uris ?? ['http://localhost:*', 'http://127.0.0.1:*'] }];
  const projects = fixture.stytch?.projects?.length ? fixture.stytch.projects : [{ redirect_urls: startProject?.redirect_urls ?? ['http://localhost:*', 'http://127.0.0.1:*'] }];
  return copyWith(fixture, {
    workos: {
      clients: clients.map((client) => ({
        client_id: workosId('client'),
        api_key: `sk_test_${opaqueToken(24)}`,
        redirect_uris: client.redirect_uris,
        ...('logout_redirect_uri' in client && client.logout_redirect_uri ? { logout_redirect_uri: client.logout_redirect_uri } : {}),
      })),
    },
    stytch: {
      projects: projects.map((project) => ({
        project_id: `project-test-${randomUUID()}`,
        secret: `secret-test-${opaqueToken(27)}`,
        public_token: `public-token-test-${randomUUID()}`,
        redirect_urls: project.redirect_urls,
      })),
    },
  });
}

/**
 * Creates an isolated environment from `fixture` (default: the start fixtures) with fresh credentials
 * and a signing key of its own.
 */
export async function createEnvironment(ctx: ServerContext, fixture?: unknown): Promise<string> {
  if (fixture !== undefined) await loadSchemas();
  const parsed = fixture === undefined ? ctx.startFixture : parseFixture(fixture, 'environment fixture');
  const doc = withFreshCredentials(ctx, parsed);
  const id = workosId('env');
  const key = await ctx.keys.prepare(ctx.clock.now(id));
  const now = ctx.clock.now(id);
  ctx.store.transaction(() => {
    ctx.store.ensureEnvironment(id, JSON.stringify(doc), now);
    ctx.keys.assign(id, key, now);
    seedDocument(ctx.store, id, doc, now);
  });
  return id;
}

/** Deletes an environment with every row it owns; the default environment cannot be deleted. */
export function deleteEnvironment(ctx: ServerContext, environmentId: string): boolean {
  if (environmentId === DEFAULT_ENVIRONMENT) throw new UserFacingError('the default environment cannot be deleted; reset it instead');
  forgetRuntimeState(ctx, environmentId);
  ctx.keys.forget(environmentId);
  return ctx.store.deleteEnvironment(environmentId);
}

/** Deletes everything `environmentId` holds and seeds its fixture again; faults, journal and clock start over. */
export function resetEnvironment(ctx: ServerContext, environmentId: string): void {
  forgetRuntimeState(ctx, environmentId);
  const stored = ctx.store.environmentFixture(environmentId);
  const fixture: FixtureDocument = environmentId === DEFAULT_ENVIRONMENT ? ctx.startFixture : stored ? JSON.parse(stored) : {};
  const now = ctx.clock.now(environmentId);
  ctx.store.transaction(() => {
    // The environment's signing key survives a reset (tokens already handed out keep verifying).
    ctx.keys.keepAcross(environmentId, () => {
      ctx.store.deleteEnvironment(environmentId);
      ctx.store.ensureEnvironment(environmentId, JSON.stringify(fixture), now);
    });
    seedDocument(ctx.store, environmentId, fixture, now);
  });
}

/** The facts a test or an app needs to talk to the server (the `--json` ready line). */
export interface Credentials {
  url: string;
  db: string;
  workos: { client_id: string; api_key: string; jwks_url: string };
  stytch: { project_id: string; secret: string; public_token: string; jwks_url: string };
}

/** The credentials of an environment's first WorkOS client and Stytch project. */
export function credentialsOf(ctx: ServerContext, environmentId: string, db: string): Credentials {
  const client = ctx.store.workosClients(environmentId)[0];
  const project = ctx.store.stytchProjects(environmentId)[0];
  return {
    url: ctx.baseUrl,
    db,
    workos: {
      client_id: client?.clientId ?? '',
      api_key: client?.apiKey ?? '',
      jwks_url: client ? `${ctx.baseUrl}/sso/jwks/${client.clientId}` : '',
    },
    stytch: {
      project_id: project?.projectId ?? '',
      secret: project?.secret ?? '',
      public_token: project?.publicToken ?? '',
      jwks_url: project ? `${ctx.baseUrl}/v1/sessions/jwks/${project.projectId}` : '',
    },
  };
}

