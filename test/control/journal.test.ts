/**
 * The request journal (issue 4) over real HTTP with the official SDKs: a full WorkOS login
 * (authorize → authenticate → refresh → logout) and a Stytch login appear in order with method, path,
 * status, duration and vendor, and no secret, code or token appears anywhere in the journal's JSON;
 * filters (`path`, `method`, `since` as id or time, `limit`), `DELETE`, the size bound, per-environment
 * journals, and control calls never journaled.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OauthException } from '@workos-inc/node';
import { JOURNAL_LIMIT } from '../../src/core/journal.js';
import type { EnvironmentHandle } from '../../src/environment-handle.js';
import type { MockAuthKit } from '../../src/server.js';
import { REDIRECT_URI, USERS, jwtPayload } from '../helpers/app.js';
import { controlRequest, rejection, startTestMock, stopTestMock, stytchClient, stytchStart, workosAuthorize, type Json } from '../helpers/control.js';
import { workosClient } from '../helpers/workos.js';
import { REDIRECT as STYTCH_REDIRECT } from '../stytch/helpers.js';

const ALICE: string = USERS.alice;
const REDACTED = '[redacted]';

type Env = EnvironmentHandle & { delete(): Promise<void> };

let mock: MockAuthKit;
let env: Env;

beforeAll(async () => {
  mock = await startTestMock();
});
beforeEach(async () => {
  env = await mock.createEnvironment();
});
afterEach(async () => {
  await env.delete();
});
afterAll(() => stopTestMock(mock));

const control = (method: string, path: string, body?: unknown) => controlRequest(mock.url, method, path, body);

/** `GET /_mock/requests` for `env` (200 asserted); the entries and the raw JSON text. */
async function journal(filter: Record<string, string | number> = {}, environment = env.id): Promise<{ data: Json[]; text: string }> {
  const query = new URLSearchParams({ environment, ...Object.fromEntries(Object.entries(filter).map(([k, v]) => [k, String(v)])) });
  const { status, body, text } = await control('GET', `/_mock/requests?${query}`);
  expect(status, text).toBe(200);
  return { data: body.data as Json[], text };
}

const jwks = () => fetch(env.workos.jwks_url).then((res) => expect(res.status).toBe(200));
const getUser = (id = ALICE) => fetch(`${env.url}/user_management/users/${id}`, { headers: { authorization: `Bearer ${env.workos.api_key}` } });

/** Every entry has the documented shape; ids increase; times never go back. */
function expectWellFormed(entries: Json[]): void {
  for (const entry of entries) {
    expect(Object.keys(entry).sort()).toEqual(['body', 'duration_ms', 'id', 'method', 'path', 'query', 'status', 'time', 'vendor']);
    expect(entry).toMatchObject({ id: expect.any(Number), time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), duration_ms: expect.any(Number) });
    expect(entry.duration_ms).toBeGreaterThanOrEqual(0);
  }
  for (let i = 1; i < entries.length; i++) {
    expect(entries[i].id).toBeGreaterThan(entries[i - 1].id);
    expect(entries[i].time >= entries[i - 1].time).toBe(true);
  }
}

