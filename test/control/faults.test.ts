/**
 * Fault injection (issue 4) over real HTTP with the official SDKs: HTTP faults (`count`, `when.grant_type`,
 * `delay_ms`, custom `body`/`status`, 429 with Retry-After, `method`, path patterns, vendor-shaped default
 * bodies for WorkOS authenticate, WorkOS REST and Stytch), per-environment faults, `GET`/`DELETE`, invalid
 * bodies, and token faults (`expired`, `bad_signature`, `unknown_kid`, `wrong_issuer`) verified with jose
 * and stytch-node exactly as apps verify tokens.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GenericServerException, NotFoundException, OauthException, RateLimitExceededException, WorkOS } from '@workos-inc/node';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { StytchError } from 'stytch';
import type { MockAuthKit } from '../../src/server.js';
import { USERS } from '../helpers/app.js';
import { controlApi, exchange, refresh, rejection, startTestMock, stopTestMock, stytchClient, stytchLogin, stytchToken, workosCode, type Json } from '../helpers/control.js';
import { workosClient } from '../helpers/workos.js';

const ALICE = USERS.alice;
const AUTHENTICATE = '/user_management/authenticate';

let mock: MockAuthKit;

beforeAll(async () => {
  mock = await startTestMock();
});
afterEach(async () => {
  await mock.faults.clear();
});
afterAll(() => stopTestMock(mock));

const control = controlApi(() => mock.url);

/** Queues a fault over HTTP and returns what the API answered (201 asserted). */
async function addFault(fault: unknown, environment?: string): Promise<Json> {
  const { status, body } = await control('POST', `/_mock/faults${environment ? `?environment=${environment}` : ''}`, fault);
  expect(status, JSON.stringify(body)).toBe(201);
  return body;
}

/** The JOSE error code jose's `jwtVerify` rejects with (or 'ok'). */
async function verifyError(token: string, jwksUrl: string, options: Parameters<typeof jwtVerify>[2] = {}): Promise<string> {
  try {
    await jwtVerify(token, createRemoteJWKSet(new URL(jwksUrl)), options);
    return 'ok';
  } catch (error) {
    return (error as { code: string }).code;
  }
}

