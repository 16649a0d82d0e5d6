/**
 * Isolated environments on one server (issue 4): two environments driven by the official
 * `@workos-inc/node` and `stytch` SDKs at the same time, codes / refresh tokens / sessions / OAuth tokens
 * of one refused with the other's credentials, queued logins, faults, journal and users kept apart,
 * deleting one (with every row it owns) leaving the other working, reset of one leaving the other
 * intact, and the HTTP API's answers (`POST/GET/DELETE /_mock/environments`, `?environment=`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundException, OauthException } from '@workos-inc/node';
import { StytchError } from 'stytch';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startMockAuthKit, type MockAuthKit } from '../../src/server.js';
import { REDIRECT_URI, USERS } from '../helpers/app.js';
import { controlApi, rejection, startTestMock, stopTestMock, stytchClient, stytchStart, workosAuthorize, type Env, type Json } from '../helpers/control.js';
import { workosClient } from '../helpers/workos.js';
import { REDIRECT as STYTCH_REDIRECT } from '../stytch/helpers.js';

const ALICE = USERS.alice;

let mock: MockAuthKit;

beforeAll(async () => {
  mock = await startTestMock();
});
afterAll(() => stopTestMock(mock));

const control = controlApi(() => mock.url);

async function createViaHttp(fixture?: unknown): Promise<Env> {
  const { status, body } = await control('POST', '/_mock/environments', fixture);
  expect(status, JSON.stringify(body)).toBe(201);
  return body as Env;
}

/** Authorize through the SDK's PKCE URL (headless) and return the unused code. */
async function workosCode(env: Env, loginHint?: string): Promise<{ code: string; codeVerifier: string }> {
  const { query, codeVerifier, state } = await workosAuthorize(env, loginHint);
  expect(query.get('state')).toBe(state);
  expect(query.get('code')).toBeTruthy();
  return { code: query.get('code')!, codeVerifier };
}

/** Code flow + one refresh with the official SDK. */
async function workosRound(env: Env, loginHint?: string) {
  const client = workosClient(env);
  const { code, codeVerifier } = await workosCode(env, loginHint);
  const auth = await client.userManagement.authenticateWithCode({ clientId: env.workos.client_id, code, codeVerifier });
  const refreshed = await client.userManagement.authenticateWithRefreshToken({ clientId: env.workos.client_id, refreshToken: auth.refreshToken });
  return { auth, refreshed };
}

/** A browser navigation to the Stytch OAuth start URL; the unused token from the redirect. */
async function stytchToken(env: Env, hint?: string): Promise<{ token: string; verifier: string }> {
  const { location, verifier } = await stytchStart(env, hint ? { provider_login_hint: hint } : {});
  expect(location.searchParams.get('stytch_token_type')).toBe('oauth');
  return { token: location.searchParams.get('token')!, verifier };
}

/** Stytch OAuth start → `oauth.authenticate` → `sessions.authenticate` with the official SDK. */
async function stytchRound(env: Env, hint?: string) {
  const client = stytchClient(env);
  const { token, verifier } = await stytchToken(env, hint);
  const auth = await client.oauth.authenticate({ token, code_verifier: verifier, session_duration_minutes: 60 });
  const session = await client.sessions.authenticate({ session_token: auth.session_token });
  return { auth, session };
}

