/**
 * `POST /v1/oauth/authenticate` in process: the exact response shape, provider values, PKCE, single use,
 * sessions (none / new / attached), custom claims, credentials.
 */
import { createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ISO_SECONDS,
  PROJECT_ID,
  REDIRECT,
  STYTCH_USERS,
  backend,
  basic,
  buildApp,
  expectStytchError,
  expectStytchOk,
  jwtHeader,
  jwtPayload,
  request,
  signIn,
  startToken,
  type Built,
  type Json,
} from './helpers.js';

let built: Built;
beforeAll(async () => {
  built = await buildApp({ login: 'headless' });
});
afterAll(() => built.db.close());

const authenticate = (body: unknown) => backend(built, 'POST', '/v1/oauth/authenticate', body);

const RESPONSE_KEYS = [
  'status_code',
  'request_id',
  'user_id',
  'provider_subject',
  'provider_type',
  'session_token',
  'session_jwt',
  'provider_values',
  'user',
  'reset_sessions',
  'oauth_user_registration_id',
  'user_session',
];

function expectUserShape(user: Json) {
  expect(user).toEqual({
    user_id: expect.stringMatching(/^user-test-/),
    status: 'active',
    created_at: expect.stringMatching(ISO_SECONDS),
    name: { first_name: expect.any(String), middle_name: '', last_name: expect.any(String) },
    emails: [{ email_id: expect.stringMatching(/^email-test-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/), email: expect.any(String), verified: true }],
    phone_numbers: [],
    webauthn_registrations: [],
    totps: [],
    crypto_wallets: [],
    biometric_registrations: [],
    providers: expect.any(Array),
    password: null,
    trusted_metadata: {},
    untrusted_metadata: {},
    is_locked: false,
    roles: ['stytch_user'],
  });
  for (const provider of user.providers)
    expect(provider).toEqual({
      provider_type: expect.any(String),
      provider_subject: expect.any(String),
      profile_picture_url: '',
      locale: '',
      oauth_user_registration_id: expect.stringMatching(/^oauth-user-test-/),
    });
}