describe('HTTP faults on WorkOS authenticate', () => {
  it('count: 1 — the first SDK call gets the vendor-shaped 500, the second succeeds', async () => {
    const fault = await addFault({ path: AUTHENTICATE, status: 500, count: 1 });
    expect(fault).toEqual({ id: expect.stringMatching(/^fault_/), kind: 'http', method: null, path: AUTHENTICATE, status: 500, remaining: 1, delay_ms: 0, when: {} });
    expect(await control('GET', '/_mock/faults')).toEqual({ status: 200, body: { data: [fault] } });

    const code = await workosCode(mock);
    const error = await rejection(exchange(mock, code));
    expect(error).toBeInstanceOf(OauthException);
    expect(error).toMatchObject({ status: 500, error: 'server_error', errorDescription: 'Injected fault (HTTP 500).' });
    expect(error.rawData).toEqual({ error: 'server_error', error_description: 'Injected fault (HTTP 500).' });

    // The fault is used up; the same code (never reached the handler) now succeeds.
    expect(await control('GET', '/_mock/faults')).toEqual({ status: 200, body: { data: [] } });
    const auth = await exchange(mock, code);
    expect(auth.user.email).toBe('alice@acme.test');

    // The journal saw both: the faulted 500, then the 200.
    expect((await mock.requests.list({ path: AUTHENTICATE })).slice(-2).map((entry) => entry.status)).toEqual([500, 200]);
  });

  it('the raw default body is exactly the OAuth envelope', async () => {
    await addFault({ path: AUTHENTICATE, status: 503 });
    const res = await fetch(`${mock.url}${AUTHENTICATE}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('retry-after')).toBeNull();
    expect(await res.json()).toEqual({ error: 'server_error', error_description: 'Injected fault (HTTP 503).' });
  });

  it('when.grant_type: refresh_token lets a code exchange through and fails the refresh', async () => {
    await addFault({ path: AUTHENTICATE, status: 500, when: { grant_type: 'refresh_token' } });
    const auth = await exchange(mock, await workosCode(mock));
    expect((await mock.faults.list()).map((f) => f.remaining)).toEqual([1]);
    const error = await rejection(refresh(mock, auth.refreshToken));
    expect(error).toBeInstanceOf(OauthException);
    expect(error).toMatchObject({ status: 500, error: 'server_error' });
    expect(await mock.faults.list()).toEqual([]);
    // The refresh token was not consumed by the faulted call.
    expect((await refresh(mock, auth.refreshToken)).user.id).toBe(ALICE);
  });

  it('count: 4 outlasts the SDK default of three retries; count: 3 does not', async () => {
    const url = new URL(mock.url);
    const retrying = new WorkOS(mock.workos.api_key, { apiHostname: url.hostname, port: Number(url.port), https: false, clientId: mock.workos.client_id });
    // The SDK's own back-off (0.5 s × 1.5ⁿ, jittered) would only slow the test down; the retries themselves are real.
    (retrying as unknown as { client: { sleep: () => Promise<void> } }).client.sleep = async () => {};
    await addFault({ path: '/user_management/users/*', status: 503, count: 4 });
    expect(await rejection(retrying.userManagement.getUser(ALICE))).toMatchObject({ status: 503 });
    expect(await mock.faults.list()).toEqual([]);
    await addFault({ path: '/user_management/users/*', status: 503, count: 3 });
    expect((await retrying.userManagement.getUser(ALICE)).id).toBe(ALICE);
    expect((await mock.requests.list({ path: `/user_management/users/${ALICE}` })).slice(-8).map((entry) => entry.status)).toEqual([503, 503, 503, 503, 503, 503, 503, 200]);
  });
});

describe('HTTP fault options', () => {
  it('delay_ms delays the faulted answer', async () => {
    await addFault({ path: '/user_management/users/*', status: 500, delay_ms: 400 });
    const started = performance.now();
    const error = await rejection(workosClient(mock).userManagement.getUser(ALICE));
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(GenericServerException);
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect((await mock.requests.list({ path: `/user_management/users/${ALICE}` })).at(-1)).toMatchObject({ status: 500, duration_ms: expect.any(Number) });
    expect((await mock.requests.list({ path: `/user_management/users/${ALICE}` })).at(-1)!.duration_ms).toBeGreaterThanOrEqual(390);
    // Without the fault the same call is fast.
    const fast = performance.now();
    await workosClient(mock).userManagement.getUser(ALICE);
    expect(performance.now() - fast).toBeLessThan(390);
  });

  it('delay_ms without status or body only slows the request down: it is answered normally', async () => {
    const fault = await addFault({ method: 'POST', path: '/v1/oauth/authenticate', delay_ms: 300 });
    expect(fault).toMatchObject({ kind: 'http', method: 'POST', status: null, delay_ms: 300, remaining: 1 });
    const token = await stytchToken(mock);
    const started = performance.now();
    const auth = await stytchClient(mock).oauth.authenticate({ ...token, session_duration_minutes: 60 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(auth).toMatchObject({ status_code: 200, user_id: 'user-test-a11ce000-0000-4000-8000-000000000001' });
    expect(await mock.faults.list()).toEqual([]);
    expect((await mock.requests.list({ path: '/v1/oauth/authenticate' })).at(-1)).toMatchObject({ status: 200 });
    // With a body (and no status) it is still a fault, with the default status 500.
    expect(await addFault({ path: '/v1/oauth/authenticate', delay_ms: 10, body: { nope: true } })).toMatchObject({ status: 500 });
  });

  it('a custom body and status are sent as they are; 429 carries Retry-After', async () => {
    await addFault({ path: '/user_management/users/*', status: 418, body: { hello: ['world', 1] } });
    const res = await fetch(`${mock.url}/user_management/users/${ALICE}`, { headers: { authorization: `Bearer ${mock.workos.api_key}` } });
    expect(res.status).toBe(418);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('retry-after')).toBeNull();
    expect(await res.json()).toEqual({ hello: ['world', 1] });

    await addFault({ path: '/user_management/users/*', status: 429, body: { message: 'Slow down, please.', code: 'rate_limit_exceeded' } });
    const limited = await rejection(workosClient(mock).userManagement.getUser(ALICE));
    expect(limited).toBeInstanceOf(RateLimitExceededException);
    expect(limited).toMatchObject({ status: 429, message: 'Slow down, please.', retryAfter: 1 });

    await addFault({ path: '/user_management/users/*', status: 429 });
    const raw = await fetch(`${mock.url}/user_management/users/${ALICE}`, { headers: { authorization: `Bearer ${mock.workos.api_key}` } });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('1');
    expect(await raw.json()).toEqual({ code: 'rate_limit_exceeded', message: 'Injected fault (HTTP 429).' });
  });

  it('statuses that cannot carry a body (204, 205, 304) are sent without one', async () => {
    for (const status of [204, 205, 304]) {
      await addFault({ path: '/sso/jwks/*', status, body: { ignored: true } });
      const res = await fetch(mock.workos.jwks_url);
      expect(res.status).toBe(status);
      expect(await res.text()).toBe('');
    }
    expect(await mock.faults.list()).toEqual([]);
    expect((await fetch(mock.workos.jwks_url)).status).toBe(200);
  });

  it('WorkOS REST default bodies are {code, message} and map to the SDK exceptions', async () => {
    await addFault({ path: '/user_management/users/*', status: 503 });
    const server = await rejection(workosClient(mock).userManagement.getUser(ALICE));
    expect(server).toBeInstanceOf(GenericServerException);
    expect(server).toMatchObject({ status: 503, rawData: { code: 'server_error', message: 'Injected fault (HTTP 503).' } });

    await addFault({ path: '/user_management/users/*', status: 404 });
    const missing = await rejection(workosClient(mock).userManagement.getUser(ALICE));
    expect(missing).toBeInstanceOf(NotFoundException);
    expect(missing).toMatchObject({ status: 404, code: 'entity_not_found' });
  });

  it('method limits the fault to that method (case-insensitive)', async () => {
    const fault = await addFault({ method: 'get', path: AUTHENTICATE, status: 500 });
    expect(fault.method).toBe('GET');
    // A POST passes through…
    expect((await exchange(mock, await workosCode(mock))).user.id).toBe(ALICE);
    expect(await mock.faults.list()).toHaveLength(1);
    // …a GET gets the fault.
    const res = await fetch(`${mock.url}${AUTHENTICATE}`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'server_error', error_description: 'Injected fault (HTTP 500).' });
    expect(await mock.faults.list()).toEqual([]);
  });

  it('path patterns: * within one segment, ** across segments, :name for one segment', async () => {
    const user = `/user_management/users/${ALICE}`;
    const sessions = `${user}/sessions`;
    const get = async (path: string) => (await fetch(`${mock.url}${path}`, { headers: { authorization: `Bearer ${mock.workos.api_key}` } })).status;

    await addFault({ path: '/user_management/users/*', status: 502, count: 10 });
    expect(await get(sessions)).toBe(200);
    expect(await get(user)).toBe(502);
    await mock.faults.clear();

    await addFault({ path: '/user_management/users/*/sessions', status: 502, count: 10 });
    expect(await get(user)).toBe(200);
    expect(await get(sessions)).toBe(502);
    await mock.faults.clear();

    await addFault({ path: '/user_management/**', status: 502, count: 10 });
    expect(await get(sessions)).toBe(502);
    expect(await get(user)).toBe(502);
    expect(await get('/organizations/org_01MOCKACME0000000000000000')).toBe(200);
    await mock.faults.clear();

    await addFault({ path: '/user_management/users/:id', status: 502, count: 10 });
    expect(await get(user)).toBe(502);
    expect(await get(sessions)).toBe(200);
    await mock.faults.clear();

    // A pattern does not match a prefix or a longer path, and dots are literal.
    await addFault({ path: '/user_management/users', status: 502, count: 10 });
    expect(await get(user)).toBe(200);
    await addFault({ path: '/sso/jwks/client.01*', status: 502, count: 10 });
    expect(await get(`/sso/jwks/${mock.workos.client_id}`)).toBe(200);
  });

  it('a Stytch path fault answers in the Stytch envelope', async () => {
    const { token, code_verifier } = await stytchToken(mock);
    await addFault({ path: '/v1/oauth/authenticate', status: 500 });
    const error = await rejection(stytchClient(mock).oauth.authenticate({ token, code_verifier }));
    expect(error).toBeInstanceOf(StytchError);
    expect(error).toMatchObject({
      status_code: 500,
      error_type: 'internal_server_error',
      error_message: 'Injected fault (HTTP 500).',
      request_id: expect.stringMatching(/^request-id-test-[0-9a-f-]{36}$/),
      error_url: 'https://stytch.com/docs/api/errors/500#internal_server_error',
    });
    // The token was not consumed.
    expect((await stytchClient(mock).oauth.authenticate({ token, code_verifier })).status_code).toBe(200);

    for (const [status, type] of [
      [429, 'too_many_requests'],
      [401, 'unauthorized_credentials'],
      [404, 'not_found'],
      [400, 'bad_request'],
    ] as const) {
      await addFault({ path: '/v1/sessions/*', status });
      const res = await fetch(`${mock.url}/v1/sessions/authenticate`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(status);
      expect(res.headers.get('retry-after')).toBe(status === 429 ? '1' : null);
      expect(await res.json()).toEqual({
        status_code: status,
        request_id: expect.stringMatching(/^request-id-test-/),
        error_type: type,
        error_message: `Injected fault (HTTP ${status}).`,
        error_url: `https://stytch.com/docs/api/errors/${status}#${type}`,
      });
    }
  });
});

