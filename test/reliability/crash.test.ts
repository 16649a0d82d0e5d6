/**
 * Crash safety: 16 clients log in (authorize + code grant) and refresh in a loop against the CLI server;
 * the server is killed with SIGKILL mid-flight; the database file is then checked directly
 * (`PRAGMA integrity_check`, one live refresh token per session) and served again by a new process:
 * every login or refresh that got a 200 still refreshes, and no refresh token that was rotated away works.
 *
 * A request whose answer never came may or may not have committed. For a refresh that was in flight
 * with token T, the successor N was never seen: exactly one of T and N is live (never both, never
 * neither), and T works after the restart exactly when it is the live one. A code grant in flight leaves
 * the code either unused (it still redeems) or used (it does not).
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { secretKeys } from '../../src/core/ids.js';
import { startCli, tempDb, type CliServer } from '../helpers/cli.js';
import { Http, sessionIdOf, workosAuthenticate, workosCode, workosRefresh, type HttpResponse, type WorkOSCredentials } from './helpers.js';

const CLIENTS = 16;
/**
 * The kill is armed after at least this long and enough work (or at the latest after MAX_RUN_MS, on a slow
 * machine), and then comes the moment the next answer (a redirect with a code, or a 200) arrives: the
 * most telling instant, since an answer sent before its commit (at the end of the server's event-loop
 * turn) would be lost to a kill right then.
 */
const MIN_RUN_MS = 1_000;
const MAX_RUN_MS = 6_000;
const USERS = ['alice@acme.test', 'bob@acme.test', 'carol@globex.test', 'support@acme.test'];

/** One session as a client saw it. */
interface Chain {
  sid: string;
  /** The refresh token of the latest 200 (login or refresh). */
  confirmed: string;
  /** Tokens that were exchanged with a 200 answer: dead for good. */
  rotated: string[];
  /** The token of a refresh that was sent and never answered (always `confirmed`). */
  inflight?: string;
}

/** A code grant that was sent and never answered. */
interface PendingCode {
  code: string;
  verifier: string;
}

function integrity(path: string): { integrity: unknown; foreignKeys: unknown[] } {
  const db = new Database(path);
  try {
    return { integrity: db.pragma('integrity_check', { simple: true }), foreignKeys: db.pragma('foreign_key_check') as unknown[] };
  } finally {
    db.close();
  }
}