/** Rows that still name `environmentId`, per table (only tables with an `environment_id` column). */
function rowsOf(environmentId: string): Record<string, number> {
  const db = mock.ctx.store.db;
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((row) => row.name);
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((column) => column.name);
    const column = table === 'environments' ? 'id' : columns.includes('environment_id') ? 'environment_id' : undefined;
    if (!column) continue;
    counts[table] = (db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`).get(environmentId) as { n: number }).n;
  }
  return counts;
}

describe('POST /_mock/environments', () => {
  it('returns fresh, distinct credentials for each environment', async () => {
    const a = await createViaHttp();
    const b = await createViaHttp();
    for (const env of [a, b]) {
      expect(env).toEqual({
        id: expect.stringMatching(/^env_[0-9A-Z]{26}$/),
        url: mock.url,
        workos: { client_id: expect.stringMatching(/^client_/), api_key: expect.stringMatching(/^sk_test_/), jwks_url: `${mock.url}/sso/jwks/${env.workos.client_id}` },
        stytch: {
          project_id: expect.stringMatching(/^project-test-[0-9a-f-]{36}$/),
          secret: expect.stringMatching(/^secret-test-/),
          public_token: expect.stringMatching(/^public-token-test-[0-9a-f-]{36}$/),
          jwks_url: `${mock.url}/v1/sessions/jwks/${env.stytch.project_id}`,
        },
      });
    }
    const values = (env: Env) => [env.id, env.workos.client_id, env.workos.api_key, env.stytch.project_id, env.stytch.secret, env.stytch.public_token];
    const defaults = ['default', mock.workos.client_id, mock.workos.api_key, mock.stytch.project_id, mock.stytch.secret, mock.stytch.public_token];
    const all = [...values(a), ...values(b), ...defaults];
    expect(new Set(all).size).toBe(all.length);

    // GET one and GET all agree with what POST answered.
    expect((await control('GET', `/_mock/environments/${a.id}`)).body).toEqual(a);
    const listed = (await control('GET', '/_mock/environments')).body.data as Env[];
    expect(listed.map((env) => env.id)).toEqual(expect.arrayContaining(['default', a.id, b.id]));
    expect(listed.find((env) => env.id === b.id)).toEqual(b);
    expect(listed.find((env) => env.id === 'default')).toMatchObject({ workos: mock.workos, stytch: mock.stytch });

    // The JWKS of each answers under its own credentials.
    for (const url of [a.workos.jwks_url, a.stytch.jwks_url, b.workos.jwks_url, b.stytch.jwks_url]) expect((await fetch(url)).status).toBe(200);

    for (const env of [a, b]) expect(await control('DELETE', `/_mock/environments/${env.id}`)).toEqual({ status: 200, body: { deleted: env.id } });
  });

  it('a fixture body creates an environment with exactly those users', async () => {
    const env = await createViaHttp({ users: [{ email: 'zed@zeta.test', first_name: 'Zed', last_name: 'Zulu' }] });
    const client = workosClient(env);
    const users = await client.userManagement.listUsers();
    expect(users.data.map((user) => user.email)).toEqual(['zed@zeta.test']);
    // Headless login without a hint signs in the environment's first user: Zed, not the default's Alice.
    const { auth } = await workosRound(env);
    expect(auth.user).toMatchObject({ email: 'zed@zeta.test', firstName: 'Zed' });
    const { auth: stytchAuth } = await stytchRound(env);
    expect(stytchAuth.user.emails).toEqual([expect.objectContaining({ email: 'zed@zeta.test' })]);
    // The default environment does not see Zed, and Zed's environment does not see Alice.
    expect((await workosClient(mock).userManagement.listUsers({ email: 'zed@zeta.test' })).data).toEqual([]);
    expect(await rejection(client.userManagement.getUser(ALICE))).toBeInstanceOf(NotFoundException);
    await control('DELETE', `/_mock/environments/${env.id}`);
  });

  it('an invalid fixture body is 400 with path-precise errors and creates nothing', async () => {
    const before = (await control('GET', '/_mock/environments')).body.data.length;
    expect(await control('POST', '/_mock/environments', { users: [{ email: 'not-an-email' }] })).toEqual({
      status: 400,
      body: { code: 'invalid_request', message: 'The fixture document is invalid.', errors: [{ path: '$.users[0].email', message: 'must be an email address' }] },
    });
    expect((await control('POST', '/_mock/environments', '{not json')).status).toBe(400);
    expect((await control('GET', '/_mock/environments')).body.data.length).toBe(before);
  });
});

describe('two environments driven at the same time', () => {
  it('logins, codes, refresh tokens, sessions, queued logins, faults and journals never cross', async () => {
    const [a, b] = await Promise.all([mock.createEnvironment(), mock.createEnvironment()]);
    // A queued login in A decides A's next login only.
    await a.nextLogin({ user: 'carol@globex.test' });
    // A fault in A only fails A's requests.
    await a.faults.add({ path: '/user_management/users/*', status: 503 });

    const [wa, wb, sa, sb, wa2, wb2] = await Promise.all([
      workosRound(a, 'bob@acme.test'),
      workosRound(b),
      stytchRound(a, 'bob@acme.test'),
      stytchRound(b, 'bob@acme.test'),
      workosRound(a, 'bob@acme.test'),
      workosRound(b, 'carol@globex.test'),
    ]);
    // Concurrent rounds all succeeded; B (no queue) signed in its first user without a hint.
    // The one queued login of A went to exactly one of A's three flows (WorkOS authorize or Stytch start, whichever came first).
    expect([wa.auth.user.email, wa2.auth.user.email, sa.auth.user.emails[0].email].sort()).toEqual(['bob@acme.test', 'bob@acme.test', 'carol@globex.test']);
    expect([wb.auth.user.email, wb2.auth.user.email, sb.auth.user.emails[0].email]).toEqual(['alice@acme.test', 'carol@globex.test', 'bob@acme.test']);
    expect((await control('GET', `/_mock/next-login?environment=${a.id}`)).body).toEqual({ data: [] });
    for (const { refreshed } of [wa, wb, wa2, wb2]) expect(refreshed.refreshToken).toEqual(expect.any(String));
    for (const { auth, session } of [sa, sb]) expect(session.session.session_id).toBe(auth.user_session!.session_id);

    // Each environment signs with a key of its own: A's access token verifies with A's JWKS, never with B's.
    const { payload } = await jwtVerify(wa.auth.accessToken, createRemoteJWKSet(new URL(a.workos.jwks_url)));
    expect(payload.sub).toBe(wa.auth.user.id);
    await expect(jwtVerify(wa.auth.accessToken, createRemoteJWKSet(new URL(b.workos.jwks_url)))).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
    const [jwksA, jwksB] = await Promise.all([a, b].map(async (env) => (await (await fetch(env.workos.jwks_url)).json()) as Json));
    expect(jwksA.keys[0].n).not.toBe(jwksB.keys[0].n);

    // Each journal holds only its own environment's requests (checked before the deliberate cross-environment calls below).
    const journalA = JSON.stringify(await a.requests.list({ limit: 500 }));
    const journalB = JSON.stringify(await b.requests.list({ limit: 500 }));
    expect(journalA).toContain(a.workos.client_id);
    expect(journalB).toContain(b.workos.client_id);
    expect(journalA).not.toContain(b.workos.client_id);
    expect(journalB).not.toContain(a.workos.client_id);
    expect(journalA).not.toContain(b.stytch.project_id);
    expect(journalB).not.toContain(a.stytch.project_id);
    for (const env of [a, b]) {
      expect(await env.requests.list({ path: '/user_management/authenticate' })).toHaveLength(4);
      expect(await env.requests.list({ path: '/v1/oauth/authenticate' })).toHaveLength(1);
      expect(await env.requests.list({ path: '/v1/sessions/authenticate' })).toHaveLength(1);
    }
    // …and the default environment's journal saw none of it.
    expect(JSON.stringify(await mock.requests.list({ limit: 500 }))).not.toContain(a.workos.client_id);

    // Deterministically too: a login queued in A is neither listed in B nor taken by B's logins, and A's next login takes it.
    await a.nextLogin({ user: 'carol@globex.test' });
    expect((await control('GET', `/_mock/next-login?environment=${b.id}`)).body).toEqual({ data: [] });
    expect((await workosRound(b)).auth.user.email).toBe('alice@acme.test');
    expect((await stytchRound(b)).auth.user.emails[0].email).toBe('alice@acme.test');
    expect((await control('GET', `/_mock/next-login?environment=${a.id}`)).body.data).toHaveLength(1);
    expect((await workosRound(a)).auth.user.email).toBe('carol@globex.test');

    // B's REST calls never meet A's fault; A's do.
    expect((await workosClient(b).userManagement.getUser(ALICE)).email).toBe('alice@acme.test');
    expect(await rejection(workosClient(a).userManagement.getUser(ALICE))).toMatchObject({ status: 503 });
    expect(await b.faults.list()).toEqual([]);

    // An unused code of A is refused with B's client (exact vendor error) and still works in A.
    const codeA = await workosCode(a, 'alice@acme.test');
    const crossCode = await rejection(workosClient(b).userManagement.authenticateWithCode({ clientId: b.workos.client_id, ...codeA }));
    expect(crossCode).toBeInstanceOf(OauthException);
    expect(crossCode).toMatchObject({ status: 400, error: 'invalid_grant', errorDescription: `The code '${codeA.code}' has expired or is invalid.` });
    expect((await workosClient(a).userManagement.authenticateWithCode({ clientId: a.workos.client_id, ...codeA })).user.email).toBe('alice@acme.test');

    // A live refresh token of A is refused with B's client, and still works in A afterwards.
    const crossRefresh = await rejection(workosClient(b).userManagement.authenticateWithRefreshToken({ clientId: b.workos.client_id, refreshToken: wa.refreshed.refreshToken }));
    expect(crossRefresh).toBeInstanceOf(OauthException);
    expect(crossRefresh).toMatchObject({ status: 400, error: 'invalid_grant', errorDescription: 'Invalid refresh token.' });
    // Nor does the same token pass with A's client id but B's API key as the secret.
    const mixed = await rejection(workosClient(b).userManagement.authenticateWithRefreshToken({ clientId: a.workos.client_id, refreshToken: wa.refreshed.refreshToken }));
    expect(mixed).toMatchObject({ status: 400, error: 'invalid_client', errorDescription: 'Invalid client secret.' });
    const stillA = await workosClient(a).userManagement.authenticateWithRefreshToken({ clientId: a.workos.client_id, refreshToken: wa.refreshed.refreshToken });
    expect(stillA.user.id).toBe(wa.auth.user.id);

    // A's WorkOS sessions are invisible to B's API key (Alice has the same id in both).
    const sidB = (await workosClient(b).userManagement.listSessions(ALICE)).data.map((session) => session.id);
    const sidA = (await workosClient(a).userManagement.listSessions(ALICE)).data.map((session) => session.id);
    expect(sidA.length).toBeGreaterThan(0);
    expect(sidB.length).toBeGreaterThan(0);
    expect(sidA.filter((id) => sidB.includes(id))).toEqual([]);
    expect(await rejection(workosClient(b).userManagement.revokeSession({ sessionId: sidA[0] }))).toBeInstanceOf(NotFoundException);

    // A's Stytch session token and session JWT are refused by B's project, and still work in A.
    // The token is unknown to B; the JWT is signed with A's key, which B does not publish.
    for (const [args, expected] of [
      [{ session_token: sa.auth.session_token }, { status_code: 404, error_type: 'session_not_found' }],
      [{ session_jwt: sa.session.session_jwt }, { status_code: 401, error_type: 'unable_to_parse_session_jwt' }],
    ] as const) {
      const cross = await rejection(stytchClient(b).sessions.authenticate(args));
      expect(cross).toBeInstanceOf(StytchError);
      expect(cross).toMatchObject(expected);
    }
    await expect(stytchClient(b).sessions.authenticateJwtLocal({ session_jwt: sa.session.session_jwt })).rejects.toMatchObject({ code: 'jwt_invalid' });
    expect((await stytchClient(a).sessions.authenticate({ session_token: sa.auth.session_token })).session.session_id).toBe(sa.auth.user_session!.session_id);

    // An unused Stytch OAuth token of A is refused by B's project and still redeemable in A.
    const tokenA = await stytchToken(a);
    const crossToken = await rejection(stytchClient(b).oauth.authenticate({ token: tokenA.token, code_verifier: tokenA.verifier }));
    expect(crossToken).toMatchObject({ status_code: 404, error_type: 'oauth_token_not_found' });
    expect((await stytchClient(a).oauth.authenticate({ token: tokenA.token, code_verifier: tokenA.verifier })).status_code).toBe(200);

    await Promise.all([a.delete(), b.delete()]);
  });

  it('many concurrent logins in both environments all land in their own environment', async () => {
    const [a, b] = await Promise.all([createViaHttp(), createViaHttp()]);
    const rounds = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? [workosRound(a, 'bob@acme.test'), stytchRound(a)] : [workosRound(b, 'carol@globex.test'), stytchRound(b)])).flat(),
    );
    expect(rounds).toHaveLength(12);
    const sessionsA = (await workosClient(a).userManagement.listSessions('user_01MOCKBOB00000000000000000')).data;
    const sessionsB = (await workosClient(b).userManagement.listSessions('user_01MOCKCAROL000000000000000')).data;
    expect(sessionsA).toHaveLength(3);
    expect(sessionsB).toHaveLength(3);
    expect((await workosClient(a).userManagement.listSessions('user_01MOCKCAROL000000000000000')).data).toEqual([]);
    expect((await workosClient(b).userManagement.listSessions('user_01MOCKBOB00000000000000000')).data).toEqual([]);
    for (const env of [a, b]) await control('DELETE', `/_mock/environments/${env.id}`);
  });
});

describe('DELETE /_mock/environments/:id', () => {
  it('removes the environment with all its rows; its credentials fail; the other is untouched', async () => {
    const a = await createViaHttp();
    const b = await createViaHttp();
    const [wa, wb, sa, sb] = await Promise.all([workosRound(a), workosRound(b), stytchRound(a), stytchRound(b)]);
    await control('POST', `/_mock/next-login?environment=${a.id}`, { user: 'bob@acme.test' });
    await control('POST', `/_mock/faults?environment=${a.id}`, { path: '/nothing', status: 500 });
    const before = rowsOf(a.id);
    expect(before).toMatchObject({ environments: 1, workos_clients: 1, stytch_projects: 1, users: 4, sessions: 2, next_logins: 1 });

    expect(await control('DELETE', `/_mock/environments/${a.id}`)).toEqual({ status: 200, body: { deleted: a.id } });
    expect(Object.values(rowsOf(a.id)).every((n) => n === 0), JSON.stringify(rowsOf(a.id))).toBe(true);
    expect(mock.ctx.faults.list(a.id)).toEqual([]);
    expect(mock.ctx.journal.list(a.id)).toEqual([]);

    // A's credentials now fail as unknown credentials do.
    const refresh = await rejection(workosClient(a).userManagement.authenticateWithRefreshToken({ clientId: a.workos.client_id, refreshToken: wa.refreshed.refreshToken }));
    expect(refresh).toBeInstanceOf(OauthException);
    expect(refresh).toMatchObject({ status: 400, error: 'invalid_client', errorDescription: `Invalid client ID '${a.workos.client_id}'.` });
    const stytchDead = await rejection(stytchClient(a).sessions.authenticate({ session_token: sa.auth.session_token }));
    expect(stytchDead).toBeInstanceOf(StytchError);
    expect(stytchDead).toMatchObject({ status_code: 401, error_type: 'unauthorized_credentials' });
    expect((await fetch(a.workos.jwks_url)).status).toBe(404);
    expect((await fetch(a.stytch.jwks_url)).status).toBe(404);
    expect(await control('GET', `/_mock/environments/${a.id}`)).toEqual({ status: 404, body: { code: 'environment_not_found', message: `No environment '${a.id}'.` } });
    expect((await control('GET', `/_mock/faults?environment=${a.id}`)).status).toBe(404);
    expect((await control('DELETE', `/_mock/environments/${a.id}`)).status).toBe(404);
    expect((await control('GET', '/_mock/environments')).body.data.map((env: Env) => env.id)).not.toContain(a.id);

    // B is untouched: its refresh token and its Stytch session still work.
    const refreshedB = await workosClient(b).userManagement.authenticateWithRefreshToken({ clientId: b.workos.client_id, refreshToken: wb.refreshed.refreshToken });
    expect(refreshedB.user.id).toBe(wb.auth.user.id);
    expect((await stytchClient(b).sessions.authenticate({ session_token: sb.auth.session_token })).session.session_id).toBe(sb.auth.user_session!.session_id);
    expect(rowsOf(b.id)).toMatchObject({ environments: 1, workos_clients: 1, stytch_projects: 1, users: 4, sessions: 2 });
    await control('DELETE', `/_mock/environments/${b.id}`);
  });

  it('the programmatic handle deletes too', async () => {
    const env = await mock.createEnvironment();
    const { refreshed } = await workosRound(env);
    await env.delete();
    expect(mock.ctx.store.environmentExists(env.id)).toBe(false);
    expect(await rejection(workosClient(env).userManagement.authenticateWithRefreshToken({ clientId: env.workos.client_id, refreshToken: refreshed.refreshToken }))).toMatchObject({
      error: 'invalid_client',
    });
    // The stale handle refuses to act instead of bringing the environment back (without credentials) on reset.
    const gone = `The environment '${env.id}' no longer exists (it was deleted).`;
    await expect(env.reset()).rejects.toThrow(gone);
    await expect(env.nextLogin({ user: 'alice@acme.test' })).rejects.toThrow(gone);
    await expect(env.seed({ users: [{ email: 'late@acme.test' }] })).rejects.toThrow(gone);
    await expect(env.faults.add({ token: 'expired' })).rejects.toThrow(gone);
    await expect(env.clock.advance(60)).rejects.toThrow(gone);
    expect(mock.ctx.store.environmentExists(env.id)).toBe(false);
    expect((await control('GET', '/_mock/environments')).body.data.map((e: Env) => e.id)).not.toContain(env.id);
  });

  it('refuses to delete the default environment (400) and unknown ones (404)', async () => {
    expect(await control('DELETE', '/_mock/environments/default')).toEqual({
      status: 400,
      body: { code: 'invalid_request', message: 'The default environment cannot be deleted; reset it with POST /_mock/reset.' },
    });
    expect(await control('DELETE', '/_mock/environments/env_nope')).toEqual({ status: 404, body: { code: 'environment_not_found', message: "No environment 'env_nope'." } });
    // The default environment still works.
    expect((await workosRound(mock)).auth.user.email).toBe('alice@acme.test');
  });
});

describe('?environment=', () => {
  it('an unknown environment is 404 on every control call', async () => {
    const calls: Array<[string, string, unknown?]> = [
      ['GET', '/_mock/faults'],
      ['POST', '/_mock/faults', { path: '/x' }],
      ['DELETE', '/_mock/faults'],
      ['GET', '/_mock/clock'],
      ['POST', '/_mock/clock', { advance_seconds: 1 }],
      ['DELETE', '/_mock/clock'],
      ['GET', '/_mock/requests'],
      ['DELETE', '/_mock/requests'],
      ['GET', '/_mock/export'],
      ['POST', '/_mock/reset'],
      ['POST', '/_mock/fixtures', { users: [] }],
      ['POST', '/_mock/next-login', { user: 'alice@acme.test' }],
      ['DELETE', '/_mock/next-login'],
      ['GET', '/_mock/environments/unknown'],
    ];
    for (const [method, path, body] of calls) {
      const url = path.endsWith('/unknown') ? path : `${path}?environment=unknown`;
      expect(await control(method, url, body), `${method} ${path}`).toEqual({ status: 404, body: { code: 'environment_not_found', message: "No environment 'unknown'." } });
    }
  });

  it('control calls act on the named environment only', async () => {
    const env = await createViaHttp();
    expect((await control('POST', `/_mock/fixtures?environment=${env.id}`, { users: [{ email: 'only-here@acme.test' }] })).status).toBe(200);
    const exported = (await control('GET', `/_mock/export?environment=${env.id}`)).body;
    expect(exported.users.map((user: Json) => user.email)).toContain('only-here@acme.test');
    expect(exported.workos.clients.map((client: Json) => client.client_id)).toEqual([env.workos.client_id]);
    expect((await control('GET', '/_mock/export')).body.users.map((user: Json) => user.email)).not.toContain('only-here@acme.test');
    await control('DELETE', `/_mock/environments/${env.id}`);
  });
});

describe('POST /_mock/reset?environment=', () => {
  it('resets one environment and leaves the other intact', async () => {
    const a = await createViaHttp();
    const b = await createViaHttp();
    for (const env of [a, b]) await control('POST', `/_mock/fixtures?environment=${env.id}`, { users: [{ email: 'extra@acme.test' }] });
    const [wa, wb, sa, sb] = await Promise.all([workosRound(a), workosRound(b), stytchRound(a), stytchRound(b)]);
    await control('POST', `/_mock/next-login?environment=${a.id}`, { user: 'bob@acme.test' });
    await control('POST', `/_mock/next-login?environment=${b.id}`, { user: 'bob@acme.test' });

    expect(await control('POST', `/_mock/reset?environment=${b.id}`)).toEqual({ status: 200, body: { ok: true, environment: b.id } });

    // B: back to its fixture (same credentials), sessions and queue gone.
    expect((await control('GET', `/_mock/environments/${b.id}`)).body).toEqual(b);
    expect((await workosClient(b).userManagement.listUsers({ email: 'extra@acme.test' })).data).toEqual([]);
    expect(await rejection(workosClient(b).userManagement.authenticateWithRefreshToken({ clientId: b.workos.client_id, refreshToken: wb.refreshed.refreshToken }))).toMatchObject({
      error: 'invalid_grant',
    });
    expect(await rejection(stytchClient(b).sessions.authenticate({ session_token: sb.auth.session_token }))).toMatchObject({ status_code: 404, error_type: 'session_not_found' });
    expect((await workosRound(b)).auth.user.email).toBe('alice@acme.test');

    // A: untouched.
    expect((await workosClient(a).userManagement.listUsers({ email: 'extra@acme.test' })).data).toHaveLength(1);
    expect((await workosClient(a).userManagement.authenticateWithRefreshToken({ clientId: a.workos.client_id, refreshToken: wa.refreshed.refreshToken })).user.id).toBe(wa.auth.user.id);
    expect((await stytchClient(a).sessions.authenticate({ session_token: sa.auth.session_token })).session.session_id).toBe(sa.auth.user_session!.session_id);
    expect((await workosRound(a)).auth.user.email).toBe('bob@acme.test');

    for (const env of [a, b]) await control('DELETE', `/_mock/environments/${env.id}`);
  });
});

describe('the login page', () => {
  it('shows which environment it serves', async () => {
    const paged = await startMockAuthKit({ port: 0, db: ':memory:', login: 'page', log: () => {} });
    try {
      const env = await paged.createEnvironment();
      const page = async (url: string) => {
        const res = await fetch(url, { redirect: 'manual', headers: { accept: 'text/html' } });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
        return res.text();
      };
      const authorize = (clientId: string) =>
        `${paged.url}/user_management/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: REDIRECT_URI, response_type: 'code', provider: 'authkit' })}`;
      const envPage = await page(authorize(env.workos.client_id));
      expect(envPage).toContain(`Environment <code>${env.id}</code>`);
      expect(envPage).not.toContain('Environment <code>default</code>');
      expect(await page(authorize(paged.workos.client_id))).toContain('Environment <code>default</code>');
      const start = `${paged.url}/v1/public/oauth/google/start?${new URLSearchParams({ public_token: env.stytch.public_token, login_redirect_url: STYTCH_REDIRECT })}`;
      expect(await page(start)).toContain(`Environment <code>${env.id}</code>`);
    } finally {
      await paged.close();
    }
  });
});
