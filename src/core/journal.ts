/**
 * The request journal: the most recent vendor requests of each environment, bounded, with every
 * secret, password, code and token redacted before it is kept.
 *
 * @example
 * journal.record('default', { vendor: 'workos', method: 'POST', path: '/user_management/authenticate', … });
 * journal.list('default', { path: '/user_management/authenticate', limit: 10 });
 */

/** Entries kept per environment; the oldest are dropped first. */
export const JOURNAL_LIMIT = 500;

/** Keys whose values never appear in the journal (body and query). */
const SECRET_KEYS = new Set([
  'client_secret', 'password', 'code', 'code_verifier', 'refresh_token', 'access_token', 'id_token', 'token',
  'session_token', 'session_jwt', 'secret', 'api_key', 'pending_authentication_token', 'oauth_attach_token',
  'new_password', 'device_code', 'invitation_token', 'password_reset_token',
]);

export interface JournalEntry {
  id: number;
  time: string;
  vendor: 'workos' | 'stytch' | 'login_page';
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  duration_ms: number;
  body: unknown;
}

/** Replaces secret values (at any depth) with `"[redacted]"`. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[truncated]';
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => redact(item, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      out[key] = SECRET_KEYS.has(key.toLowerCase()) || /secret|password|token/i.test(key) ? '[redacted]' : redact(item, depth + 1);
    }
    return out;
  }
  if (typeof value === 'string' && value.length > 2000) return `${value.slice(0, 2000)}…`;
  return value;
}

export class Journal {
  private readonly byEnvironment = new Map<string, JournalEntry[]>();
  private sequence = 0;

  record(environmentId: string, entry: Omit<JournalEntry, 'id' | 'query' | 'body'> & { query: Record<string, string>; body: unknown }): void {
    const list = this.byEnvironment.get(environmentId) ?? [];
    list.push({ ...entry, id: ++this.sequence, query: redact(entry.query) as Record<string, string>, body: redact(entry.body) });
    if (list.length > JOURNAL_LIMIT) list.splice(0, list.length - JOURNAL_LIMIT);
    this.byEnvironment.set(environmentId, list);
  }

  /** Newest last. `since` is an entry id or an ISO time (exclusive). */
  list(environmentId: string, filter: { path?: string; method?: string; since?: string; limit?: number } = {}): JournalEntry[] {
    let entries = this.byEnvironment.get(environmentId) ?? [];
    if (filter.path) entries = entries.filter((e) => e.path === filter.path || e.path.startsWith(filter.path!.endsWith('*') ? filter.path!.slice(0, -1) : `${filter.path}\u0000`));
    if (filter.method) entries = entries.filter((e) => e.method === filter.method!.toUpperCase());
    if (filter.since) {
      const since = filter.since;
      entries = /^\d+$/.test(since) ? entries.filter((e) => e.id > Number(since)) : entries.filter((e) => e.time > new Date(since).toISOString());
    }
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), JOURNAL_LIMIT);
    return entries.slice(-limit);
  }

  clear(environmentId: string): number {
    const count = this.byEnvironment.get(environmentId)?.length ?? 0;
    this.byEnvironment.delete(environmentId);
    return count;
  }
}