describe('kill -9 while 16 clients log in and refresh', () => {
  it('leaves an intact database where every confirmed token works once and no rotated one does', { timeout: 30_000 }, async () => {
    const started = Date.now();
    const dbPath = tempDb();
    let server: CliServer | undefined = await startCli(['--db', dbPath, '--login', 'headless']);
    const workos: WorkOSCredentials = server.ready.workos;
    const url = server.ready.url;
    const http = new Http(CLIENTS * 2);
    const chains: Chain[] = [];
    const pendingCodes: PendingCode[] = [];
    const unexpected: string[] = [];
    let killed = false;
    let armed = false;
    const exited = new Promise((done) => server!.process.once('exit', done));
    const kill = () => {
      if (killed) return;
      killed = true;
      server!.process.kill('SIGKILL');
    };
    /** Called as each answer is taken in: once armed, the kill follows at once (synchronously). */
    const answered = () => {
      if (armed) kill();
    };
    const note = (what: string, res: HttpResponse) => unexpected.push(`${what}: ${res.status} ${res.text.slice(0, 200)}`);

    const client = async (i: number) => {
      const hint = USERS[i % USERS.length];
      while (!killed) {
        let grant: PendingCode;
        try {
          const { code, verifier } = await workosCode(http, url, workos, hint);
          grant = { code, verifier };
          // The kill may come right after this redirect: its code must then still redeem after the restart.
          answered();
        } catch {
          return; // authorize unanswered: nothing was promised
        }
        let res: HttpResponse;
        try {
          res = await workosAuthenticate(http, url, { grant_type: 'authorization_code', client_id: workos.client_id, client_secret: workos.api_key, code: grant.code, code_verifier: grant.verifier }, 5_000);
        } catch {
          pendingCodes.push(grant);
          return;
        }
        if (res.status !== 200) return note('code grant', res);
        const login = res.json();
        const chain: Chain = { sid: sessionIdOf(login.access_token), confirmed: login.refresh_token, rotated: [] };
        chains.push(chain);
        answered();
        for (let k = 0; k < 3 + (i % 6); k++) {
          chain.inflight = chain.confirmed;
          try {
            res = await workosRefresh(http, url, workos, chain.confirmed, 5_000);
          } catch {
            return; // stays in flight
          }
          chain.inflight = undefined;
          if (res.status !== 200) return note('refresh', res);
          chain.rotated.push(chain.confirmed);
          chain.confirmed = res.json().refresh_token;
          answered();
        }
      }
    };

    const running = Array.from({ length: CLIENTS }, (_, i) => client(i));
    const rotations = () => chains.reduce((n, chain) => n + chain.rotated.length, 0);
    const began = Date.now();
    while (Date.now() - began < MAX_RUN_MS && (Date.now() - began < MIN_RUN_MS || chains.length < CLIENTS || rotations() < 2 * CLIENTS)) {
      await new Promise((tick) => setTimeout(tick, 25));
    }
    armed = true;
    // Should no answer come within a second (a stalled server), the kill comes anyway.
    const fallback = setTimeout(kill, 1_000);
    await exited;
    clearTimeout(fallback);
    killed = true; // (also when the server died on its own: the clients stop)
    await Promise.all(running);
    http.close();
    server = undefined;

    expect(unexpected).toEqual([]);
    const inflightRefreshes = chains.filter((chain) => chain.inflight).length;
    // The load was real and the kill landed mid-flight.
    expect(chains.length).toBeGreaterThanOrEqual(CLIENTS);
    expect(rotations()).toBeGreaterThanOrEqual(CLIENTS);
    expect(inflightRefreshes + pendingCodes.length).toBeGreaterThan(0);

    // The file as the dead process left it (WAL included).
    expect(integrity(dbPath)).toEqual({ integrity: 'ok', foreignKeys: [] });
    const expectConfirmedWorks = new Map<Chain, boolean>();
    const expectCodeWorks = new Map<PendingCode, boolean>();
    {
      const db = new Database(dbPath, { readonly: true });
      try {
        const tokensOf = db.prepare('SELECT token_hash, used_at FROM refresh_tokens WHERE session_id = ?');
        const sessionOf = db.prepare('SELECT status FROM sessions WHERE id = ?');
        for (const chain of chains) {
          expect(sessionOf.get(chain.sid), chain.sid).toEqual({ status: 'active' });
          const rows = tokensOf.all(chain.sid) as Array<{ token_hash: string; used_at: number | null }>;
          const byHash = new Map(rows.map((row) => [row.token_hash, row]));
          const live = rows.filter((row) => row.used_at === null);
          // Never two live tokens (a forked chain), never none (a lost rotation).
          expect(live.length, `live refresh tokens of ${chain.sid}`).toBe(1);
          for (const token of chain.rotated) expect(byHash.get(secretKeys(token).key)?.used_at, 'a rotated token').not.toBeNull();
          const confirmedLive = live[0].token_hash === secretKeys(chain.confirmed).key;
          if (!chain.inflight) expect(confirmedLive, `the confirmed token of ${chain.sid} is the live one`).toBe(true);
          else expect(byHash.has(secretKeys(chain.confirmed).key), 'the in-flight token was stored').toBe(true);
          expectConfirmedWorks.set(chain, confirmedLive);
        }
        const codeOf = db.prepare('SELECT used_at FROM authorization_codes WHERE code_hash = ?');
        for (const pending of pendingCodes) {
          const row = codeOf.get(secretKeys(pending.code).key) as { used_at: number | null } | undefined;
          expect(row, 'an issued code was stored').toBeDefined();
          expectCodeWorks.set(pending, row!.used_at === null);
        }
      } finally {
        db.close();
      }
    }

    // A new process on the same file.
    server = await startCli(['--db', dbPath, '--login', 'headless']);
    const again = new Http(CLIENTS);
    try {
      const base = server.ready.url;
      const checks: Array<() => Promise<void>> = [];
      for (const chain of chains) {
        checks.push(async () => {
          const res = await workosRefresh(again, base, workos, chain.confirmed);
          if (expectConfirmedWorks.get(chain)) {
            expect(res.status, `confirmed token of ${chain.sid}: ${res.text}`).toBe(200);
            expect(sessionIdOf(res.json().access_token)).toBe(chain.sid);
          } else {
            // The in-flight refresh committed: its token is spent (its unseen successor is the live one).
            expect(res.status, res.text).toBe(400);
            expect(res.json()).toMatchObject({ error: 'invalid_grant', error_description: 'Refresh token already exchanged.' });
          }
        });
        for (const token of chain.rotated) {
          checks.push(async () => {
            const res = await workosRefresh(again, base, workos, token);
            expect(res.status, `rotated token of ${chain.sid}: ${res.text}`).toBe(400);
            expect(res.json().error).toBe('invalid_grant');
          });
        }
      }
      for (const pending of pendingCodes) {
        checks.push(async () => {
          const res = await workosAuthenticate(again, base, { grant_type: 'authorization_code', client_id: workos.client_id, client_secret: workos.api_key, code: pending.code, code_verifier: pending.verifier });
          expect(res.status, `in-flight code: ${res.text}`).toBe(expectCodeWorks.get(pending) ? 200 : 400);
        });
      }
      // 16 at a time.
      let next = 0;
      await Promise.all(Array.from({ length: CLIENTS }, async () => {
        while (next < checks.length) await checks[next++]();
      }));
    } finally {
      again.close();
      expect(await server.stop()).toBe(0);
    }
    expect(integrity(dbPath)).toEqual({ integrity: 'ok', foreignKeys: [] });
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
