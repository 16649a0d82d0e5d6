/**
 * Backend sessions, JWKS and users in process: authenticate by token or (expired) JWT, revoke, expiry,
 * the JWKS without credentials, users.get.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ISO_SECONDS,
  PROJECT_ID,
  STYTCH_USERS,
  backend,
  buildApp,
  expectStytchError,
  expectStytchOk,
  jwtPayload,
  request,
  signIn,
  type Built,
  type Json,
} from './helpers.js';

let built: Built;
beforeAll(async () => {
  built = await buildApp({ login: 'headless' });
});
afterAll(() => built.db.close());

const sessionsAuthenticate = (body: unknown) => backend(built, 'POST', '/v1/sessions/authenticate', body);
const revoke = (body: unknown) => backend(built, 'POST', '/v1/sessions/revoke', body);

/** Runs `fn` with the default environment's clock moved forward by `ms`. */
async function later<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  built.ctx.clock.advance('default', ms);
  try {
    return await fn();
  } finally {
    built.ctx.clock.reset('default');
  }
}

describe('POST /v1/sessions/authenticate', () => {
  it('by session_token: echoes the token, mints a fresh JWT, returns session and user', async () => {
    const login = await signIn(built);
    const body = await expectStytchOk(await sessionsAuthenticate({ session_token: login.session_token }));
    expect(Object.keys(body).sort()).toEqual(['request_id', 'session', 'session_jwt', 'session_token', 'status_code', 'user'].sort());
    expect(body.session_token).toBe(login.session_token);
    expect(body.session.session_id).toBe(login.user_session.session_id);
    expect(body.session.authentication_factors).toEqual(login.user_session.authentication_factors);
    expect(body.user.user_id).toBe(STYTCH_USERS.alice);
    expect(jwtPayload(body.session_jwt)['https://stytch.com/session'].id).toBe(login.user_session.session_id);
  });

  it('by an expired JWT of a live session: a fresh JWT', async () => {
    const login = await signIn(built);
    const body = await later(10 * 60_000, async () => expectStytchOk(await sessionsAuthenticate({ session_jwt: login.session_jwt })));
    expect(body.session_token).toBe(login.session_token);
    const fresh = jwtPayload(body.session_jwt);
    expect(fresh.iat).toBeGreaterThanOrEqual(jwtPayload(login.session_jwt).exp);
    expect(Date.parse(body.session.last_accessed_at)).toBeGreaterThan(Date.parse(login.user_session.last_accessed_at));
  });

  it('session_duration_minutes moves the expiry; custom claims update and delete', async () => {
    const login = await signIn(built, 'alice@acme.test', { session_custom_claims: { a: 1, b: 2 } });
    const body = await expectStytchOk(await sessionsAuthenticate({ session_token: login.session_token, session_duration_minutes: 600, session_custom_claims: { a: null, c: 3 } }));
    const lifetime = Date.parse(body.session.expires_at) - Date.now();
    expect(Math.abs(lifetime - 600 * 60_000)).toBeLessThan(5000);
    expect(body.session.custom_claims).toEqual({ b: 2, c: 3 });
    expect(jwtPayload(body.session_jwt)).toMatchObject({ b: 2, c: 3 });
    expect(jwtPayload(body.session_jwt)).not.toHaveProperty('a');
  });

  it('needs exactly one of token and JWT', async () => {
    await expectStytchError(await sessionsAuthenticate({}), 400, 'no_session_arguments');
    await expectStytchError(await sessionsAuthenticate({ session_token: 'a', session_jwt: 'b' }), 400, 'too_many_session_arguments');
  });

  it('404s unknown and expired sessions', async () => {
    await expectStytchError(await sessionsAuthenticate({ session_token: 'x'.repeat(44) }), 404, 'session_not_found');
    const login = await signIn(built);
    await later(61 * 60_000, async () => {
      await expectStytchError(await sessionsAuthenticate({ session_token: login.session_token }), 404, 'session_not_found');
      await expectStytchError(await sessionsAuthenticate({ session_jwt: login.session_jwt }), 404, 'session_not_found');
    });
  });

  it('refuses JWTs that do not parse or verify', async () => {
    const login = await signIn(built);
    const [h, p, s] = login.session_jwt.split('.') as string[];
    const forged = Buffer.from(JSON.stringify({ ...jwtPayload(login.session_jwt), sub: STYTCH_USERS.bob })).toString('base64url');
    for (const jwt of ['garbage', 'a.b.c', `${h}.${p}`, `${h}.${forged}.${s}`, `${h}.${p}.${s.slice(0, -4)}AAAA`, `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`]) {
      await expectStytchError(await sessionsAuthenticate({ session_jwt: jwt }), 401, 'unable_to_parse_session_jwt');
    }
  });
});

