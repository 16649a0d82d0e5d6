/**
 * Single-use under load, over real loopback HTTP with 100 sockets: 100 concurrent redemptions of one
 * WorkOS authorization code, of one WorkOS refresh token and of one Stytch OAuth token each succeed
 * exactly once, every other answer being the vendor's own error. Then two CLI servers on ONE database
 * file (started at the same moment on a new file): they share it safely — a login through one refreshes
 * through the other, a code raced through both is redeemed once, a refresh token rotated on one is dead
 * on the other, credentials changed or deleted through one are not served stale by the other. And
 * connections opening a new file at the same instant all migrate it.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { MIGRATIONS } from '../../src/core/migrations.js';
import { startMockAuthKit, type MockAuthKit } from '../../src/server.js';
import { startCli, tempDb, type CliServer } from '../helpers/cli.js';
import {
  Http,
  sessionIdOf,
  stytchAuthenticate,
  stytchToken,
  tally,
  workosAuthenticate,
  workosCode,
  workosLogin,
  workosRefresh,
  type HttpResponse,
} from './helpers.js';

const N = 100;

function expectWorkOSInvalidGrant(res: HttpResponse) {
  expect(res.status, res.text).toBe(400);
  expect(res.headers['content-type']).toBe('application/json');
  const body = res.json();
  expect(body).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
  expect(body.error_description.length).toBeGreaterThan(0);
}

function expectStytchTokenNotFound(res: HttpResponse) {
  expect(res.status, res.text).toBe(404);
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.json()).toEqual({
    status_code: 404,
    request_id: expect.stringMatching(/^request-id-test-/),
    error_type: 'oauth_token_not_found',
    error_message: expect.any(String),
    error_url: expect.any(String),
  });
}

/** Exactly one 200; every other response checked by `expectError`. Returns the winner. */
function exactlyOneWinner(responses: HttpResponse[], expectError: (res: HttpResponse) => void): HttpResponse {
  const winners = responses.filter((res) => res.status === 200);
  expect(winners.length, JSON.stringify(tally(responses))).toBe(1);
  for (const res of responses) if (res.status !== 200) expectError(res);
  return winners[0];
}

describe('100 concurrent redemptions on one server', () => {
  let mock: MockAuthKit;
  let http: Http;

  beforeAll(async () => {
    mock = await startMockAuthKit({ port: 0, db: tempDb(), login: 'headless', log: () => {} });
    http = new Http(N);
    // Open the 100 sockets first, so the 100 redemptions arrive together instead of one per handshake.
    await Promise.all(Array.from({ length: N }, () => http.request(`${mock.url}/health`)));
  });
  afterAll(async () => {
    http?.close();
    await mock?.close();
  });

  it('one WorkOS authorization code: exactly one 200, 99 × 400 invalid_grant', async () => {
    const { code, verifier } = await workosCode(http, mock.url, mock.workos);
    const body = { grant_type: 'authorization_code', client_id: mock.workos.client_id, client_secret: mock.workos.api_key, code, code_verifier: verifier };
    const responses = await Promise.all(Array.from({ length: N }, () => workosAuthenticate(http, mock.url, body)));
    const winner = exactlyOneWinner(responses, expectWorkOSInvalidGrant).json();
    expect(winner.user.email).toBe('alice@acme.test');
    // One session was opened, with one refresh token, and it works.
    const sessions = mock.ctx.store.db.prepare("SELECT count(*) AS n FROM sessions WHERE vendor = 'workos'").get() as { n: number };
    expect(sessions.n).toBe(1);
    expect((await workosRefresh(http, mock.url, mock.workos, winner.refresh_token)).status).toBe(200);
  });

  it('one WorkOS refresh token: exactly one 200, 99 × 400 invalid_grant, and the chain does not fork', async () => {
    const login = await workosLogin(http, mock.url, mock.workos, 'bob@acme.test');
    const responses = await Promise.all(Array.from({ length: N }, () => workosRefresh(http, mock.url, mock.workos, login.refresh_token)));
    const winner = exactlyOneWinner(responses, expectWorkOSInvalidGrant).json();
    for (const res of responses) if (res.status !== 200) expect(res.json().error_description).toBe('Refresh token already exchanged.');
    const live = mock.ctx.store.db
      .prepare('SELECT count(*) AS n FROM refresh_tokens WHERE session_id = ? AND used_at IS NULL')
      .get(sessionIdOf(login.access_token)) as { n: number };
    expect(live.n).toBe(1);
    expect((await workosRefresh(http, mock.url, mock.workos, winner.refresh_token)).status).toBe(200);
  });

  it('one Stytch OAuth token: exactly one 200, 99 × 404 oauth_token_not_found', async () => {
    const { token, verifier } = await stytchToken(http, mock.url, mock.stytch);
    const responses = await Promise.all(
      Array.from({ length: N }, () => stytchAuthenticate(http, mock.url, mock.stytch, { token, code_verifier: verifier, session_duration_minutes: 60 })),
    );
    const winner = exactlyOneWinner(responses, expectStytchTokenNotFound).json();
    expect(winner).toMatchObject({ status_code: 200, session_token: expect.any(String), user: { emails: [{ email: 'alice@acme.test' }] } });
    const sessions = mock.ctx.store.db.prepare("SELECT count(*) AS n FROM sessions WHERE vendor = 'stytch'").get() as { n: number };
    expect(sessions.n).toBe(1);
  });
});

