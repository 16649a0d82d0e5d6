/**
 * Building the app (`createMockAuthKit`, no socket) and running it (`startMockAuthKit`, listening).
 *
 * @example
 * import { startMockAuthKit } from 'mock-authkit';
 * const mock = await startMockAuthKit({ port: 0, db: ':memory:' });
 * await mock.nextLogin({ user: 'alice@acme.test' });
 * await mock.close();
 */
import { createServer, type RequestListener, type ServerOptions as HttpServerOptions } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { Checkpointer } from './core/checkpointer.js';
import { Clock } from './core/clock.js';
import { copyWith } from './core/copy-with.js';
import { Faults } from './core/faults.js';
import { Journal } from './core/journal.js';
import { RequestLoad } from './core/request-load.js';
import { requestPipeline } from './core/request-pipeline.js';
import { withDirectAnswers } from './core/direct-answers.js';
import { DEFAULT_OPTIONS, type LoginMode, type ServerContext, type ServerOptions } from './core/context.js';
import { openDatabase, type Database } from './core/db.js';
import { createEnvironment, deleteEnvironment, seedStartFixtures } from './core/environments.js';
import { environmentHandle, type EnvironmentHandle } from './environment-handle.js';
import { ApiError, StytchApiError, WorkOSApiError, errorResponse, vendorOfPath } from './core/errors.js';
import type { FixtureDocument } from './core/fixtures.js';
import { readStartFixtures, validatedStartFixtures } from './core/start-fixtures.js';
import { loadSchemas } from './core/validation.js';
import { KeyRing } from './core/keys.js';
import { DEFAULT_ENVIRONMENT, Store } from './core/store.js';
import { UserFacingError } from './core/user-facing-error.js';
import { controlRoutes } from './control/routes.js';
import { stytchCompleter, stytchRoutes } from './stytch/index.js';
import { loginPageRoutes } from './ui/routes.js';
import { workosCompleter, workosRoutes } from './workos/index.js';
import { jwksDirectAnswer } from './workos/jwks.js';

/** The default port of `mock-authkit start`. */
export const DEFAULT_PORT = 4400;
/** The default database file, relative to the current directory. */
export const DEFAULT_DB = '.mock-authkit/mock-authkit.sqlite';
/** Bodies above this get a vendor-shaped 413 (the largest legitimate body is a fixture document). */
const MAX_BODY_BYTES = 512 * 1024;
/** How often expired rows are purged. */
const PURGE_INTERVAL_MS = 10 * 60_000;
/** How long after listening the checkpoint thread starts (so never before the first answer). */
const CHECKPOINTER_DELAY_MS = 500;

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

/** Builds the Hono app over a context. */
export function createApp(ctx: ServerContext): Hono {
  const app = new Hono();
  app.use(
    '*',
    requestPipeline(ctx, {
      maxBodyBytes: MAX_BODY_BYTES,
      onTooLarge: (c) => {
        const error =
          vendorOfPath(c.req.path) === 'stytch'
            ? new StytchApiError(413, 'request_too_large', 'The request body is too large.')
            : new WorkOSApiError(413, 'request_too_large', 'The request body is too large.');
        return errorResponse(error, c.req.path);
      },
      headAnswersOnly: ['/user_management/authorize', '/user_management/sessions/logout', '/v1/public/oauth/:provider/start'],
    }),
  );
  // Control calls and the login page's form validate with zod, which is loaded on first need (validation.ts).
  app.use('/_mock/*', async (_c, next) => {
    await loadSchemas();
    await next();
  });
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
  const startFixtures = readStartFixtures(options.fixtures);
  const db = openDatabase(dbPath);
  try {
    const clock = new Clock();
    const store = new Store(db);
    const doc = await validatedStartFixtures(store, startFixtures, clock.now());
    const keys = await KeyRing.open(db, clock.now());
    const serverOptions: ServerOptions = copyWith(DEFAULT_OPTIONS, {
      loginMode: options.login ?? DEFAULT_OPTIONS.loginMode,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? DEFAULT_OPTIONS.accessTokenTtlSeconds,
      issuer: options.issuer,
    });
    const ctx: ServerContext = {
      store,
      clock,
      keys,
      options: serverOptions,
      faults: new Faults(),
      journal: new Journal(),
      startFixture: doc,
      baseUrl: `http://${options.host ?? '127.0.0.1'}:${options.port ?? DEFAULT_PORT}`,
      log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
      load: new RequestLoad(),
    };
    seedStartFixtures(ctx);
    return { app: createApp(ctx), ctx, db, dbPath, fixtureSource: startFixtures.source };
  } catch (error) {
    db.close();
    // A damaged page surfaces on first use, not at open: name the file, in one line.
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB'))
      throw new UserFacingError(`the database ${dbPath} is corrupt (${(error as Error).message}); delete it or use another --db`);
    throw error;
  }
}

