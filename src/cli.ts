/**
 * `mock-authkit` command line (PRODUCT.md §1). Every operational problem is one line on stderr and
 * exit code 1; `start --json` prints exactly one JSON line on stdout when ready and nothing else.
 *
 * @example
 * mock-authkit start --port 0 --json --db :memory:
 * mock-authkit validate ./mock-authkit.fixtures.json
 * mock-authkit token --user alice@acme.test --org org_01…
 */
// First: Node's fetch globals must be deferred before @hono/node-server is imported (see the module).
import './lazy-web-globals.js';
import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_DB, DEFAULT_PORT, createMockAuthKit, startMockAuthKit, type MockAuthKit } from './server.js';
import { FixtureError, loadFixtureFiles, DEFAULT_FIXTURE_PATH } from './core/fixtures.js';
import { UserFacingError } from './core/user-facing-error.js';
import { packageVersion } from './core/package-files.js';
import { openDatabase } from './core/db.js';
import { Store, DEFAULT_ENVIRONMENT } from './core/store.js';
import { Clock } from './core/clock.js';
import { seedFixture, exportEnvironment } from './core/seed.js';
import { loadSchemas } from './core/validation.js';
import { mintToken } from './token.js';
import type { LoginMode } from './core/context.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/i;

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('must be an integer from 0 to 65535 (0 = any free port).');
  return port;
}

function parseLogin(value: string): LoginMode {
  if (value !== 'auto' && value !== 'page' && value !== 'headless') throw new InvalidArgumentError("must be 'auto', 'page' or 'headless'.");
  return value;
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || seconds < 1 || seconds > 366 * 86400) throw new InvalidArgumentError('must be a whole number of seconds (1 to 31622400).');
  return seconds;
}

function parseUrl(value: string): string {
  try {
    new URL(value);
  } catch {
    throw new InvalidArgumentError('must be an absolute URL.');
  }
  return value.replace(/\/+$/, '');
}

const dbOption = () => new Option('--db <file>', 'SQLite database file, or :memory:').env('MOCK_AUTHKIT_DB').default(DEFAULT_DB);