describe('the success response', () => {
  it('has every field of the reference, typed, with Alice’s fixture provider tokens', async () => {
    const body = await signIn(built, 'alice@acme.test');
    expect(Object.keys(body).sort()).toEqual([...RESPONSE_KEYS].sort());
    expect(body).toMatchObject({
      status_code: 200,
      request_id: expect.stringMatching(/^request-id-test-/),
      user_id: STYTCH_USERS.alice,
      provider_subject: '104885251007036135001',
      provider_type: 'Google',
      session_token: expect.stringMatching(/^[A-Za-z0-9_-]{44}$/),
      session_jwt: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      reset_sessions: false,
      oauth_user_registration_id: expect.stringMatching(/^oauth-user-test-[0-9a-f-]{36}$/),
    });
    expect(body.provider_values).toEqual({
      access_token: 'ya29.mock-alice-google-access-token',
      refresh_token: '1//mock-alice-google-refresh-token',
      id_token: '',
      scopes: ['openid', 'email', 'profile'],
      expires_at: '2030-01-01T00:00:00Z',
    });
    expectUserShape(body.user);
    expect(body.user).toMatchObject({ user_id: STYTCH_USERS.alice, name: { first_name: 'Alice', last_name: 'Liddell' }, emails: [{ email: 'alice@acme.test' }] });
    expect(body.user.providers).toEqual([
      expect.objectContaining({ provider_type: 'Google', provider_subject: '104885251007036135001', oauth_user_registration_id: body.oauth_user_registration_id }),
    ]);

    const session = body.user_session;
    expect(session).toEqual({
      session_id: expect.stringMatching(/^session-test-[0-9a-f-]{36}$/),
      user_id: STYTCH_USERS.alice,
      started_at: expect.stringMatching(ISO_SECONDS),
      last_accessed_at: expect.stringMatching(ISO_SECONDS),
      expires_at: expect.stringMatching(ISO_SECONDS),
      attributes: { ip_address: '', user_agent: '' },
      custom_claims: {},
      roles: ['stytch_user'],
      authentication_factors: [
        {
          type: 'oauth',
          delivery_method: 'oauth_google',
          last_authenticated_at: expect.stringMatching(ISO_SECONDS),
          created_at: expect.stringMatching(ISO_SECONDS),
          updated_at: expect.stringMatching(ISO_SECONDS),
          google_oauth_factor: { id: body.oauth_user_registration_id, provider_subject: '104885251007036135001', email_id: body.user.emails[0].email_id },
        },
      ],
    });
    const lifetime = Date.parse(session.expires_at) - Date.parse(session.started_at);
    expect(Math.abs(lifetime - 60 * 60_000)).toBeLessThanOrEqual(1000);
  });

  it('signs a session JWT shaped like Stytch’s', async () => {
    const body = await signIn(built, 'alice@acme.test');
    const header = jwtHeader(body.session_jwt);
    expect(header).toEqual({ alg: 'RS256', kid: built.ctx.keys.forEnvironment('default').stytchKid, typ: 'JWT' });
    const [h, p, s] = body.session_jwt.split('.');
    expect(verify('RSA-SHA256', Buffer.from(`${h}.${p}`), createPublicKey({ key: built.ctx.keys.forEnvironment('default').stytchJwk as any, format: 'jwk' }), Buffer.from(s, 'base64url'))).toBe(true);
    const claims = jwtPayload(body.session_jwt);
    expect(claims).toEqual({
      aud: [PROJECT_ID],
      exp: claims.iat + 300,
      iat: expect.any(Number),
      nbf: claims.iat,
      iss: `stytch.com/${PROJECT_ID}`,
      sub: STYTCH_USERS.alice,
      'https://stytch.com/session': {
        id: body.user_session.session_id,
        started_at: body.user_session.started_at,
        last_accessed_at: body.user_session.last_accessed_at,
        expires_at: body.user_session.expires_at,
        attributes: { user_agent: '', ip_address: '' },
        authentication_factors: [
          {
            type: 'oauth',
            delivery_method: 'oauth_google',
            last_authenticated_at: expect.stringMatching(ISO_SECONDS),
            google_oauth_factor: { id: body.oauth_user_registration_id, provider_subject: body.provider_subject },
          },
        ],
        roles: ['stytch_user'],
      },
    });
    expect(Math.abs(claims.iat - Date.now() / 1000)).toBeLessThan(5);
  });

  it('makes provider values up (never null) for a user without tokens', async () => {
    const body = await signIn(built, 'bob@acme.test');
    expect(body.provider_values).toEqual({
      access_token: expect.stringMatching(/^mock-google-access-token-/),
      refresh_token: '',
      id_token: '',
      scopes: ['openid', 'email', 'profile'],
      expires_at: expect.stringMatching(ISO_SECONDS),
    });
    expect(body.provider_subject).toMatch(/^1\d{20}$/);
    // Stable for the user and provider.
    expect((await signIn(built, 'bob@acme.test')).provider_subject).toBe(body.provider_subject);
    expect((await signIn(built, 'bob@acme.test')).oauth_user_registration_id).toBe(body.oauth_user_registration_id);
  });

  it('returns a queued login’s provider tokens exactly, custom scopes on made-up ones', async () => {
    const oauth = { provider: 'GoogleOAuth', access_token: 'at-1', refresh_token: 'rt-1', id_token: 'idt-1', expires_at: 1900000000, scopes: ['a', 'b'], provider_subject: 'sub-42' };
    await request(built, 'POST', '/_mock/next-login', { user: 'carol@globex.test', oauth });
    const body = await signIn(built);
    expect(body.user_id).toBe(STYTCH_USERS.carol);
    expect(body.provider_subject).toBe('sub-42');
    expect(body.provider_values).toEqual({ access_token: 'at-1', refresh_token: 'rt-1', id_token: 'idt-1', scopes: ['a', 'b'], expires_at: '2030-03-17T17:46:40Z' });

    const { token, verifier } = await startToken(built, { provider_login_hint: 'bob@acme.test', custom_scopes: 'calendar.read drive.file' });
    const scoped = await expectStytchOk(await authenticate({ token, code_verifier: verifier }));
    expect(scoped.provider_values.scopes).toEqual(['openid', 'email', 'profile', 'calendar.read', 'drive.file']);
  });

  it('opens no session without session_duration_minutes', async () => {
    const { token, verifier } = await startToken(built, { provider_login_hint: 'carol@globex.test' });
    const body = await expectStytchOk(await authenticate({ token, code_verifier: verifier }));
    expect(body.session_token).toBe('');
    expect(body.session_jwt).toBe('');
    expect('user_session' in body).toBe(false);
    expect(Object.keys(body).sort()).toEqual(RESPONSE_KEYS.filter((k) => k !== 'user_session').sort());
  });

  it('keeps an impersonator on the stored session, off the wire', async () => {
    await request(built, 'POST', '/_mock/next-login', { scenario: 'support-impersonates-alice' });
    const body = await signIn(built);
    expect(JSON.stringify(body)).not.toContain('support@acme.test');
    expect(built.ctx.store.getSession(body.user_session.session_id)?.impersonator).toEqual({ email: 'support@acme.test', reason: 'ticket 42' });
  });
});