describe('faults are per environment', () => {
  it("an environment's faults touch only its own requests, and list only there", async () => {
    const other = await mock.createEnvironment();
    try {
      await addFault({ path: AUTHENTICATE, status: 500, count: 5 });
      await addFault({ path: '/v1/oauth/authenticate', status: 500, count: 5 });
      expect((await exchange(other, await workosCode(other))).user.id).toBe(ALICE);
      expect((await stytchLogin(other)).status_code).toBe(200);
      expect(await control('GET', `/_mock/faults?environment=${other.id}`)).toEqual({ status: 200, body: { data: [] } });
      expect((await mock.faults.list()).map((f) => f.remaining)).toEqual([5, 5]);

      // A fault queued for the other environment (over HTTP) fails only its requests.
      await mock.faults.clear();
      await addFault({ path: AUTHENTICATE, status: 500 }, other.id);
      expect((await exchange(mock, await workosCode(mock))).user.id).toBe(ALICE);
      expect(await rejection(exchange(other, await workosCode(other)))).toMatchObject({ status: 500, error: 'server_error' });
      // Token faults too.
      await other.faults.add({ token: 'expired' });
      const mine = await exchange(mock, await workosCode(mock));
      expect(await verifyError(mine.accessToken, mock.workos.jwks_url)).toBe('ok');
      const theirs = await exchange(other, await workosCode(other));
      expect(await verifyError(theirs.accessToken, other.workos.jwks_url)).toBe('ERR_JWT_EXPIRED');
    } finally {
      await other.delete();
    }
  });
});