/** The human banner: URL, credentials, env lines to paste, users, database. */
function banner(mock: MockAuthKit, login: LoginMode): string {
  const url = new URL(mock.url);
  const users = mock.ctx.store.allUsers(DEFAULT_ENVIRONMENT);
  const lines = [
    `mock-authkit is ready at ${mock.url}`,
    '',
    'WorkOS AuthKit — paste into your app (.env):',
    `  WORKOS_API_HOSTNAME=${url.hostname.replace(/^\[|\]$/g, '')}`,
    `  WORKOS_API_PORT=${url.port}`,
    '  WORKOS_API_HTTPS=false',
    `  WORKOS_CLIENT_ID=${mock.workos.client_id}`,
    `  WORKOS_API_KEY=${mock.workos.api_key}`,
    '  # any 32+ characters; the SDKs seal session cookies with it',
    '  WORKOS_COOKIE_PASSWORD=mock-authkit-example-cookie-password-32+',
    '  # authkit-nextjs: your callback (any http://localhost or 127.0.0.1 URI is registered by default)',
    '  NEXT_PUBLIC_WORKOS_REDIRECT_URI=http://localhost:3000/callback',
    `  JWKS: ${mock.workos.jwks_url}`,
    '',
    'Stytch — paste into your app (.env):',
    `  STYTCH_PROJECT_ID=${mock.stytch.project_id}`,
    `  STYTCH_SECRET=${mock.stytch.secret}`,
    `  STYTCH_PUBLIC_TOKEN=${mock.stytch.public_token}`,
    `  STYTCH_API_URL=${mock.url}`,
    `  Node SDK: new stytch.Client({ project_id, secret, env: '${mock.url}/' })`,
    `  Browser SDK: createStytchClient(public_token, { endpoints: { testAPIURL: '${mock.url}', liveAPIURL: '${mock.url}' } })`,
    `  JWKS: ${mock.stytch.jwks_url}`,
    '',
    `Users (${users.length}):`,
    ...users.slice(0, 20).map((user) => {
      const orgs = mock.ctx.store.membershipsOfUser(DEFAULT_ENVIRONMENT, user.id).map((m) => `${m.organizationName} (${m.role})`);
      const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
      return `  ${user.email.padEnd(28)} ${name.padEnd(20)} ${orgs.join(', ')}`;
    }),
    ...(users.length > 20 ? [`  … and ${users.length - 20} more`] : []),
    '',
    `Login: ${login} · fixtures: ${mock.fixtureSource}`,
    `Database: ${mock.db}`,
    `Control API: ${mock.url}/_mock/ · Ctrl-C to stop`,
  ];
  return lines.join('\n');
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('mock-authkit')
    .description('A local mock identity provider for WorkOS AuthKit and Stytch OAuth.')
    // Read only when asked, so that a start does not read package.json.
    .option('-V, --version', 'print the version')
    .on('option:version', () => {
      process.stdout.write(`${packageVersion()}\n`);
      process.exit(0);
    })
    .showHelpAfterError('(run mock-authkit --help for usage)')
    .configureOutput({ outputError: (text, write) => write(text.split('\n')[0] + '\n') });

  program
    .command('start')
    .description('run the server (Ctrl-C or SIGTERM to stop)')
    .addOption(new Option('--port <n>', 'port; 0 = any free port').env('MOCK_AUTHKIT_PORT').default(DEFAULT_PORT).argParser(parsePort))
    .addOption(new Option('--host <host>', 'bind address').env('MOCK_AUTHKIT_HOST').default('127.0.0.1'))
    .addOption(dbOption())
    .addOption(new Option('--fixtures <paths...>', 'fixture files or folders (default: ./mock-authkit.fixtures.json, else the built-in fixture)').env('MOCK_AUTHKIT_FIXTURES'))
    .addOption(new Option('--issuer <url>', 'iss of WorkOS access tokens (default: the server URL)').env('MOCK_AUTHKIT_ISSUER').argParser(parseUrl))
    .addOption(new Option('--login <mode>', 'auto | page | headless').env('MOCK_AUTHKIT_LOGIN').default('auto').argParser(parseLogin))
    .addOption(new Option('--access-token-ttl <seconds>', 'WorkOS access-token lifetime').env('MOCK_AUTHKIT_ACCESS_TOKEN_TTL').default(300).argParser(parseSeconds))
    .addOption(new Option('--json', 'print one JSON line when ready, nothing else on stdout').env('MOCK_AUTHKIT_JSON'))
    .addOption(new Option('--quiet', 'print nothing but errors').env('MOCK_AUTHKIT_QUIET'))
    .action(async (opts) => {
      const fixtures = typeof opts.fixtures === 'string' ? opts.fixtures.split(/[,\s]+/).filter(Boolean) : opts.fixtures;
      if (!LOOPBACK.test(opts.host))
        process.stderr.write(`mock-authkit: warning: listening on ${opts.host}, not loopback: anyone who can reach this address can sign in as any user.\n`);
      const mock = await startMockAuthKit({
        port: opts.port,
        host: opts.host,
        db: opts.db,
        fixtures,
        issuer: opts.issuer,
        login: opts.login,
        accessTokenTtlSeconds: opts.accessTokenTtl,
      });
      if (opts.json) {
        const { url, db, workos, stytch } = mock;
        process.stdout.write(`${JSON.stringify({ url, db, workos, stytch })}\n`);
      } else if (!opts.quiet) {
        process.stdout.write(`${banner(mock, opts.login)}\n`);
      }
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        await mock.close();
        if (!opts.json && !opts.quiet) process.stderr.write(`mock-authkit: stopped (${signal}).\n`);
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
    });

  program
    .command('seed')
    .description('load fixtures into the database file without starting a server')
    .argument('<fixtures...>', 'fixture files or folders')
    .addOption(dbOption())
    .option('--environment <id>', 'environment to seed', DEFAULT_ENVIRONMENT)
    .action(async (paths: string[], opts) => {
      await loadSchemas();
      const doc = loadFixtureFiles(paths);
      const db = openDatabase(opts.db);
      try {
        const store = new Store(db);
        seedFixture(store, opts.environment, doc, new Clock().now(opts.environment));
        process.stdout.write(`seeded ${paths.join(', ')} into ${opts.db} (${doc.users?.length ?? 0} users, ${doc.organizations?.length ?? 0} organizations)\n`);
      } finally {
        db.close();
      }
    });

  program
    .command('reset')
    .description('empty the database file (keeps the signing key unless --keys)')
    .addOption(dbOption())
    .option('--keys', 'also delete the signing key (tokens issued before stop verifying)')
    .action((opts) => {
      const db = openDatabase(opts.db);
      try {
        new Store(db).deleteEverything(Boolean(opts.keys));
        process.stdout.write(`emptied ${opts.db}${opts.keys ? ' (signing key deleted)' : ' (signing key kept)'}\n`);
      } finally {
        db.close();
      }
    });

  program
    .command('export')
    .description('write the current state as a fixture document')
    .addOption(dbOption())
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--environment <id>', 'environment to export', DEFAULT_ENVIRONMENT)
    .action((opts) => {
      const db = openDatabase(opts.db);
      try {
        const store = new Store(db);
        if (!store.environmentExists(opts.environment)) throw new UserFacingError(`no environment '${opts.environment}' in ${opts.db}`);
        const text = `${JSON.stringify(exportEnvironment(store, opts.environment), null, 2)}\n`;
        if (opts.out) writeFileSync(opts.out, text);
        else process.stdout.write(text);
      } finally {
        db.close();
      }
    });

  program
    .command('validate')
    .description('check fixtures; print every problem with its JSON path')
    .argument('[fixtures...]', 'fixture files or folders (default: the built-in fixture)')
    .action(async (paths: string[]) => {
      const files = paths.length ? paths : [DEFAULT_FIXTURE_PATH];
      await loadSchemas();
      try {
        const doc = loadFixtureFiles(files);
        process.stdout.write(`ok: ${files.join(', ')} (${doc.users?.length ?? 0} users, ${doc.organizations?.length ?? 0} organizations, ${doc.scenarios?.length ?? 0} scenarios)\n`);
      } catch (error) {
        if (!(error instanceof FixtureError)) throw error;
        const prefix = files.length === 1 ? `${files[0]}: ` : '';
        for (const problem of error.problems) process.stderr.write(`${prefix}${problem.path} ${problem.message}\n`);
        process.exitCode = 1;
      }
    });

  program
    .command('token')
    .description('print a signed access token (WorkOS) or session JWT (Stytch) for a user')
    .requiredOption('--user <email|id>', 'the user')
    .option('--org <id>', 'organization (WorkOS; default: first active membership)')
    .option('--impersonator <email>', 'adds act.sub (WorkOS) / marks the session impersonated')
    .addOption(new Option('--vendor <vendor>', 'workos | stytch').choices(['workos', 'stytch']).default('workos'))
    .addOption(dbOption())
    .option('--environment <id>', 'environment', DEFAULT_ENVIRONMENT)
    .addOption(new Option('--issuer <url>', 'iss of WorkOS tokens (default: the server URL)').env('MOCK_AUTHKIT_ISSUER').argParser(parseUrl))
    .addOption(new Option('--port <n>', 'the port the server runs on (for the default issuer)').env('MOCK_AUTHKIT_PORT').default(DEFAULT_PORT).argParser(parsePort))
    .action(async (opts) => {
      const built = await createMockAuthKit({ db: opts.db, port: opts.port, issuer: opts.issuer, log: () => {} });
      try {
        const token = await mintToken(built.ctx, {
          environmentId: opts.environment,
          vendor: opts.vendor,
          user: opts.user,
          organizationId: opts.org,
          impersonatorEmail: opts.impersonator,
        });
        process.stdout.write(`${token}\n`);
      } finally {
        built.db.close();
      }
    });

  return program;
}

/** Runs the CLI; any {@link UserFacingError} is one line and exit code 1. */
export async function main(argv = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    const message = error instanceof UserFacingError ? error.message : error instanceof Error ? error.message : String(error);
    process.stderr.write(`mock-authkit: ${message}\n`);
    process.exit(1);
  }
}

// Not a top-level await: the CLI's bundle is CommonJS (scripts/bundle.mjs); main() handles its own errors.
/** Settles once the command has done its work; for `start`, once the server answers (bin/mock-authkit.js waits for that). */
export const finished = main();
