/**
 * The frontend SDK API (`/sdk/v1/*`) in process: `{data}` envelopes, the Basic public-token scheme,
 * bootstrap, telemetry, and credentialed CORS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PUBLIC_TOKEN,
  STYTCH_USERS,
  basic,
  buildApp,
  expectStytchError,
  expectStytchOk,
  request,
  sdk,
  startToken,
  type Built,
} from './helpers.js';

let built: Built;
beforeAll(async () => {
  built = await buildApp({ login: 'headless' });
});
afterAll(() => built.db.close());

async function sdkSignIn(hint = 'alice@acme.test', minutes: number | undefined = 30) {
  const { token, verifier } = await startToken(built, { provider_login_hint: hint });
  const res = await sdk(built, 'POST', '/sdk/v1/oauth/authenticate', { token, code_verifier: verifier, ...(minutes === undefined ? {} : { session_duration_minutes: minutes }) });
  return (await expectStytchOk(res)).data;
}

describe('POST /sdk/v1/oauth/authenticate', () => {
  it('wraps the response in data, with the session as both session and user_session', async () => {
    const res = await sdk(built, 'POST', '/sdk/v1/oauth/authenticate', {}, PUBLIC_TOKEN);
    await expectStytchError(res, 400, 'bad_request');
    const data = await sdkSignIn();
    expect(data).toMatchObject({ status_code: 200, user_id: STYTCH_USERS.alice, provider_type: 'Google', reset_sessions: false });
    expect(data.session).toEqual(data.user_session);
    expect(data.session.session_id).toMatch(/^session-test-/);
    expect(data.session_token).toMatch(/^[A-Za-z0-9_-]{44}$/);
    expect(data.provider_values.refresh_token).toBe('1//mock-alice-google-refresh-token');
  });

  it('opens a 30-minute session when the duration is left out', async () => {
    const data = await sdkSignIn('bob@acme.test', undefined);
    const lifetime = Date.parse(data.session.expires_at) - Date.parse(data.session.started_at);
    expect(Math.abs(lifetime - 30 * 60_000)).toBeLessThanOrEqual(1000);
  });

  it('adds the factor to the caller’s own live session (Basic password)', async () => {
    const first = await sdkSignIn('carol@globex.test');
    const { token, verifier } = await startToken(built, { provider_login_hint: 'carol@globex.test' }, 'github');
    const res = await sdk(built, 'POST', '/sdk/v1/oauth/authenticate', { token, code_verifier: verifier, session_duration_minutes: 30 }, first.session_token);
    const data = (await expectStytchOk(res)).data;
    expect(data.session.session_id).toBe(first.session.session_id);
    expect(data.session.authentication_factors).toHaveLength(2);
  });

  it('ignores a stale session in the password', async () => {
    const { token, verifier } = await startToken(built);
    const res = await sdk(built, 'POST', '/sdk/v1/oauth/authenticate', { token, code_verifier: verifier, session_duration_minutes: 30 }, 'stale-session-token');
    expect((await expectStytchOk(res)).data.session.session_id).toMatch(/^session-test-/);
  });

  it('requires a known public token', async () => {
    const { token, verifier } = await startToken(built);
    for (const authorization of [undefined, basic('public-token-test-nope', 'public-token-test-nope'), 'Basic', basic(PUBLIC_TOKEN, '')]) {
      const res = await request(built, 'POST', '/sdk/v1/oauth/authenticate', { token, code_verifier: verifier }, authorization ? { authorization } : {});
      await expectStytchError(res, 401, 'unauthorized_credentials');
    }
  });
});

describe('SDK sessions', () => {
  it('authenticates the session named by the Basic password, then revokes it (no body)', async () => {
    const login = await sdkSignIn();
    const auth = (await expectStytchOk(await sdk(built, 'POST', '/sdk/v1/sessions/authenticate', {}, login.session_token))).data;
    expect(auth).toMatchObject({ status_code: 200, session_token: login.session_token, user: { user_id: STYTCH_USERS.alice } });
    expect(auth.session.session_id).toBe(login.session.session_id);

    const revoked = await built.app.request('/sdk/v1/sessions/revoke', {
      method: 'POST',
      headers: { authorization: basic(PUBLIC_TOKEN, login.session_token), 'content-type': 'application/json' },
    });
    expect((await expectStytchOk(revoked)).data).toEqual({ request_id: expect.stringMatching(/^request-id-test-/), status_code: 200 });
    await expectStytchError(await sdk(built, 'POST', '/sdk/v1/sessions/authenticate', {}, login.session_token), 404, 'session_not_found');
    await expectStytchError(await sdk(built, 'POST', '/sdk/v1/sessions/revoke', undefined, login.session_token), 404, 'session_not_found');
  });

  it('has no session when the password is the public token', async () => {
    await expectStytchError(await sdk(built, 'POST', '/sdk/v1/sessions/authenticate', {}), 404, 'session_not_found');
  });

  it('extends with session_duration_minutes', async () => {
    const login = await sdkSignIn();
    const auth = (await expectStytchOk(await sdk(built, 'POST', '/sdk/v1/sessions/authenticate', { session_duration_minutes: 120 }, login.session_token))).data;
    expect(Date.parse(auth.session.expires_at)).toBeGreaterThan(Date.parse(login.session.expires_at));
  });
});

describe('bootstrap and telemetry', () => {
  it('bootstraps with PKCE required, no CNAME and password_config present', async () => {
    const body = await expectStytchOk(await request(built, 'GET', `/sdk/v1/projects/bootstrap/${PUBLIC_TOKEN}`));
    expect(body.data).toMatchObject({ status_code: 200, request_id: expect.stringMatching(/^request-id-test-/), pkce_required_for_oauth: true, cname_domain: null, password_config: null });
    expect('password_config' in body.data).toBe(true);
    await expectStytchError(await request(built, 'GET', '/sdk/v1/projects/bootstrap/public-token-test-nope'), 404, 'public_token_not_found');
  });

  it('accepts telemetry', async () => {
    const res = await request(built, 'POST', '/sdk/v1/events', [{ event: 'x' }]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
  });
});

describe('CORS', () => {
  const ALLOWED = 'http://localhost:3000';

  it('answers the preflight for a registered origin', async () => {
    const res = await built.app.request('/sdk/v1/oauth/authenticate', {
      method: 'OPTIONS',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-sdk-client' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type, X-SDK-Client, X-SDK-Parent-Host');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, PUT, DELETE, OPTIONS');
    expect(res.headers.get('vary')).toContain('Origin');
  });

  it('gives other origins nothing', async () => {
    for (const origin of ['https://evil.test', 'null', 'http://localhost.evil.test:3000']) {
      const res = await built.app.request('/sdk/v1/oauth/authenticate', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      const get = await built.app.request(`/sdk/v1/projects/bootstrap/${PUBLIC_TOKEN}`, { headers: { origin } });
      expect(get.status).toBe(200);
      expect(get.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('echoes the origin on real responses, errors included', async () => {
    const ok = await built.app.request(`/sdk/v1/projects/bootstrap/${PUBLIC_TOKEN}`, { headers: { origin: ALLOWED } });
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    const error = await built.app.request('/sdk/v1/sessions/authenticate', {
      method: 'POST',
      body: '{}',
      headers: { origin: 'http://127.0.0.1:5173', authorization: basic(PUBLIC_TOKEN, 'nope'), 'content-type': 'application/json' },
    });
    expect(error.status).toBe(404);
    expect(error.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
  });
});