describe('GET and DELETE /_mock/faults', () => {
  it('lists remaining counts and clears', async () => {
    const http = await addFault({ path: '/user_management/users/*', status: 500, count: 3 });
    const token = await addFault({ token: 'bad_signature', count: 2 });
    expect(token).toEqual({ id: expect.stringMatching(/^fault_/), kind: 'token', token: 'bad_signature', remaining: 2 });
    await rejection(workosClient(mock).userManagement.getUser(ALICE));
    expect((await control('GET', '/_mock/faults')).body).toEqual({ data: [{ ...http, remaining: 2 }, token] });
    expect(await control('DELETE', '/_mock/faults')).toEqual({ status: 200, body: { deleted: 2 } });
    expect((await control('GET', '/_mock/faults')).body).toEqual({ data: [] });
    expect((await workosClient(mock).userManagement.getUser(ALICE)).id).toBe(ALICE);
    expect(await control('DELETE', '/_mock/faults')).toEqual({ status: 200, body: { deleted: 0 } });
  });

  it('invalid fault bodies are 400 with errors', async () => {
    const message = 'The fault is invalid: give {path, status?, body?, count?, delay_ms?, method?, when?} or {token, count?}.';
    const cases: Array<[unknown, Array<{ path: string; message: string }>]> = [
      [{}, [{ path: '$.path', message: 'is required' }]],
      [{ path: 'no-slash' }, [{ path: '$.path', message: 'Invalid string: must start with "/"' }]],
      [{ path: '/x', status: 700 }, [{ path: '$.status', message: 'Too big: expected number to be <=599' }]],
      [{ path: '/x', status: 101 }, [{ path: '$.status', message: 'Too small: expected number to be >=200' }]],
      [{ path: '/x', count: 0 }, [{ path: '$.count', message: 'Too small: expected number to be >=1' }]],
      [{ path: '/x', delay_ms: -1 }, [{ path: '$.delay_ms', message: 'Too small: expected number to be >=0' }]],
      [{ path: '/x', method: 'GET /' }, [{ path: '$.method', message: 'Invalid string: must match pattern /^[A-Za-z]{3,7}$/' }]],
      [{ path: '/x', extra: 1 }, [{ path: '$', message: 'unknown key: extra' }]],
      [{ path: '/x', when: { grant: 'x' } }, [{ path: '$.when', message: 'unknown key: grant' }]],
      [{ token: 'nope' }, [{ path: '$.token', message: 'Invalid option: expected one of "expired"|"bad_signature"|"unknown_kid"|"wrong_issuer"' }]],
      [{ token: 'expired', path: '/x' }, [{ path: '$', message: 'unknown key: path' }]],
      [{ token: 'expired', count: 1.5 }, [{ path: '$.count', message: 'Invalid input: expected int, received number' }]],
    ];
    for (const [body, errors] of cases) expect(await control('POST', '/_mock/faults', body), JSON.stringify(body)).toEqual({ status: 400, body: { code: 'invalid_request', message, errors } });
    for (const body of ['[]', '"x"', '{oops']) expect((await control('POST', '/_mock/faults', body)).status, body).toBe(400);
    expect((await control('GET', '/_mock/faults')).body).toEqual({ data: [] });
  });
});

