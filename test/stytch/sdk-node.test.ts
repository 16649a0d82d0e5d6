/**
 * Stytch consumer OAuth end to end over real HTTP with the official, unmodified `stytch` Node SDK
 * (pointed at the mock with `env: url + '/'`): start with PKCE → token → `oauth.authenticate` →
 * `sessions.authenticateJwt` (local verification against the JWKS) → `sessions.authenticate` →
 * `sessions.revoke`, replays and bad verifiers rejected as `StytchError`s, queued provider tokens, an
 * expired JWT refreshed remotely, and a session surviving a restart on the same database file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StytchError } from 'stytch';
import { startMockAuthKit, type MockAuthKit } from '../../src/server.js';
import { rejection as anyRejection, startTestMock, stopTestMock, stytchClient, stytchStart } from '../helpers/control.js';
import { REDIRECT } from './helpers.js';

let mock: MockAuthKit;
let client: Client;

beforeAll(async () => {
  // startTestMock silences the SDK's warning (once per client) that `env` is not one of its own URLs: that is the point here.
  mock = await startTestMock();
  client = stytchClient(mock);
});
afterAll(() => stopTestMock(mock));

/** What a frontend does: a PKCE pair, then a browser navigation to the start URL (followed by hand). */
async function startFlow(server: MockAuthKit, extra: Record<string, string> = {}) {
  const { location, verifier } = await stytchStart(server, extra);
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  expect(location.searchParams.get('stytch_token_type')).toBe('oauth');
  return { token: location.searchParams.get('token')!, verifier };
}

/** What `promise` rejected with, asserted to be a `StytchError`. */
async function rejection(promise: Promise<unknown>): Promise<StytchError> {
  const error = await anyRejection(promise);
  expect(error).toBeInstanceOf(StytchError);
  return error as StytchError;
}