describe('a full login in the journal', () => {
  it('WorkOS: authorize → authenticate → refresh → logout, in order, with no secret in clear', async () => {
    const client = workosClient(env);
    const { query, codeVerifier, state } = await workosAuthorize(env);
    const code = query.get('code')!;
    const auth = await client.userManagement.authenticateWithCode({ clientId: env.workos.client_id, code, codeVerifier });
    const refreshed = await client.userManagement.authenticateWithRefreshToken({ clientId: env.workos.client_id, refreshToken: auth.refreshToken });
    const sessionId = jwtPayload(auth.accessToken).sid as string;
    const logout = await fetch(client.userManagement.getLogoutUrl({ sessionId, returnTo: 'http://localhost:3000/' }), { redirect: 'manual' });
    expect(logout.status).toBe(302);
    // A replay is refused, and the journal records the refusal's status too.
    expect(await rejection(client.userManagement.authenticateWithCode({ clientId: env.workos.client_id, code, codeVerifier }))).toBeInstanceOf(OauthException);

    const { data, text } = await journal();
    expectWellFormed(data);
    expect(data.map((e) => [e.vendor, e.method, e.path, e.status])).toEqual([
      ['workos', 'GET', '/user_management/authorize', 302],
      ['workos', 'POST', '/user_management/authenticate', 200],
      ['workos', 'POST', '/user_management/authenticate', 200],
      ['workos', 'GET', '/user_management/sessions/logout', 302],
      ['workos', 'POST', '/user_management/authenticate', 400],
    ]);
    expect(data[0].query).toMatchObject({ client_id: env.workos.client_id, redirect_uri: REDIRECT_URI, response_type: 'code', code_challenge_method: 'S256', state });
    expect(data[0].body).toEqual({});
    expect(data[1].body).toEqual({ grant_type: 'authorization_code', client_id: env.workos.client_id, client_secret: REDACTED, code: REDACTED, code_verifier: REDACTED });
    expect(data[2].body).toEqual({ grant_type: 'refresh_token', client_id: env.workos.client_id, client_secret: REDACTED, refresh_token: REDACTED });
    expect(data[3].query).toEqual({ session_id: sessionId, return_to: 'http://localhost:3000/' });

    for (const secret of [env.workos.api_key, code, codeVerifier, auth.refreshToken, refreshed.refreshToken, auth.accessToken, refreshed.accessToken])
      expect(text.includes(secret), `a secret in clear: ${secret.slice(0, 12)}…`).toBe(false);
    // The programmatic handle lists the same entries.
    expect(await env.requests.list()).toEqual(data);
  });

  it('Stytch: start → oauth.authenticate → sessions.authenticate, with no token in clear', async () => {
    const { location, verifier, challenge } = await stytchStart(env);
    const token = location.searchParams.get('token')!;
    const auth = await stytchClient(env).oauth.authenticate({ token, code_verifier: verifier, session_duration_minutes: 60 });
    const session = await stytchClient(env).sessions.authenticate({ session_token: auth.session_token });
    const viaJwt = await stytchClient(env).sessions.authenticateJwt({ session_jwt: auth.session_jwt, max_token_age_seconds: 0 });

    const { data, text } = await journal();
    expectWellFormed(data);
    expect(data.map((e) => [e.vendor, e.method, e.path, e.status])).toEqual([
      ['stytch', 'GET', '/v1/public/oauth/google/start', 302],
      ['stytch', 'POST', '/v1/oauth/authenticate', 200],
      ['stytch', 'POST', '/v1/sessions/authenticate', 200],
      ['stytch', 'POST', '/v1/sessions/authenticate', 200],
    ]);
    expect(data[0].query).toMatchObject({ login_redirect_url: STYTCH_REDIRECT, code_challenge: challenge });
    expect(data[1].body).toEqual({ token: REDACTED, code_verifier: REDACTED, session_duration_minutes: 60 });
    expect(data[2].body).toEqual({ session_token: REDACTED });
    expect(data[3].body).toEqual({ session_jwt: REDACTED });

    for (const secret of [env.stytch.secret, token, verifier, auth.session_token, auth.session_jwt, session.session_jwt, viaJwt.session_jwt])
      expect(text.includes(secret), `a secret in clear: ${secret.slice(0, 12)}…`).toBe(false);
  });

  it('redacts secrets in form bodies, nested bodies and query strings', async () => {
    await fetch(`${env.url}/user_management/authenticate?client_secret=${env.workos.api_key}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', client_id: env.workos.client_id, client_secret: env.workos.api_key, email: 'alice@acme.test', password: 'hunter2-very-secret' }).toString(),
    });
    await fetch(`${env.url}/user_management/users/${ALICE}?api_key=${env.workos.api_key}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${env.workos.api_key}` },
      body: JSON.stringify({ first_name: 'Al', nested: { deeper: [{ password: 'nested-password-xyz', access_token: 'nested-access-token-xyz' }] } }),
    });
    const { data, text } = await journal();
    expect(data).toHaveLength(2);
    expect(data[0].body).toEqual({ grant_type: 'password', client_id: env.workos.client_id, client_secret: REDACTED, email: 'alice@acme.test', password: REDACTED });
    expect(data[0].query).toEqual({ client_secret: REDACTED });
    expect(data[1].query).toEqual({ api_key: REDACTED });
    expect(data[1].body).toEqual({ first_name: 'Al', nested: { deeper: [{ password: REDACTED, access_token: REDACTED }] } });
    for (const secret of [env.workos.api_key, 'hunter2-very-secret', 'nested-password-xyz', 'nested-access-token-xyz']) expect(text).not.toContain(secret);
  });
});

describe('GET /_mock/requests filters', () => {
  it('path (exact or prefix*), method, since (id or time), limit', async () => {
    await jwks();
    await getUser();
    await getUser('user_01MOCKBOB00000000000000000');
    await fetch(`${env.url}/user_management/authenticate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: env.workos.client_id }) });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await jwks();
    await getUser();

    const all = (await journal()).data;
    expect(all.map((e) => e.path)).toEqual([
      `/sso/jwks/${env.workos.client_id}`,
      `/user_management/users/${ALICE}`,
      '/user_management/users/user_01MOCKBOB00000000000000000',
      '/user_management/authenticate',
      `/sso/jwks/${env.workos.client_id}`,
      `/user_management/users/${ALICE}`,
    ]);
    const ids = all.map((e) => e.id);

    expect((await journal({ path: `/user_management/users/${ALICE}` })).data.map((e) => e.id)).toEqual([ids[1], ids[5]]);
    expect((await journal({ path: '/user_management/users' })).data).toEqual([]);
    expect((await journal({ path: '/user_management/users/*' })).data.map((e) => e.id)).toEqual([ids[1], ids[2], ids[5]]);
    expect((await journal({ method: 'post' })).data.map((e) => e.id)).toEqual([ids[3]]);
    expect((await journal({ method: 'GET', path: '/sso/*' })).data.map((e) => e.id)).toEqual([ids[0], ids[4]]);
    expect((await journal({ since: ids[2] })).data.map((e) => e.id)).toEqual(ids.slice(3));
    expect((await journal({ since: ids[5] })).data).toEqual([]);
    expect((await journal({ since: between })).data.map((e) => e.id)).toEqual(ids.slice(4));
    expect((await journal({ limit: 2 })).data.map((e) => e.id)).toEqual(ids.slice(4));
    expect((await journal({ limit: 1, path: '/user_management/users/*' })).data.map((e) => e.id)).toEqual([ids[5]]);
    expect(await env.requests.list({ since: String(ids[3]), method: 'get' })).toEqual(all.slice(4));
  });

  it('refuses a bad limit or since with 400', async () => {
    for (const limit of ['0', '-1', '1.5', 'ten'])
      expect(await control('GET', `/_mock/requests?environment=${env.id}&limit=${limit}`)).toMatchObject({ status: 400, body: { code: 'invalid_request', message: 'limit must be a positive integer.' } });
    expect(await control('GET', `/_mock/requests?environment=${env.id}&since=not-a-time`)).toMatchObject({
      status: 400,
      body: { code: 'invalid_request', message: 'since must be an entry id or an ISO 8601 time.' },
    });
  });
});