describe('token faults on WorkOS access tokens', () => {
  it('expired: jose rejects the token as expired (JWTExpired); the next one is fine', async () => {
    await addFault({ token: 'expired' });
    const auth = await exchange(mock, await workosCode(mock));
    const jwks = createRemoteJWKSet(new URL(mock.workos.jwks_url));
    const error = await rejection(jwtVerify(auth.accessToken, jwks, { issuer: mock.url }));
    expect(error).toBeInstanceOf(errors.JWTExpired);
    expect(error.code).toBe('ERR_JWT_EXPIRED');
    const claims = decodeJwt(auth.accessToken);
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(claims.exp!).toBeLessThan(Date.now() / 1000);
    // The fault was used up: the refreshed token verifies.
    const refreshed = await refresh(mock, auth.refreshToken);
    const { payload } = await jwtVerify(refreshed.accessToken, jwks, { issuer: mock.url });
    expect(payload.sub).toBe(ALICE);
    expect(await mock.faults.list()).toEqual([]);
  });

  it('bad_signature: JWSSignatureVerificationFailed', async () => {
    await addFault({ token: 'bad_signature' });
    const auth = await exchange(mock, await workosCode(mock));
    expect(await verifyError(auth.accessToken, mock.workos.jwks_url)).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    expect(decodeJwt(auth.accessToken).sub).toBe(ALICE);
    expect(await verifyError((await refresh(mock, auth.refreshToken)).accessToken, mock.workos.jwks_url)).toBe('ok');
  });

  it('unknown_kid: JWKSNoMatchingKey', async () => {
    await addFault({ token: 'unknown_kid' });
    const auth = await exchange(mock, await workosCode(mock));
    expect(await verifyError(auth.accessToken, mock.workos.jwks_url)).toBe('ERR_JWKS_NO_MATCHING_KEY');
    const jwks = (await (await fetch(mock.workos.jwks_url)).json()) as { keys: Array<{ kid: string }> };
    expect(jwks.keys.map((key) => key.kid)).not.toContain(decodeProtectedHeader(auth.accessToken).kid);
    expect(await verifyError((await refresh(mock, auth.refreshToken)).accessToken, mock.workos.jwks_url)).toBe('ok');
  });

  it('wrong_issuer: validly signed, refused by the issuer check', async () => {
    await addFault({ token: 'wrong_issuer' });
    const auth = await exchange(mock, await workosCode(mock));
    const jwks = createRemoteJWKSet(new URL(mock.workos.jwks_url));
    const error = await rejection(jwtVerify(auth.accessToken, jwks, { issuer: mock.url }));
    expect(error).toBeInstanceOf(errors.JWTClaimValidationFailed);
    expect(error).toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'iss', reason: 'check_failed' });
    expect(await verifyError(auth.accessToken, mock.workos.jwks_url)).toBe('ok');
    expect(await verifyError((await refresh(mock, auth.refreshToken)).accessToken, mock.workos.jwks_url, { issuer: mock.url })).toBe('ok');
  });

  it('count: 2 spoils the next two tokens, then none', async () => {
    await mock.faults.add({ token: 'expired', count: 2 });
    const first = await exchange(mock, await workosCode(mock));
    const second = await refresh(mock, first.refreshToken);
    const third = await refresh(mock, second.refreshToken);
    expect(await Promise.all([first, second, third].map((auth) => verifyError(auth.accessToken, mock.workos.jwks_url)))).toEqual(['ERR_JWT_EXPIRED', 'ERR_JWT_EXPIRED', 'ok']);
  });
});