/** Starts `count` CLI servers at the same moment on `db`; if any fails, stops the others and throws its error. */
async function startTogether(count: number, db: string): Promise<CliServer[]> {
  const settled = await Promise.allSettled(Array.from({ length: count }, () => startCli(['--db', db, '--login', 'headless'])));
  const failed = settled.find((result) => result.status === 'rejected');
  const servers = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  if (failed) {
    await Promise.all(servers.map((server) => server.stop()));
    throw failed.reason;
  }
  return servers;
}

/**
 * What a worker does: load the built `openDatabase`, wait at the gate until every worker is loaded, then
 * open (create and migrate) the file at the same instant as the others.
 */
const OPEN_AT_ONCE = `
const { workerData, parentPort } = require('node:worker_threads');
(async () => {
  const { openDatabase } = await import(workerData.module);
  const gate = new Int32Array(workerData.gate);
  Atomics.add(gate, 1, 1);
  Atomics.wait(gate, 0, 0);
  try {
    openDatabase(workerData.path).close();
    parentPort.postMessage('ok');
  } catch (error) {
    parentPort.postMessage(String(error && error.message));
  }
})();`;

describe('several connections (worker threads, each its own SQLite connection) opening one new file at the same instant', () => {
  it('all of them migrate it (the schema version is re-read under the write lock)', async () => {
    const module = pathToFileURL(resolve(import.meta.dirname, '../../dist/core/db.js')).href;
    const THREADS = 4;
    for (let round = 0; round < 5; round++) {
      const path = tempDb();
      const gate = new SharedArrayBuffer(8);
      const flags = new Int32Array(gate);
      const results = Array.from(
        { length: THREADS },
        () =>
          new Promise<string>((done, fail) => {
            const worker = new Worker(OPEN_AT_ONCE, { eval: true, workerData: { module, path, gate } });
            worker.once('error', fail);
            worker.once('message', (message: string) => void worker.terminate().then(() => done(message)));
          }),
      );
      while (Atomics.load(flags, 1) < THREADS) await new Promise((tick) => setTimeout(tick, 1));
      Atomics.store(flags, 0, 1);
      Atomics.notify(flags, 0);
      expect(await Promise.all(results)).toEqual(Array(THREADS).fill('ok'));
      const db = new Database(path, { readonly: true });
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      db.close();
    }
  });
});