describe('POST /v1/sessions/revoke', () => {
  for (const by of ['session_id', 'session_token', 'session_jwt'] as const) {
    it(`by ${by}; the session stays dead`, async () => {
      const login = await signIn(built);
      const arg = by === 'session_id' ? login.user_session.session_id : login[by];
      const body = await expectStytchOk(await revoke({ [by]: arg }));
      expect(Object.keys(body).sort()).toEqual(['request_id', 'status_code']);
      await expectStytchError(await sessionsAuthenticate({ session_token: login.session_token }), 404, 'session_not_found');
      await expectStytchError(await sessionsAuthenticate({ session_jwt: login.session_jwt }), 404, 'session_not_found');
      await expectStytchError(await revoke({ [by]: arg }), 404, 'session_not_found');
    });
  }

  it('needs exactly one argument', async () => {
    await expectStytchError(await revoke({}), 400, 'no_session_revoke_arguments');
    await expectStytchError(await revoke({ session_id: 'a', session_token: 'b' }), 400, 'too_many_session_revoke_arguments');
  });
});

describe('GET /v1/sessions', () => {
  it('lists the user’s live sessions', async () => {
    const fresh = await buildApp({ login: 'headless' });
    try {
      const one = await signIn(fresh, 'bob@acme.test');
      const two = await signIn(fresh, 'bob@acme.test');
      await backend(fresh, 'POST', '/v1/sessions/revoke', { session_id: one.user_session.session_id });
      const body = await expectStytchOk(await backend(fresh, 'GET', `/v1/sessions?user_id=${STYTCH_USERS.bob}`));
      expect(body.sessions.map((s: Json) => s.session_id)).toEqual([two.user_session.session_id]);
      await expectStytchError(await backend(fresh, 'GET', '/v1/sessions?user_id=user-test-nope'), 404, 'user_not_found');
      await expectStytchError(await backend(fresh, 'GET', '/v1/sessions'), 400, 'invalid_user_id');
    } finally {
      fresh.db.close();
    }
  });
});

describe('GET /v1/sessions/jwks/:project_id', () => {
  it('needs no credentials and lists the Stytch key', async () => {
    const body = await expectStytchOk(await request(built, 'GET', `/v1/sessions/jwks/${PROJECT_ID}`));
    expect(body).toEqual({ request_id: expect.stringMatching(/^request-id-test-/), keys: [built.ctx.keys.forEnvironment('default').stytchJwk], status_code: 200 });
    expect(body.keys[0]).toMatchObject({ kty: 'RSA', use: 'sig', key_ops: ['verify'], alg: 'RS256', kid: expect.stringMatching(/^jwk-test-/), x5c: [], x5tS256: '', e: 'AQAB' });
  });

  it('404s an unknown project', async () => {
    await expectStytchError(await request(built, 'GET', '/v1/sessions/jwks/project-test-nope'), 404, 'project_not_found');
  });
});

describe('GET /v1/users/:user_id', () => {
  it('returns the user with request_id and status_code at the top level', async () => {
    await signIn(built, 'alice@acme.test');
    const body = await expectStytchOk(await backend(built, 'GET', `/v1/users/${STYTCH_USERS.alice}`));
    expect(body).toMatchObject({
      request_id: expect.stringMatching(/^request-id-test-/),
      status_code: 200,
      user_id: STYTCH_USERS.alice,
      status: 'active',
      created_at: expect.stringMatching(ISO_SECONDS),
      name: { first_name: 'Alice', middle_name: '', last_name: 'Liddell' },
      emails: [{ email: 'alice@acme.test', verified: true }],
      providers: [{ provider_type: 'Google', provider_subject: '104885251007036135001' }],
      roles: ['stytch_user'],
    });
  });

  it('404s unknown users and requires credentials', async () => {
    await expectStytchError(await backend(built, 'GET', '/v1/users/user-test-nope'), 404, 'user_not_found');
    await expectStytchError(await request(built, 'GET', `/v1/users/${STYTCH_USERS.alice}`), 401, 'unauthorized_credentials');
  });
});