/** A running server: the default environment's handle, plus the server and more environments. */
export interface MockAuthKit extends EnvironmentHandle {
  app: Hono;
  ctx: ServerContext;
  server: ServerType;
  fixtureSource: string;
  /** A new isolated environment (fixture default: the start fixtures) with fresh credentials. */
  createEnvironment(fixture?: FixtureDocument): Promise<EnvironmentHandle & { delete(): Promise<void> }>;
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
    server = serve(
      {
        fetch: app.fetch,
        // The JWKS is answered ahead of Hono when nothing about the request needs the app (direct-answers.ts).
        createServer: ((serverOptions: HttpServerOptions, listener: RequestListener) =>
          createServer(serverOptions, withDirectAnswers(listener, [jwksDirectAnswer(ctx)]))) as typeof createServer,
        port: options.port ?? DEFAULT_PORT,
        hostname: host,
      },
      (info: AddressInfo) => resolvePort(info.port),
    );
    server.once('error', (error: NodeJS.ErrnoException) => {
      db.close();
      if (error.code === 'EADDRINUSE') reject(new UserFacingError(`port ${options.port ?? DEFAULT_PORT} on ${host} is already in use; pass --port 0 for any free port`));
      else if (error.code === 'EACCES') reject(new UserFacingError(`not allowed to listen on ${host}:${options.port}`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') reject(new UserFacingError(`cannot bind to host ${host}: ${error.code}`));
      else reject(error);
    });
    server.on('connection', (socket: Socket) => ctx.load.connected(socket));
  });
  // Several clients at once: the writes of one event-loop turn share a commit (core/group-commit.ts).
  ctx.store.groupCommits(() => ctx.load.concurrent());
  ctx.baseUrl = `http://${formatHost(host)}:${port}`;
  // Expired codes, tokens and ended sessions are deleted now and every 10 minutes, so a long-running
  // dev server's database stays small.
  const purge = () => {
    try {
      ctx.store.purgeExpired(Date.now());
    } catch (error) {
      ctx.log(`mock-authkit: purging expired rows failed: ${(error as Error).message}`);
    }
  };
  purge();
  const purgeTimer = setInterval(purge, PURGE_INTERVAL_MS);
  purgeTimer.unref();
  // Checkpoints move to a worker thread (core/checkpointer.ts) once the server has been up a moment, so
  // that starting it never delays the first answer.
  // (An in-memory database has no WAL.)
  let checkpointer: Checkpointer | undefined;
  const checkpointerTimer =
    built.dbPath === ':memory:'
      ? undefined
      : setTimeout(() => {
          try {
            checkpointer = Checkpointer.start(db, built.dbPath);
          } catch (error) {
            // Only speed is lost: the server's own connection keeps checkpointing.
            ctx.log(`mock-authkit: no checkpoint thread (${(error as Error).message}); checkpointing on the main thread`);
          }
        }, CHECKPOINTER_DELAY_MS).unref();
  let closed = false;
  return copyWith(environmentHandle(ctx, DEFAULT_ENVIRONMENT, built.dbPath), {
    app,
    ctx,
    server: server!,
    fixtureSource: built.fixtureSource,
    async createEnvironment(fixture?: FixtureDocument) {
      const id = await createEnvironment(ctx, fixture);
      return copyWith(environmentHandle(ctx, id, built.dbPath), { delete: async () => void deleteEnvironment(ctx, id) });
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(purgeTimer);
      await new Promise<void>((done) => {
        server.close(() => done());
        // Keep-alive sockets would hold close() open; end them.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      clearTimeout(checkpointerTimer);
      ctx.store.flush();
      await checkpointer?.stop();
      db.close();
    },
  });
}

export { ApiError };
