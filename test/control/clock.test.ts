/**
 * The per-environment clock (issue 4) over real HTTP with the official SDKs: code and Stytch OAuth token
 * expiry, access-token expiry (verified with jose at the mock's "now") while the refresh token still
 * works, `iat` of new tokens, `{now}` / `DELETE` / `GET`, session expiry (WorkOS 30 days, Stytch
 * `session_duration_minutes`), per-environment isolation, the programmatic handle, and bad bodies.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OauthException } from '@workos-inc/node';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { StytchError } from 'stytch';
import type { MockAuthKit } from '../../src/server.js';
import { USERS } from '../helpers/app.js';
import { controlApi, exchange, refresh, rejection, startTestMock, stopTestMock, stytchClient, stytchLogin, stytchToken, workosCode, type Json } from '../helpers/control.js';
import { workosClient } from '../helpers/workos.js';

const ALICE = USERS.alice;
const DAY = 86_400;

let mock: MockAuthKit;

beforeAll(async () => {
  mock = await startTestMock();
});
afterEach(async () => {
  await mock.clock.reset();
});
afterAll(() => stopTestMock(mock));

const control = controlApi(() => mock.url);

const query = (environment?: string) => (environment ? `?environment=${environment}` : '');

/** `POST /_mock/clock` (200 asserted); returns the answer. */
async function setClock(body: unknown, environment?: string): Promise<Json> {
  const { status, body: answer } = await control('POST', `/_mock/clock${query(environment)}`, body);
  expect(status, JSON.stringify(answer)).toBe(200);
  return answer;
}

/** The mock's "now" for an environment, from `GET /_mock/clock`. */
async function mockNow(environment?: string): Promise<Date> {
  return new Date((await control('GET', `/_mock/clock${query(environment)}`)).body.now);
}

/** Asserts `actual` is within `toleranceMs` of `expected`. */
function near(actual: number, expected: number, toleranceMs = 2000): void {
  expect(Math.abs(actual - expected), `${new Date(actual).toISOString()} vs ${new Date(expected).toISOString()}`).toBeLessThanOrEqual(toleranceMs);
}

