/**
 * Building the app (`createMockAuthKit`, no socket) and running it (`startMockAuthKit`, listening).
 *
 * @example
 * import { startMockAuthKit } from 'mock-authkit';
 * const mock = await startMockAuthKit({ port: 0, db: ':memory:' });
 * await mock.nextLogin({ user: 'alice@acme.test' });
 * await mock.close();
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { Clock } from './core/clock.js';
import { Faults } from './core/faults.js';
import { instrumentation } from './core/instrumentation.js';
import { Journal } from './core/journal.js';
import { DEFAULT_OPTIONS, type LoginMode, type ServerContext, type ServerOptions } from './core/context.js';
import { openDatabase, type Database } from './core/db.js';
import { credentialsOf, resetEnvironment, seedStartFixtures, type Credentials } from './core/environments.js';
import { ApiError, StytchApiError, WorkOSApiError, errorResponse, vendorOfPath } from './core/errors.js';
import { DEFAULT_FIXTURE_PATH, loadFixtureFiles, parseFixture, type FixtureDocument } from './core/fixtures.js';
import { SigningKeys } from './core/keys.js';
import type { LoginOverride } from './core/store.js';
import { DEFAULT_ENVIRONMENT, Store } from './core/store.js';
import { exportEnvironment, seedFixture } from './core/seed.js';
import { UserFacingError } from './core/user-facing-error.js';
import { controlRoutes, nextLoginSchema } from './control/routes.js';
import { stytchCompleter, stytchRoutes } from './stytch/index.js';
import { loginPageRoutes } from './ui/routes.js';
import { workosCompleter, workosRoutes } from './workos/index.js';

/** The default port of `mock-authkit start`. */
export const DEFAULT_PORT = 4400;
/** The default database file, relative to the current directory. */
export const DEFAULT_DB = '.mock-authkit/mock-authkit.sqlite';
/** Bodies above this get a vendor-shaped 413 (the largest legitimate body is a fixture document). */
const MAX_BODY_BYTES = 512 * 1024;

export interface MockAuthKitOptions {
  /** TCP port; `0` picks a free one. Default 4400. */
  port?: number;
  /** Bind address. Default `127.0.0.1`. */
  host?: string;
  /** SQLite file or `:memory:`. Default `.mock-authkit/mock-authkit.sqlite`. */
  db?: string;
  /** Fixture files/folders, or a fixture document. Default `./mock-authkit.fixtures.json` if present, else the built-in one. */
  fixtures?: string[] | FixtureDocument;
  /** `iss` of WorkOS access tokens. Default: the server's URL. */
  issuer?: string;
  /** `auto` (default), `page` or `headless` (PRODUCT.md §3). */
  login?: LoginMode;
  /** WorkOS access-token lifetime in seconds. Default 300. */
  accessTokenTtlSeconds?: number;
  /** Where diagnostics go (never secrets). Default: stderr. */
  log?: (line: string) => void;
}

/** Resolves the start fixtures: explicit files/document, else `./mock-authkit.fixtures.json`, else the built-in default. */
export function resolveStartFixtures(fixtures: MockAuthKitOptions['fixtures'], cwd = process.cwd()): { doc: FixtureDocument; source: string } {
  if (fixtures && !Array.isArray(fixtures)) return { doc: parseFixture(fixtures, 'fixtures option'), source: 'fixtures option' };
  if (fixtures && fixtures.length) return { doc: loadFixtureFiles(fixtures), source: fixtures.join(', ') };
  const local = resolve(cwd, 'mock-authkit.fixtures.json');
  if (existsSync(local)) return { doc: loadFixtureFiles([local]), source: local };
  return { doc: loadFixtureFiles([DEFAULT_FIXTURE_PATH]), source: 'built-in default fixture' };
}

/** Builds the Hono app over a context. */
export function createApp(ctx: ServerContext): Hono {
  const app = new Hono();
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => {
        const error =
          vendorOfPath(c.req.path) === 'stytch'
            ? new StytchApiError(413, 'request_too_large', 'The request body is too large.')
            : new WorkOSApiError(413, 'request_too_large', 'The request body is too large.');
        return errorResponse(error, c.req.path);
      },
    }),
  );
  // Hono answers HEAD with the GET handler; on these a HEAD (link previews, health probes) must not take
  // a queued login, issue a code or end a session.
  for (const path of ['/user_management/authorize', '/user_management/sessions/logout', '/v1/public/oauth/:provider/start']) {
    app.use(path, async (c, next) => (c.req.method === 'HEAD' ? c.body(null, 200) : next()));
  }
  app.use('*', instrumentation(ctx));
  const completers = { workos: workosCompleter(ctx), stytch: stytchCompleter(ctx) };
  app.route('/', controlRoutes(ctx));
  app.route('/', loginPageRoutes(ctx, completers));
  app.route('/', workosRoutes(ctx, completers.workos));
  app.route('/', stytchRoutes(ctx, completers.stytch));
  app.notFound((c) => {
    const error =
      vendorOfPath(c.req.path) === 'stytch'
        ? new StytchApiError(404, 'route_not_found', `No route ${c.req.method} ${c.req.path}.`)
        : new WorkOSApiError(404, 'not_found', 'Not Found');
    return errorResponse(error, c.req.path);
  });
  app.onError((error, c) => errorResponse(error, c.req.path, ctx.log));
  return app;
}

