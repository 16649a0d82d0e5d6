/**
 * What every route and service shares: the store, the one clock, the signing key and the options.
 * Built once by `createApp`; `baseUrl` is filled in when the server knows its port (port 0).
 *
 * @example
 * const ctx = await createContext({ db: ':memory:' });
 * ctx.store.findUser('default', 'alice@acme.test');
 */
import { Clock } from './clock.js';
import type { Faults } from './faults.js';
import type { FixtureDocument } from './fixtures.js';
import type { RequestLoad } from './request-load.js';
import type { Journal } from './journal.js';
import type { KeyRing } from './keys.js';
import type { Store } from './store.js';

/** How authorize / OAuth start decide between the login page and an immediate redirect (PRODUCT.md §3). */
export type LoginMode = 'auto' | 'page' | 'headless';

export interface ServerOptions {
  /** `iss` of WorkOS access tokens; default: the server's base URL. */
  issuer?: string;
  loginMode: LoginMode;
  /** WorkOS access-token lifetime; production's default is 5 minutes. */
  accessTokenTtlSeconds: number;
  /** Authorization codes and Stytch OAuth tokens live this long (WorkOS: 10 minutes). */
  codeTtlSeconds: number;
  /** WorkOS sessions and their refresh tokens live this long. */
  sessionTtlSeconds: number;
}

export const DEFAULT_OPTIONS: ServerOptions = {
  loginMode: 'auto',
  accessTokenTtlSeconds: 300,
  codeTtlSeconds: 600,
  sessionTtlSeconds: 30 * 24 * 3600,
};

export interface ServerContext {
  store: Store;
  clock: Clock;
  /** The signing key of each environment. */
  keys: KeyRing;
  options: ServerOptions;
  /** Injected HTTP and token faults, per environment. */
  faults: Faults;
  /** Recent vendor requests, per environment, secrets redacted. */
  journal: Journal;
  /** The fixture the default environment starts from (reset goes back to it). */
  startFixture: FixtureDocument;
  /** `http://127.0.0.1:4400`, no trailing slash; set once listening. */
  baseUrl: string;
  /** Diagnostics (never secrets); stderr in the CLI. */
  log: (line: string) => void;
  /** Open connections and requests being answered: a lone client's tokens are signed inline, and with
   *  several clients connected the writes of one event-loop turn share a commit (request-load.ts). */
  load: RequestLoad;
}

/** The issuer WorkOS tokens carry: the `--issuer` option or the base URL. */
export function workosIssuer(ctx: ServerContext): string {
  return ctx.options.issuer ?? ctx.baseUrl;
}

export { Clock };