describe('GET, POST and DELETE /_mock/clock', () => {
  it('follows real time until moved; advance_seconds adds up; DELETE returns to real time', async () => {
    const real = await control('GET', '/_mock/clock');
    expect(real).toEqual({ status: 200, body: { now: expect.any(String), offset_seconds: 0, real_time: true } });
    near(Date.parse(real.body.now), Date.now());

    const moved = await setClock({ advance_seconds: 660 });
    expect(moved).toEqual({ now: expect.any(String), offset_seconds: 660, real_time: false });
    near(Date.parse(moved.now), Date.now() + 660_000);
    expect((await setClock({ advance_seconds: -60 })).offset_seconds).toBe(600);
    expect((await control('GET', '/_mock/clock')).body).toMatchObject({ offset_seconds: 600, real_time: false });

    const back = await control('DELETE', '/_mock/clock');
    expect(back).toEqual({ status: 200, body: { now: expect.any(String), offset_seconds: 0, real_time: true } });
    near(Date.parse(back.body.now), Date.now());
  });

  it('{now} sets the time (with any offset), and time keeps running from there', async () => {
    const target = Date.parse('2031-05-01T12:00:00.000Z');
    const set = await setClock({ now: '2031-05-01T14:00:00+02:00' });
    expect(set.real_time).toBe(false);
    near(Date.parse(set.now), target, 500);
    near(set.offset_seconds * 1000, target - Date.now(), 1000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await mockNow()).getTime()).toBeGreaterThan(target + 40);

    // New tokens and sessions carry the mock's time.
    const auth = await exchange(mock, await workosCode(mock));
    near(decodeJwt(auth.accessToken).iat! * 1000, target, 2000);
    const sid = decodeJwt(auth.accessToken).sid as string;
    const session = (await workosClient(mock).userManagement.listSessions(ALICE)).data.find((s) => s.id === sid);
    near(Date.parse(session!.createdAt), target, 2000);
    near(Date.parse(session!.expiresAt), target + 30 * DAY * 1000, 2000);
  });

  it('refuses bad bodies with 400', async () => {
    const message = 'Give {"advance_seconds": n} or {"now": "<ISO 8601 time>"}.';
    const cases: Array<[unknown, Array<{ path: string; message: string }>]> = [
      [{}, [{ path: '$.advance_seconds', message: 'is required' }]],
      [{ advance_seconds: '60' }, [{ path: '$.advance_seconds', message: 'Invalid input: expected number, received string' }]],
      [{ advance_seconds: 1e12 }, [{ path: '$.advance_seconds', message: 'Too big: expected number to be <=315360000' }]],
      [{ advance: 5 }, [{ path: '$.advance_seconds', message: 'is required' }, { path: '$', message: 'unknown key: advance' }]],
      [{ now: 'yesterday' }, [{ path: '$.now', message: 'Invalid ISO datetime' }]],
      [{ now: '2031-05-01' }, [{ path: '$.now', message: 'Invalid ISO datetime' }]],
      [{ now: 1900000000 }, [{ path: '$.now', message: 'Invalid input: expected string, received number' }]],
      [{ advance_seconds: 1, now: '2031-05-01T00:00:00Z' }, [{ path: '$', message: 'unknown key: advance_seconds' }]],
    ];
    for (const [body, errors] of cases) expect(await control('POST', '/_mock/clock', body), JSON.stringify(body)).toEqual({ status: 400, body: { code: 'invalid_request', message, errors } });
    for (const raw of ['[]', 'null', '"x"']) expect(await control('POST', '/_mock/clock', raw), raw).toEqual({ status: 400, body: { code: 'invalid_request', message: 'The request body must be a JSON object.' } });
    expect((await control('POST', '/_mock/clock', '{oops')).status).toBe(400);
    // Nothing moved.
    expect((await control('GET', '/_mock/clock')).body).toMatchObject({ offset_seconds: 0, real_time: true });
  });
});