describe('token faults on Stytch session JWTs', () => {
  const stytchOptions = () => ({ audience: mock.stytch.project_id, issuer: `stytch.com/${mock.stytch.project_id}`, typ: 'JWT' });

  it('expired: local verification fails, authenticateJwt falls back to the API and gets a fresh JWT', async () => {
    await addFault({ token: 'expired' });
    const auth = await stytchLogin(mock);
    expect(await verifyError(auth.session_jwt, mock.stytch.jwks_url, stytchOptions())).toBe('ERR_JWT_EXPIRED');
    await expect(stytchClient(mock).sessions.authenticateJwtLocal({ session_jwt: auth.session_jwt })).rejects.toMatchObject({ code: 'jwt_invalid' });
    // The session lives: the remote check accepts the validly signed, expired JWT and answers a fresh one.
    const refreshed = await stytchClient(mock).sessions.authenticateJwt({ session_jwt: auth.session_jwt });
    expect(refreshed.session.session_id).toBe(auth.user_session!.session_id);
    expect(refreshed.session_jwt).not.toBe(auth.session_jwt);
    expect(await verifyError(refreshed.session_jwt, mock.stytch.jwks_url, stytchOptions())).toBe('ok');
  });

  it('bad_signature: local verification fails and the API refuses it too (401)', async () => {
    await addFault({ token: 'bad_signature' });
    const auth = await stytchLogin(mock);
    expect(await verifyError(auth.session_jwt, mock.stytch.jwks_url, stytchOptions())).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    const error = await rejection(stytchClient(mock).sessions.authenticateJwt({ session_jwt: auth.session_jwt }));
    expect(error).toBeInstanceOf(StytchError);
    expect(error).toMatchObject({ status_code: 401, error_type: 'unable_to_parse_session_jwt' });
    // The session itself is fine: its opaque token authenticates and yields a good JWT.
    const viaToken = await stytchClient(mock).sessions.authenticate({ session_token: auth.session_token });
    expect(await verifyError(viaToken.session_jwt, mock.stytch.jwks_url, stytchOptions())).toBe('ok');
  });

  it('unknown_kid and wrong_issuer fail local verification as jose reports them', async () => {
    await addFault({ token: 'unknown_kid' });
    const unknown = await stytchLogin(mock);
    expect(await verifyError(unknown.session_jwt, mock.stytch.jwks_url, stytchOptions())).toBe('ERR_JWKS_NO_MATCHING_KEY');
    await addFault({ token: 'wrong_issuer' });
    const foreign = await stytchLogin(mock);
    expect(await verifyError(foreign.session_jwt, mock.stytch.jwks_url, stytchOptions())).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
    await expect(stytchClient(mock).sessions.authenticateJwtLocal({ session_jwt: foreign.session_jwt })).rejects.toMatchObject({ code: 'jwt_invalid' });
    expect(await verifyError((await stytchLogin(mock)).session_jwt, mock.stytch.jwks_url, stytchOptions())).toBe('ok');
  });
});