describe('DELETE /_mock/requests and the size bound', () => {
  it('DELETE clears the journal', async () => {
    await jwks();
    await jwks();
    expect(await control('DELETE', `/_mock/requests?environment=${env.id}`)).toMatchObject({ status: 200, body: { deleted: 2 } });
    expect((await journal()).data).toEqual([]);
    await jwks();
    expect((await journal()).data).toHaveLength(1);
    await env.requests.clear();
    expect((await journal()).data).toEqual([]);
  });

  it(`keeps at most ${JOURNAL_LIMIT} entries, dropping the oldest`, async () => {
    expect(JOURNAL_LIMIT).toBe(500);
    await getUser(); // the oldest entry: dropped once the limit is passed
    const extra = 25;
    for (let batch = 0; batch < JOURNAL_LIMIT + extra; batch += 50) await Promise.all(Array.from({ length: Math.min(50, JOURNAL_LIMIT + extra - batch) }, jwks));
    const { data } = await journal({ limit: 100_000 });
    expect(data).toHaveLength(JOURNAL_LIMIT);
    expect(data.every((e) => e.path === `/sso/jwks/${env.workos.client_id}`)).toBe(true);
    expect(data.at(-1)!.id - data[0].id).toBe(JOURNAL_LIMIT - 1);
    expect(mock.ctx.journal.list(env.id, { limit: 100_000 })).toHaveLength(JOURNAL_LIMIT);
    // The default page is 100, newest last.
    const page = (await journal()).data;
    expect(page).toHaveLength(100);
    expect(page.at(-1)).toEqual(data.at(-1));
    // More traffic keeps it at the bound.
    await Promise.all(Array.from({ length: 10 }, jwks));
    expect((await journal({ limit: JOURNAL_LIMIT })).data).toHaveLength(JOURNAL_LIMIT);
  });
});

describe('journal scope', () => {
  it('is per environment', async () => {
    const other = await mock.createEnvironment();
    try {
      await jwks();
      await fetch(other.workos.jwks_url);
      await fetch(other.workos.jwks_url);
      expect((await journal()).data.map((e) => e.path)).toEqual([`/sso/jwks/${env.workos.client_id}`]);
      expect((await journal({}, other.id)).data.map((e) => e.path)).toEqual([`/sso/jwks/${other.workos.client_id}`, `/sso/jwks/${other.workos.client_id}`]);
      await control('DELETE', `/_mock/requests?environment=${other.id}`);
      expect((await journal({}, other.id)).data).toEqual([]);
      expect((await journal()).data).toHaveLength(1);
    } finally {
      await other.delete();
    }
  });

  it('control calls (/_mock/*, /health) are not journaled', async () => {
    await mock.requests.clear();
    const calls: Array<[string, string, unknown?]> = [
      ['GET', '/health'],
      ['GET', '/_mock/health'],
      ['GET', '/_mock/export'],
      ['GET', '/_mock/faults'],
      ['POST', '/_mock/faults', { path: '/nothing' }],
      ['DELETE', '/_mock/faults'],
      ['GET', '/_mock/clock'],
      ['DELETE', '/_mock/clock'],
      ['POST', '/_mock/next-login', { user: 'alice@acme.test' }],
      ['DELETE', '/_mock/next-login'],
      ['POST', '/_mock/fixtures', { users: [] }],
      ['GET', '/_mock/environments'],
      ['GET', '/_mock/requests'],
    ];
    for (const [method, path, body] of calls) expect((await control(method, path, body)).status, `${method} ${path}`).toBeLessThan(300);
    for (const [method, path, body] of calls) await control(method, `${path}${path.startsWith('/_mock/') ? `?environment=${env.id}` : ''}`, body);
    expect((await journal({}, 'default')).data).toEqual([]);
    expect((await journal()).data).toEqual([]);
  });
});