/** An app with its database and context, not yet listening. */
export interface MockAuthKitApp {
  app: Hono;
  ctx: ServerContext;
  db: Database;
  dbPath: string;
  fixtureSource: string;
}

/** Opens the database, loads (or makes) the signing key, seeds the start fixtures and builds the app. */
export async function createMockAuthKit(options: MockAuthKitOptions = {}): Promise<MockAuthKitApp> {
  const dbPath = options.db ?? DEFAULT_DB;
  const { doc, source } = resolveStartFixtures(options.fixtures);
  const db = openDatabase(dbPath);
  try {
    const clock = new Clock();
    const keys = await SigningKeys.load(db, clock.now());
    const serverOptions: ServerOptions = {
      ...DEFAULT_OPTIONS,
      loginMode: options.login ?? DEFAULT_OPTIONS.loginMode,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? DEFAULT_OPTIONS.accessTokenTtlSeconds,
      issuer: options.issuer,
    };
    const ctx: ServerContext = {
      store: new Store(db),
      clock,
      keys,
      options: serverOptions,
      faults: new Faults(),
      journal: new Journal(),
      startFixture: doc,
      baseUrl: `http://${options.host ?? '127.0.0.1'}:${options.port ?? DEFAULT_PORT}`,
      log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
    };
    seedStartFixtures(ctx);
    return { app: createApp(ctx), ctx, db, dbPath, fixtureSource: source };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** A running server: the ready-line facts plus control methods. */
export interface MockAuthKit extends Credentials {
  app: Hono;
  ctx: ServerContext;
  server: ServerType;
  fixtureSource: string;
  /** Queues one login override (PRODUCT.md §4); returns its id. */
  nextLogin(override: LoginOverride): Promise<{ id: string }>;
  /** Empties the next-login queue. */
  clearNextLogins(): Promise<void>;
  /** Upserts a fixture document. */
  seed(doc: FixtureDocument): Promise<void>;
  /** Back to the start fixtures. */
  reset(): Promise<void>;
  /** The current state as a fixture document. */
  export(): Promise<FixtureDocument>;
  /** Stops listening and closes the database. */
  close(): Promise<void>;
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts the server and resolves once it answers; `port: 0` picks a free port (see `url`). */
export async function startMockAuthKit(options: MockAuthKitOptions = {}): Promise<MockAuthKit> {
  const host = options.host ?? '127.0.0.1';
  const built = await createMockAuthKit(options);
  const { app, ctx, db } = built;
  let server: ServerType;
  const port = await new Promise<number>((resolvePort, reject) => {
    server = serve({ fetch: app.fetch, port: options.port ?? DEFAULT_PORT, hostname: host }, (info: AddressInfo) => resolvePort(info.port));
    server.once('error', (error: NodeJS.ErrnoException) => {
      db.close();
      if (error.code === 'EADDRINUSE') reject(new UserFacingError(`port ${options.port ?? DEFAULT_PORT} on ${host} is already in use; pass --port 0 for any free port`));
      else if (error.code === 'EACCES') reject(new UserFacingError(`not allowed to listen on ${host}:${options.port}`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') reject(new UserFacingError(`cannot bind to host ${host}: ${error.code}`));
      else reject(error);
    });
  });
  ctx.baseUrl = `http://${formatHost(host)}:${port}`;
  const env = DEFAULT_ENVIRONMENT;
  let closed = false;
  const control = {
    app,
    ctx,
    server: server!,
    fixtureSource: built.fixtureSource,
    async nextLogin(override: LoginOverride) {
      const parsed = nextLoginSchema.safeParse(override);
      if (!parsed.success) throw new TypeError(`invalid next-login override: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
      if (parsed.data.user && !ctx.store.findUser(env, parsed.data.user)) throw new TypeError(`no user with email or id '${parsed.data.user}'`);
      return { id: ctx.store.enqueueNextLogin(env, parsed.data as LoginOverride, ctx.clock.now(env)) };
    },
    async clearNextLogins() {
      ctx.store.clearNextLogins(env);
    },
    async seed(doc: FixtureDocument) {
      seedFixture(ctx.store, env, doc, ctx.clock.now(env));
    },
    async reset() {
      resetEnvironment(ctx, env);
    },
    async export() {
      return exportEnvironment(ctx.store, env);
    },
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((done) => {
        server.close(() => done());
        // Keep-alive sockets would hold close() open; end them.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      db.close();
    },
  };
  return Object.assign(control, credentialsOf(ctx, env, built.dbPath));
}

export { ApiError };