describe('tokens and PKCE', () => {
  it('is single use', async () => {
    const { token, verifier } = await startToken(built);
    await expectStytchOk(await authenticate({ token, code_verifier: verifier }));
    await expectStytchError(await authenticate({ token, code_verifier: verifier }), 404, 'oauth_token_not_found');
  });

  it('lets exactly one of racing redemptions win', async () => {
    const { token, verifier } = await startToken(built);
    const results = await Promise.all(Array.from({ length: 8 }, () => authenticate({ token, code_verifier: verifier, session_duration_minutes: 5 })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 404, 404, 404, 404, 404, 404, 404]);
  });

  it('rejects unknown tokens', async () => {
    await expectStytchError(await authenticate({ token: 'rM_kw42CWBhsHLF62V75jELMbvJ87njMe3tFVj7Qupu7' }), 404, 'oauth_token_not_found');
  });

  it('checks the verifier against the stored challenge without burning the token', async () => {
    const { token, verifier } = await startToken(built);
    await expectStytchError(await authenticate({ token }), 400, 'pkce_expected_code_verifier');
    await expectStytchError(await authenticate({ token, code_verifier: `${verifier}x` }), 400, 'pkce_mismatch');
    await expectStytchOk(await authenticate({ token, code_verifier: verifier }));
  });

  it('rejects a verifier when the flow had no challenge, accepts none', async () => {
    const start = async () => {
      const res = await built.app.request(`/v1/public/oauth/google/start?public_token=${encodeURIComponent('public-token-test-00000000-0000-4000-8000-000000000000')}&login_redirect_url=${encodeURIComponent(REDIRECT)}`);
      return new URL(res.headers.get('location')!).searchParams.get('token')!;
    };
    await expectStytchError(await authenticate({ token: await start(), code_verifier: 'abc' }), 400, 'pkce_did_not_expect_code_verifier');
    await expectStytchOk(await authenticate({ token: await start() }));
  });
});

describe('credentials', () => {
  it('requires project_id:secret', async () => {
    const { token, verifier } = await startToken(built);
    for (const authorization of [undefined, basic(PROJECT_ID, 'secret-test-wrong'), basic('project-test-nope', 'x'), 'Bearer x', 'Basic !!!', basic(PROJECT_ID, '')]) {
      const res = await request(built, 'POST', '/v1/oauth/authenticate', { token, code_verifier: verifier }, authorization ? { authorization } : {});
      const body = await expectStytchError(res, 401, 'unauthorized_credentials');
      expect(body.error_message).toBe('Unauthorized credentials.');
    }
    await expectStytchOk(await authenticate({ token, code_verifier: verifier }));
  });
});