describe('two CLI servers on one database file', () => {
  let a: CliServer;
  let b: CliServer;
  let http: Http;

  beforeAll(async () => {
    // Started at the same moment on a file that does not exist yet: both migrate, seed and load the key.
    const db = tempDb();
    [a, b] = await startTogether(2, db);
    http = new Http(N);
    await Promise.all(Array.from({ length: N }, (_, i) => http.request(`${(i % 2 ? b : a).ready.url}/health`)));
  });
  afterAll(async () => {
    http?.close();
    const codes = await Promise.all([a?.stop(), b?.stop()]);
    expect(codes).toEqual([0, 0]);
  });

  it('serve the same credentials and signing key', async () => {
    expect(b.ready.workos).toEqual({ ...a.ready.workos, jwks_url: a.ready.workos.jwks_url.replace(a.ready.url, b.ready.url) });
    expect(b.ready.stytch.secret).toBe(a.ready.stytch.secret);
    const [jwksA, jwksB] = await Promise.all([http.request(a.ready.workos.jwks_url), http.request(b.ready.workos.jwks_url)]);
    expect(jwksB.text).toBe(jwksA.text);
  });

  it('a login made through A refreshes through B (and its access token verifies with B’s JWKS)', async () => {
    const login = await workosLogin(http, a.ready.url, a.ready.workos, 'carol@globex.test');
    const { payload } = await jwtVerify(login.access_token, createRemoteJWKSet(new URL(b.ready.workos.jwks_url)));
    expect(payload.sub).toBe(login.user.id);
    const refreshed = await workosRefresh(http, b.ready.url, b.ready.workos, login.refresh_token);
    expect(refreshed.status, refreshed.text).toBe(200);
    expect(refreshed.json().user.email).toBe('carol@globex.test');
    expect(sessionIdOf(refreshed.json().access_token)).toBe(sessionIdOf(login.access_token));
  });

  // Each race is run a few times: across two processes the window between check and commit is real.
  const ROUNDS = 5;

  it('a code redeemed concurrently through A and B (50 each) succeeds exactly once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { code, verifier } = await workosCode(http, a.ready.url, a.ready.workos);
      const body = { grant_type: 'authorization_code', client_id: a.ready.workos.client_id, client_secret: a.ready.workos.api_key, code, code_verifier: verifier };
      const responses = await Promise.all(Array.from({ length: N }, (_, i) => workosAuthenticate(http, (i % 2 ? b : a).ready.url, body)));
      exactlyOneWinner(responses, expectWorkOSInvalidGrant);
    }
  });

  it('a refresh token raced through A and B (50 each) rotates exactly once', async () => {
    let token = (await workosLogin(http, b.ready.url, b.ready.workos)).refresh_token;
    for (let round = 0; round < ROUNDS; round++) {
      const responses = await Promise.all(Array.from({ length: N }, (_, i) => workosRefresh(http, (i % 2 ? b : a).ready.url, a.ready.workos, token)));
      token = exactlyOneWinner(responses, expectWorkOSInvalidGrant).json().refresh_token;
    }
    expect((await workosRefresh(http, a.ready.url, a.ready.workos, token)).status).toBe(200);
  });

  it('a Stytch OAuth token started on A and raced through A and B is redeemed once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { token, verifier } = await stytchToken(http, a.ready.url, a.ready.stytch);
      const body = { token, code_verifier: verifier, session_duration_minutes: 60 };
      const responses = await Promise.all(Array.from({ length: N }, (_, i) => stytchAuthenticate(http, (i % 2 ? b : a).ready.url, a.ready.stytch, body)));
      exactlyOneWinner(responses, expectStytchTokenNotFound);
    }
  });

  it('a refresh token rotated on A is dead on B; its successor works on B', async () => {
    const login = await workosLogin(http, a.ready.url, a.ready.workos, 'bob@acme.test');
    const rotated = await workosRefresh(http, a.ready.url, a.ready.workos, login.refresh_token);
    expect(rotated.status).toBe(200);
    const stale = await workosRefresh(http, b.ready.url, b.ready.workos, login.refresh_token);
    expectWorkOSInvalidGrant(stale);
    expect(stale.json().error_description).toBe('Refresh token already exchanged.');
    expect((await workosRefresh(http, b.ready.url, b.ready.workos, rotated.json().refresh_token)).status).toBe(200);
  });

  it('credentials changed or deleted through A are seen by B at once', async () => {
    const created = await http.request(`${a.ready.url}/_mock/environments`, { method: 'POST' });
    expect(created.status, created.text).toBe(201);
    const env = created.json();
    const authorize = (server: CliServer, redirectUri: string) =>
      http.request(`${server.ready.url}/user_management/authorize?${new URLSearchParams({ client_id: env.workos.client_id, redirect_uri: redirectUri, response_type: 'code' })}`);
    // B has served this client (and may remember it).
    expect((await authorize(b, 'http://localhost:3000/callback')).status).toBe(302);
    expect((await http.request(`${b.ready.url}/sso/jwks/${env.workos.client_id}`)).status).toBe(200);

    // A narrows its redirect URIs: B must no longer redirect to the old one.
    const narrowed = await http.request(`${a.ready.url}/_mock/fixtures?environment=${env.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workos: { clients: [{ client_id: env.workos.client_id, api_key: env.workos.api_key, redirect_uris: ['http://localhost:9999/only'] }] } }),
    });
    expect(narrowed.status, narrowed.text).toBe(200);
    const refused = await authorize(b, 'http://localhost:3000/callback');
    expect(refused.status, `B redirected to ${refused.headers.location}`).toBe(400);
    expect(refused.json().code).toBe('invalid_redirect_uri');
    expect((await authorize(b, 'http://localhost:9999/only')).status).toBe(302);

    // A deletes the environment: its credentials are unknown on B too.
    expect((await http.request(`${a.ready.url}/_mock/environments/${env.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await http.request(`${b.ready.url}/sso/jwks/${env.workos.client_id}`)).status).toBe(404);
    expect((await authorize(b, 'http://localhost:9999/only')).json().code).toBe('invalid_client');
  });

  it('a session logged out through A is dead on B', async () => {
    const login = await workosLogin(http, a.ready.url, a.ready.workos);
    const logout = await http.request(`${a.ready.url}/user_management/sessions/logout?session_id=${sessionIdOf(login.access_token)}`);
    expect(logout.status).toBe(200);
    const dead = await workosRefresh(http, b.ready.url, b.ready.workos, login.refresh_token);
    expectWorkOSInvalidGrant(dead);
    expect(dead.json().error_description).toBe('Session has already ended.');
  });
});