describe('expiry follows the clock', () => {
  it('an unused authorization code is invalid_grant 11 minutes later (and fine at 9)', async () => {
    const early = await workosCode(mock);
    const late = await workosCode(mock);
    await setClock({ advance_seconds: 9 * 60 });
    expect((await exchange(mock, early)).user.id).toBe(ALICE);
    await setClock({ advance_seconds: 2 * 60 });
    const error = await rejection(exchange(mock, late));
    expect(error).toBeInstanceOf(OauthException);
    expect(error).toMatchObject({ status: 400, error: 'invalid_grant', errorDescription: `The code '${late.code}' has expired or is invalid.` });
    // Back in real time the code is still unused and valid: expiry is read from the clock, not stored as "expired".
    await control('DELETE', '/_mock/clock');
    expect((await exchange(mock, late)).user.id).toBe(ALICE);
  });

  it('a Stytch OAuth token is oauth_token_not_found 11 minutes later', async () => {
    const token = await stytchToken(mock);
    await setClock({ advance_seconds: 11 * 60 });
    const error = await rejection(stytchClient(mock).oauth.authenticate(token));
    expect(error).toBeInstanceOf(StytchError);
    expect(error).toMatchObject({ status_code: 404, error_type: 'oauth_token_not_found' });
  });

  it('past the access-token lifetime the token fails verification, its refresh token still works, and the new iat is the mock now', async () => {
    const jwks = createRemoteJWKSet(new URL(mock.workos.jwks_url));
    const auth = await exchange(mock, await workosCode(mock));
    await jwtVerify(auth.accessToken, jwks, { currentDate: await mockNow(), issuer: mock.url });

    // The mock's clock keeps running from the moved instant: leave a few seconds for a loaded machine.
    await setClock({ advance_seconds: 290 });
    await jwtVerify(auth.accessToken, jwks, { currentDate: await mockNow(), issuer: mock.url });
    await setClock({ advance_seconds: 12 });
    const now = await mockNow();
    await expect(jwtVerify(auth.accessToken, jwks, { currentDate: now, issuer: mock.url })).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });

    const refreshed = await refresh(mock, auth.refreshToken);
    const { payload } = await jwtVerify(refreshed.accessToken, jwks, { currentDate: await mockNow(), issuer: mock.url });
    near(payload.iat! * 1000, now.getTime(), 1500);
    expect(payload.iat! - decodeJwt(auth.accessToken).iat!).toBeGreaterThanOrEqual(301);
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(payload.sid).toBe(decodeJwt(auth.accessToken).sid);
  });

  it('a WorkOS session (30 days) and its refresh tokens end with the clock', async () => {
    const auth = await exchange(mock, await workosCode(mock));
    await setClock({ advance_seconds: 29 * DAY });
    const day29 = await refresh(mock, auth.refreshToken);
    await setClock({ advance_seconds: 2 * DAY });
    const error = await rejection(refresh(mock, day29.refreshToken));
    expect(error).toBeInstanceOf(OauthException);
    expect(error).toMatchObject({ status: 400, error: 'invalid_grant', errorDescription: 'Refresh token has expired.' });
  });

  it('a Stytch session ends after its session_duration_minutes on the mock clock', async () => {
    const auth = await stytchLogin(mock);
    await setClock({ advance_seconds: 59 * 60 });
    expect((await stytchClient(mock).sessions.authenticate({ session_token: auth.session_token })).session.session_id).toBe(auth.user_session!.session_id);
    await setClock({ advance_seconds: 2 * 60 });
    expect(await rejection(stytchClient(mock).sessions.authenticate({ session_token: auth.session_token }))).toMatchObject({ status_code: 404, error_type: 'session_not_found' });
  });
});

describe('the clock is per environment', () => {
  it('advancing one environment does not move another', async () => {
    const other = await mock.createEnvironment();
    try {
      const mine = await workosCode(mock);
      const theirs = await workosCode(other);
      await setClock({ advance_seconds: 3600 });
      expect((await control('GET', `/_mock/clock${query(other.id)}`)).body).toMatchObject({ offset_seconds: 0, real_time: true });
      near(other.clock.now().getTime(), Date.now());
      near(mock.clock.now().getTime(), Date.now() + 3_600_000);

      expect(await rejection(exchange(mock, mine))).toMatchObject({ error: 'invalid_grant' });
      const auth = await exchange(other, theirs);
      near(decodeJwt(auth.accessToken).iat! * 1000, Date.now(), 2000);

      // And the other way round, through the programmatic handle.
      await mock.clock.reset();
      const moved = await other.clock.advance(11 * 60);
      near(moved.getTime(), Date.now() + 660_000);
      expect((await control('GET', '/_mock/clock')).body).toMatchObject({ offset_seconds: 0, real_time: true });
      const set = await other.clock.set('2030-01-01T00:00:00Z');
      near(set.getTime(), Date.parse('2030-01-01T00:00:00Z'), 500);
      expect((await control('GET', `/_mock/clock${query(other.id)}`)).body.now.slice(0, 16)).toBe('2030-01-01T00:00');
      await other.clock.reset();
      expect((await control('GET', `/_mock/clock${query(other.id)}`)).body).toMatchObject({ offset_seconds: 0, real_time: true });
    } finally {
      await other.delete();
    }
  });

  it('reset of an environment returns its clock to real time', async () => {
    const other = await mock.createEnvironment();
    try {
      await setClock({ advance_seconds: 120 }, other.id);
      expect((await control('POST', `/_mock/reset${query(other.id)}`)).status).toBe(200);
      expect((await control('GET', `/_mock/clock${query(other.id)}`)).body).toMatchObject({ offset_seconds: 0, real_time: true });
    } finally {
      await other.delete();
    }
  });
});