describe('sessions through authenticate', () => {
  it('validates session_duration_minutes', async () => {
    for (const minutes of [4, 527041, 1.5, -60, 'sixty', true, {}]) {
      const { token, verifier } = await startToken(built);
      await expectStytchError(await authenticate({ token, code_verifier: verifier, session_duration_minutes: minutes }), 400, 'invalid_session_duration_minutes');
    }
    for (const minutes of [5, 527040]) {
      const { token, verifier } = await startToken(built);
      await expectStytchOk(await authenticate({ token, code_verifier: verifier, session_duration_minutes: minutes }));
    }
  });

  it('refuses session_token and session_jwt together', async () => {
    const { token, verifier } = await startToken(built);
    await expectStytchError(await authenticate({ token, code_verifier: verifier, session_token: 'a', session_jwt: 'b' }), 400, 'too_many_session_arguments');
  });

  it('adds the factor to an existing session of the same user', async () => {
    const first = await signIn(built, 'carol@globex.test');
    const { token, verifier } = await startToken(built, { provider_login_hint: 'carol@globex.test' }, 'github');
    const body = await expectStytchOk(await authenticate({ token, code_verifier: verifier, session_token: first.session_token }));
    expect(body.user_session.session_id).toBe(first.user_session.session_id);
    expect(body.session_token).toBe(first.session_token);
    expect(body.user_session.expires_at).toBe(first.user_session.expires_at);
    expect(body.user_session.authentication_factors.map((f: Json) => f.delivery_method)).toEqual(['oauth_google', 'oauth_github']);
    expect(body.user.providers.map((p: Json) => p.provider_type)).toEqual(expect.arrayContaining(['Google', 'GitHub']));

    // By JWT too, extending the session.
    const again = await startToken(built, { provider_login_hint: 'carol@globex.test' });
    const extended = await expectStytchOk(await authenticate({ token: again.token, code_verifier: again.verifier, session_jwt: first.session_jwt, session_duration_minutes: 600 }));
    expect(extended.user_session.session_id).toBe(first.user_session.session_id);
    expect(Date.parse(extended.user_session.expires_at)).toBeGreaterThan(Date.parse(first.user_session.expires_at));
    expect(extended.user_session.authentication_factors).toHaveLength(2);
  });

  it('ignores a session of another user, and 404s a dead one', async () => {
    const alice = await signIn(built, 'alice@acme.test');
    const { token, verifier } = await startToken(built, { provider_login_hint: 'bob@acme.test' });
    const bob = await expectStytchOk(await authenticate({ token, code_verifier: verifier, session_token: alice.session_token, session_duration_minutes: 30 }));
    expect(bob.user_id).toBe(STYTCH_USERS.bob);
    expect(bob.user_session.session_id).not.toBe(alice.user_session.session_id);

    const next = await startToken(built);
    await expectStytchError(await authenticate({ token: next.token, code_verifier: next.verifier, session_token: 'x'.repeat(44) }), 404, 'session_not_found');
    // The token survived the failed attempt.
    await expectStytchOk(await authenticate({ token: next.token, code_verifier: next.verifier }));
  });

  it('puts custom claims in the session and the JWT; reserved ones are ignored', async () => {
    const body = await signIn(built, 'alice@acme.test', { session_custom_claims: { plan: 'pro', nested: { a: [1, 2] }, sub: 'evil', iss: 'evil', exp: 1 } });
    expect(body.user_session.custom_claims).toEqual({ plan: 'pro', nested: { a: [1, 2] } });
    const claims = jwtPayload(body.session_jwt);
    expect(claims).toMatchObject({ plan: 'pro', nested: { a: [1, 2] }, sub: STYTCH_USERS.alice, iss: `stytch.com/${PROJECT_ID}` });
    expect(claims.exp).toBe(claims.iat + 300);
  });

  it('limits custom claims to 4 KB and refuses Stytch’s namespace', async () => {
    let { token, verifier } = await startToken(built);
    await expectStytchError(
      await authenticate({ token, code_verifier: verifier, session_duration_minutes: 5, session_custom_claims: { big: 'x'.repeat(5000) } }),
      400,
      'custom_claims_too_large',
    );
    ({ token, verifier } = await startToken(built));
    await expectStytchError(
      await authenticate({ token, code_verifier: verifier, session_duration_minutes: 5, session_custom_claims: { 'https://stytch.com/session': {} } }),
      400,
      'stytch_claims_in_custom_claims',
    );
  });
});
