/**
 * Injected faults, per environment (in memory: they belong to the running test, not to the state).
 *
 * - HTTP faults: the next `count` requests matching `method`/`path` (and `when.grant_type`) get `status`
 *   and `body` — by default the vendor's own error envelope for that endpoint — after `delay_ms`. A fault
 *   with `delay_ms` and neither `status` nor `body` only slows the request down: it is answered normally.
 * - Token faults: the next `count` access tokens / session JWTs issued come out defective
 *   (`expired`, `bad_signature`, `unknown_kid`, `wrong_issuer`), so an app's verification failure
 *   paths can be tested.
 *
 * @example
 * faults.add('default', { path: '/user_management/authenticate', status: 500, count: 4 });
 * faults.add('default', { token: 'expired' });
 * faults.matchHttp('default', 'POST', '/user_management/authenticate', { grant_type: 'refresh_token' });
 */
import { workosId } from './ids.js';
import type { FaultInput } from './schemas.js';
import type { TokenFault } from './vocabulary.js';

export type { FaultInput } from './schemas.js';
export type { TokenFault } from './vocabulary.js';

export interface HttpFault {
  id: string;
  kind: 'http';
  method: string | null;
  path: string;
  /** null: answer normally after the delay (a `delay_ms` fault without `status` or `body`). */
  status: number | null;
  body: unknown;
  remaining: number;
  delay_ms: number;
  when: { grant_type?: string };
}

export interface TokenFaultEntry {
  id: string;
  kind: 'token';
  token: TokenFault;
  remaining: number;
}

export type Fault = HttpFault | TokenFaultEntry;

function pathPattern(path: string): RegExp {
  // `*` matches within one segment, `**` across segments; `:name` stands for one segment.
  const escaped = path
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*/g, '\u0000')
    .replace(/\*/g, '[^/]*')
    .replace(/\u0000/g, '.*')
    .replace(/:[A-Za-z_]\w*/g, '[^/]+');
  return new RegExp(`^${escaped}$`);
}

/** Faults of every environment; each match uses one of a fault's `count`. */
export class Faults {
  private readonly byEnvironment = new Map<string, Fault[]>();

  add(environmentId: string, input: FaultInput): Fault {
    const list = this.byEnvironment.get(environmentId) ?? [];
    let fault: Fault;
    if ('token' in input) {
      fault = { id: workosId('fault'), kind: 'token', token: input.token, remaining: input.count ?? 1 };
    } else {
      fault = {
        id: workosId('fault'),
        kind: 'http',
        method: input.method ? input.method.toUpperCase() : null,
        path: input.path,
        status: input.status ?? (input.body === undefined && input.delay_ms !== undefined ? null : 500),
        body: input.body,
        remaining: input.count ?? 1,
        delay_ms: input.delay_ms ?? 0,
        when: input.when ?? {},
      };
    }
    list.push(fault);
    this.byEnvironment.set(environmentId, list);
    return fault;
  }

  list(environmentId: string): Fault[] {
    return this.byEnvironment.get(environmentId) ?? [];
  }

  clear(environmentId: string): number {
    const count = this.list(environmentId).length;
    this.byEnvironment.delete(environmentId);
    return count;
  }

  /** True when the environment has any HTTP fault (lets the request path skip body parsing). */
  hasHttp(environmentId: string): boolean {
    return this.list(environmentId).some((fault) => fault.kind === 'http');
  }

  /** The first HTTP fault matching this request, with one use taken from it. */
  matchHttp(environmentId: string, method: string, path: string, params: Record<string, unknown>): HttpFault | undefined {
    const list = this.byEnvironment.get(environmentId);
    if (!list) return undefined;
    const fault = list.find(
      (f): f is HttpFault =>
        f.kind === 'http' &&
        (f.method === null || f.method === method) &&
        (f.path === path || pathPattern(f.path).test(path)) &&
        (f.when.grant_type === undefined || f.when.grant_type === params.grant_type),
    );
    if (fault) this.use(environmentId, fault);
    return fault;
  }

  /** The next token fault of the environment, with one use taken from it. */
  takeTokenFault(environmentId: string): TokenFault | undefined {
    const fault = this.byEnvironment.get(environmentId)?.find((f): f is TokenFaultEntry => f.kind === 'token');
    if (!fault) return undefined;
    this.use(environmentId, fault);
    return fault.token;
  }

  private use(environmentId: string, fault: Fault): void {
    fault.remaining -= 1;
    if (fault.remaining <= 0) {
      const list = this.byEnvironment.get(environmentId)!.filter((f) => f !== fault);
      if (list.length) this.byEnvironment.set(environmentId, list);
      else this.byEnvironment.delete(environmentId);
    }
  }
}