describe('the stytch Node SDK against the mock', () => {
  it('logs in, verifies the JWT locally, authenticates, revokes', async () => {
    const { token, verifier } = await startFlow(mock, { provider_login_hint: 'alice@acme.test' });
    const auth = await client.oauth.authenticate({ token, session_duration_minutes: 60, code_verifier: verifier });

    expect(auth).toMatchObject({
      status_code: 200,
      user_id: 'user-test-a11ce000-0000-4000-8000-000000000001',
      provider_type: 'Google',
      provider_subject: '104885251007036135001',
      reset_sessions: false,
    });
    for (const key of ['request_id', 'user_id', 'provider_subject', 'provider_type', 'session_token', 'session_jwt', 'oauth_user_registration_id'] as const)
      expect(typeof auth[key], key).toBe('string');
    for (const key of ['access_token', 'refresh_token', 'id_token'] as const) expect(typeof auth.provider_values[key], key).toBe('string');
    expect(auth.provider_values).toEqual({
      access_token: 'ya29.mock-alice-google-access-token',
      refresh_token: '1//mock-alice-google-refresh-token',
      id_token: '',
      scopes: ['openid', 'email', 'profile'],
      expires_at: '2030-01-01T00:00:00Z',
    });
    expect(auth.user).toMatchObject({ user_id: auth.user_id, emails: [{ email: 'alice@acme.test', verified: true }], name: { first_name: 'Alice', last_name: 'Liddell' } });
    expect(auth.user_session).toMatchObject({ user_id: auth.user_id, roles: ['stytch_user'] });
    const sessionId = auth.user_session!.session_id;

    // Local verification: jose fetches /v1/sessions/jwks/<project_id> and checks aud, iss, typ, exp.
    const local = await client.sessions.authenticateJwtLocal({ session_jwt: auth.session_jwt });
    expect(local).toMatchObject({ session_id: sessionId, user_id: auth.user_id, roles: ['stytch_user'], custom_claims: {} });
    expect(local.authentication_factors[0]).toMatchObject({ type: 'oauth', delivery_method: 'oauth_google' });
    const viaJwt = await client.sessions.authenticateJwt({ session_jwt: auth.session_jwt });
    expect(viaJwt.session.session_id).toBe(sessionId);

    const remote = await client.sessions.authenticate({ session_token: auth.session_token });
    expect(remote.session.session_id).toBe(sessionId);
    expect(remote.session_token).toBe(auth.session_token);
    expect(remote.user.user_id).toBe(auth.user_id);

    const user = await client.users.get({ user_id: auth.user_id });
    expect(user).toMatchObject({ status_code: 200, user_id: auth.user_id, providers: [{ provider_type: 'Google' }] });

    const sessions = await client.sessions.get({ user_id: auth.user_id });
    expect(sessions.sessions.map((s) => s.session_id)).toContain(sessionId);

    const revoked = await client.sessions.revoke({ session_token: auth.session_token });
    expect(revoked.status_code).toBe(200);
    const dead = await rejection(client.sessions.authenticate({ session_token: auth.session_token }));
    expect(dead).toMatchObject({ status_code: 404, error_type: 'session_not_found' });
    // Forcing the remote check (max_token_age_seconds: 0) sees the revocation too.
    expect(await rejection(client.sessions.authenticateJwt({ session_jwt: auth.session_jwt, max_token_age_seconds: 0 }))).toMatchObject({
      error_type: 'session_not_found',
    });
  });

  it('rejects a replayed token and a wrong verifier', async () => {
    const { token, verifier } = await startFlow(mock);
    await client.oauth.authenticate({ token, code_verifier: verifier });
    expect(await rejection(client.oauth.authenticate({ token, code_verifier: verifier }))).toMatchObject({ status_code: 404, error_type: 'oauth_token_not_found' });

    const second = await startFlow(mock);
    expect(await rejection(client.oauth.authenticate({ token: second.token, code_verifier: `${second.verifier}-wrong` }))).toMatchObject({
      status_code: 400,
      error_type: 'pkce_mismatch',
    });
    expect(await rejection(client.oauth.authenticate({ token: second.token, code_verifier: second.verifier, session_duration_minutes: 1 }))).toMatchObject({
      error_type: 'invalid_session_duration_minutes',
    });
  });

  it('returns queued provider tokens exactly', async () => {
    const oauth = { provider: 'GoogleOAuth', access_token: 'ya29.queued', refresh_token: 'rt-queued', id_token: 'eyJ.queued', expires_at: 1900000000, scopes: ['openid', 'drive'], provider_subject: '99' };
    await mock.nextLogin({ user: 'bob@acme.test', oauth });
    const { token, verifier } = await startFlow(mock, { provider_login_hint: 'alice@acme.test' });
    const auth = await client.oauth.authenticate({ token, code_verifier: verifier, session_duration_minutes: 5 });
    expect(auth.user_id).toBe('user-test-b0b00000-0000-4000-8000-000000000002');
    expect(auth.provider_subject).toBe('99');
    expect(auth.provider_values).toEqual({ access_token: 'ya29.queued', refresh_token: 'rt-queued', id_token: 'eyJ.queued', scopes: ['openid', 'drive'], expires_at: '2030-03-17T17:46:40Z' });
  });

  it('refreshes an expired JWT of a live session remotely', async () => {
    // Mint the session ten minutes in the past: its JWT expired five minutes ago, the session lives on.
    mock.ctx.clock.advance('default', -10 * 60_000);
    let auth;
    try {
      const { token, verifier } = await startFlow(mock);
      auth = await client.oauth.authenticate({ token, code_verifier: verifier, session_duration_minutes: 60 });
    } finally {
      mock.ctx.clock.reset('default');
    }
    await expect(client.sessions.authenticateJwtLocal({ session_jwt: auth.session_jwt })).rejects.toMatchObject({ code: 'jwt_invalid' });
    const refreshed = await client.sessions.authenticateJwt({ session_jwt: auth.session_jwt });
    expect(refreshed.session.session_id).toBe(auth.user_session!.session_id);
    expect(refreshed.session_jwt).not.toBe(auth.session_jwt);
    await client.sessions.authenticateJwtLocal({ session_jwt: refreshed.session_jwt });
  });

  it('refuses a wrong secret', async () => {
    const wrong = new Client({ project_id: mock.stytch.project_id, secret: 'secret-test-wrong', env: `${mock.url}/` });
    const { token, verifier } = await startFlow(mock);
    expect(await rejection(wrong.oauth.authenticate({ token, code_verifier: verifier }))).toMatchObject({
      status_code: 401,
      error_type: 'unauthorized_credentials',
      error_message: 'Unauthorized credentials.',
    });
  });

  it('keeps sessions across a restart on the same database file', async () => {
    const { token, verifier } = await startFlow(mock, { provider_login_hint: 'carol@globex.test' });
    const auth = await client.oauth.authenticate({ token, code_verifier: verifier, session_duration_minutes: 60 });
    const jwks = await (await fetch(mock.stytch.jwks_url)).text();
    const dbFile = mock.db;
    await mock.close();

    mock = await startMockAuthKit({ port: 0, db: dbFile, login: 'headless', log: () => {} });
    client = stytchClient(mock);
    expect(await (await fetch(mock.stytch.jwks_url)).text()).not.toBe('');
    expect(JSON.parse(await (await fetch(mock.stytch.jwks_url)).text()).keys).toEqual(JSON.parse(jwks).keys);

    const after = await client.sessions.authenticate({ session_token: auth.session_token });
    expect(after.session.session_id).toBe(auth.user_session!.session_id);
    expect(after.session_token).toBe(auth.session_token);
    expect(after.user.providers.map((p) => p.provider_type)).toEqual(['Google']);
    // The JWT minted before the restart still verifies locally (same key, same kid).
    expect((await client.sessions.authenticateJwtLocal({ session_jwt: auth.session_jwt })).session_id).toBe(auth.user_session!.session_id);
  });
});
