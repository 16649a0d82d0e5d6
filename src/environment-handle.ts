/**
 * The programmatic handle on one environment: its credentials and the control API's verbs as methods.
 * `startMockAuthKit()` returns one for the default environment; `mock.createEnvironment()` makes more.
 *
 * @example
 * const env = await mock.createEnvironment();
 * await env.nextLogin({ user: 'alice@acme.test' });
 * await env.faults.add({ token: 'expired' });
 * await env.clock.advance(660);
 * (await env.requests.list({ path: '/user_management/authenticate' })).length;
 */
import type { ServerContext } from './core/context.js';
import { copyWith } from './core/copy-with.js';
import { credentialsOf, resetEnvironment, type Credentials } from './core/environments.js';
import type { Fault, FaultInput } from './core/faults.js';
import { loadSchemas } from './core/validation.js';
import type { FixtureDocument } from './core/fixtures.js';
import type { JournalEntry } from './core/journal.js';
import { NextLoginError, queueNextLogin } from './core/next-login.js';
import { exportEnvironment, seedFixture } from './core/seed.js';
import type { LoginOverride } from './core/store.js';

export interface EnvironmentHandle extends Credentials {
  /** The environment id (`default`, or `env_…`): `?environment=` of the control API. */
  id: string;
  /** Queues one login override (PRODUCT.md §4); returns its id. */
  nextLogin(override: LoginOverride): Promise<{ id: string }>;
  /** Empties the next-login queue. */
  clearNextLogins(): Promise<void>;
  /** Upserts a fixture document. */
  seed(doc: FixtureDocument): Promise<void>;
  /** Back to the environment's fixture; faults, journal and clock start over. */
  reset(): Promise<void>;
  /** The current state as a fixture document. */
  export(): Promise<FixtureDocument>;
  faults: {
    /** An HTTP fault `{path, status?, body?, count?, delay_ms?, method?, when?}` or a token fault `{token}`. */
    add(fault: FaultInput): Promise<Fault>;
    list(): Promise<Fault[]>;
    clear(): Promise<void>;
  };
  clock: {
    /** Moves this environment's time forward (negative: back). */
    advance(seconds: number): Promise<Date>;
    /** Sets this environment's current time. */
    set(time: Date | string): Promise<Date>;
    /** Back to real time. */
    reset(): Promise<void>;
    now(): Date;
  };
  requests: {
    /** Recent vendor requests, newest last, secrets redacted. */
    list(filter?: { path?: string; method?: string; since?: string; limit?: number }): Promise<JournalEntry[]>;
    clear(): Promise<void>;
  };
}

/** A handle on `environmentId` of a running server. */
export function environmentHandle(ctx: ServerContext, environmentId: string, dbPath: string): EnvironmentHandle {
  const env = environmentId;
  /** Every method refuses a deleted environment (a reset would otherwise bring it back, without credentials). */
  const live = () => {
    if (!ctx.store.environmentExists(env)) throw new Error(`The environment '${env}' no longer exists (it was deleted).`);
  };
  const handle: Omit<EnvironmentHandle, keyof Credentials> = {
    id: env,
    async nextLogin(override) {
      live();
      await loadSchemas();
      try {
        return { id: queueNextLogin(ctx, env, override) };
      } catch (error) {
        if (error instanceof NextLoginError) throw new TypeError(`${error.message} ${error.problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
        throw error;
      }
    },
    async clearNextLogins() {
      live();
      ctx.store.clearNextLogins(env);
    },
    async seed(doc) {
      live();
      await loadSchemas();
      seedFixture(ctx.store, env, doc, ctx.clock.now(env));
    },
    async reset() {
      live();
      resetEnvironment(ctx, env);
    },
    async export() {
      live();
      return exportEnvironment(ctx.store, env);
    },
    faults: {
      async add(fault) {
        live();
        return ctx.faults.add(env, (await loadSchemas()).faultSchema.parse(fault));
      },
      async list() {
        live();
        return ctx.faults.list(env);
      },
      async clear() {
        live();
        ctx.faults.clear(env);
      },
    },
    clock: {
      async advance(seconds) {
        live();
        ctx.clock.advance(env, seconds * 1000);
        return new Date(ctx.clock.now(env));
      },
      async set(time) {
        live();
        const ms = typeof time === 'string' ? Date.parse(time) : time.getTime();
        if (Number.isNaN(ms)) throw new TypeError(`not a time: ${String(time)}`);
        ctx.clock.set(env, ms);
        return new Date(ctx.clock.now(env));
      },
      async reset() {
        live();
        ctx.clock.reset(env);
      },
      now() {
        return new Date(ctx.clock.now(env));
      },
    },
    requests: {
      async list(filter) {
        live();
        return ctx.journal.list(env, filter);
      },
      async clear() {
        live();
        ctx.journal.clear(env);
      },
    },
  };
  return copyWith(credentialsOf(ctx, env, dbPath), handle);
}
