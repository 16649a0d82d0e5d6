/**
 * `POST /user_management/authenticate`, in process: every failure of the reference §3.5 table that the
 * mock implements, with its exact status and envelope (`{error, error_description}` → the SDK's
 * `OauthException`; `{code, message}` where production uses it), and the single-use guarantees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACME,
  API_KEY,
  AUTH,
  CLIENT_ID,
  REDIRECT_URI,
  USERS,
  authenticate,
  authorizeCode,
  authorizeParams,
  authorizeUrl,
  buildApp,
  call,
  expectJson,
  expectRedirect,
  jwtPayload,
  signIn,
  type Built,
} from '../helpers/app.js';
import { secretKeys } from '../../src/core/ids.js';

const SECOND_CLIENT = 'client_01SECOND000000000000000';
const SECOND_KEY = 'sk_test_second_client_000000000000';

let built: Built;
beforeAll(async () => {
  built = await buildApp({ login: 'headless' });
  await expectJson(
    await call(built, 'POST', '/_mock/fixtures', {
      workos: { clients: [{ client_id: SECOND_CLIENT, api_key: SECOND_KEY, redirect_uris: ['http://localhost:*'] }] },
      users: [
        { email: 'pw@acme.test', first_name: 'Pat', password: 'correct horse battery staple', memberships: [{ organization_id: ACME, role: 'member' }] },
        { email: 'unverified@acme.test', password: 'pw-unverified', email_verified: false },
      ],
    }),
    200,
  );
});
afterAll(() => built.db.close());

const oauth = (status: number, error: string, error_description: string) => ({ status, body: { error, error_description } });

async function expectOAuthError(res: Response, expected: { status: number; body: Record<string, string> }) {
  expect(await expectJson(res, expected.status)).toEqual(expected.body);
}

/** A code grant body for `code` from the default client, with the API key as secret. */
const codeGrant = (code: string, extra: Record<string, unknown> = {}) => ({ grant_type: 'authorization_code', client_id: CLIENT_ID, client_secret: API_KEY, code, ...extra });

describe('request shape', () => {
  it('missing grant_type → invalid_request', async () => {
    await expectOAuthError(await authenticate(built, { client_id: CLIENT_ID }), oauth(400, 'invalid_request', 'grant_type is required.'));
    await expectOAuthError(await authenticate(built, { grant_type: '' }), oauth(400, 'invalid_request', 'grant_type is required.'));
  });

  it('empty body → invalid_request (grant_type is required)', async () => {
    await expectOAuthError(await authenticate(built, '', 'raw'), oauth(400, 'invalid_request', 'grant_type is required.'));
  });

  it('unknown grant_type → invalid_request naming it', async () => {
    await expectOAuthError(
      await authenticate(built, { grant_type: 'client_credentials', client_id: CLIENT_ID }),
      oauth(400, 'invalid_request', 'The grant type is not supported: client_credentials'),
    );
  });

  it('broken JSON → invalid_request', async () => {
    await expectOAuthError(await authenticate(built, '{"grant_type": "authorization_code",', 'raw'), oauth(400, 'invalid_request', 'The request body is not valid JSON.'));
  });

  it('a JSON array, string, number or null body → invalid_request', async () => {
    for (const body of ['[{"grant_type":"authorization_code"}]', '"authorization_code"', '42', 'null'])
      await expectOAuthError(await authenticate(built, body, 'raw'), oauth(400, 'invalid_request', 'The request body must be a JSON object.'));
  });

  it('wrong types → invalid_request naming the field', async () => {
    await expectOAuthError(await authenticate(built, { grant_type: 7 }), oauth(400, 'invalid_request', 'grant_type must be a string.'));
    await expectOAuthError(await authenticate(built, { grant_type: 'authorization_code', client_id: {} }), oauth(400, 'invalid_request', 'client_id must be a string.'));
    await expectOAuthError(await authenticate(built, codeGrant(123 as unknown as string)), oauth(400, 'invalid_request', 'code must be a string.'));
    await expectOAuthError(await authenticate(built, codeGrant('x', { code_verifier: ['a'] })), oauth(400, 'invalid_request', 'code_verifier must be a string.'));
    await expectOAuthError(await authenticate(built, codeGrant('x', { client_secret: true })), oauth(400, 'invalid_request', 'client_secret must be a string.'));
  });

  it('oversized fields → invalid_request, not a 500', async () => {
    await expectOAuthError(await authenticate(built, codeGrant('c'.repeat(501))), oauth(400, 'invalid_request', 'code is too long.'));
    await expectOAuthError(await authenticate(built, { grant_type: 'g'.repeat(201) }), oauth(400, 'invalid_request', 'grant_type is too long.'));
  });

  it('a 1 MB body → 413 in the WorkOS envelope', async () => {
    const huge = JSON.stringify({ grant_type: 'authorization_code', client_id: CLIENT_ID, padding: 'x'.repeat(1024 * 1024) });
    expect(await expectJson(await authenticate(built, huge, 'raw'), 413)).toEqual({ code: 'request_too_large', message: 'The request body is too large.' });
    const form = `grant_type=authorization_code&padding=${'x'.repeat(1024 * 1024)}`;
    const res = await built.app.request('/user_management/authenticate', { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(await expectJson(res, 413)).toEqual({ code: 'request_too_large', message: 'The request body is too large.' });
  });

  it('a form-encoded body works like JSON', async () => {
    const { code, verifier } = await authorizeCode(built, { login_hint: 'bob@acme.test' });
    const body = await expectJson(await authenticate(built, { ...codeGrant(code), code_verifier: verifier }, 'form'), 200);
    expect(body.user.id).toBe(USERS.bob);
  });
});

describe('client authentication', () => {
  it('missing client_id → invalid_request', async () => {
    await expectOAuthError(await authenticate(built, { grant_type: 'authorization_code', code: 'x' }), oauth(400, 'invalid_request', 'client_id is required.'));
  });

  it('unknown client → invalid_client', async () => {
    await expectOAuthError(
      await authenticate(built, { grant_type: 'authorization_code', client_id: 'client_nope', code: 'x' }),
      oauth(400, 'invalid_client', "Invalid client ID 'client_nope'."),
    );
  });

  it('wrong client_secret → invalid_client, and the code survives', async () => {
    const { code, verifier } = await authorizeCode(built);
    await expectOAuthError(await authenticate(built, codeGrant(code, { client_secret: 'sk_test_wrong', code_verifier: verifier })), oauth(400, 'invalid_client', 'Invalid client secret.'));
    // Another client's key is a wrong secret for this one.
    await expectOAuthError(await authenticate(built, codeGrant(code, { client_secret: SECOND_KEY, code_verifier: verifier })), oauth(400, 'invalid_client', 'Invalid client secret.'));
    await expectJson(await authenticate(built, codeGrant(code, { code_verifier: verifier })), 200);
  });
});

describe('grant_type=authorization_code', () => {
  it('a code redeemed behind this process (its row marked used, as another server on the file would) is refused', async () => {
    const { code, verifier } = await authorizeCode(built, { login_hint: 'alice@acme.test' });
    expect(built.db.prepare('UPDATE authorization_codes SET used_at = 1 WHERE code_hash = ?').run(secretKeys(code).key).changes).toBe(1);
    await expectOAuthError(await authenticate(built, codeGrant(code, { code_verifier: verifier })), oauth(400, 'invalid_grant', `The code '${code}' has expired or is invalid.`));
    const other = await authorizeCode(built, { login_hint: 'alice@acme.test' });
    expect(built.db.prepare('DELETE FROM authorization_codes WHERE code_hash = ?').run(secretKeys(other.code).key).changes).toBe(1);
    await expectOAuthError(await authenticate(built, codeGrant(other.code, { code_verifier: other.verifier })), oauth(400, 'invalid_grant', `The code '${other.code}' has expired or is invalid.`));
  });

  it('a code stored under its bare hash (an older database) is still redeemed exactly once', async () => {
    const { code, verifier } = await authorizeCode(built, { login_hint: 'alice@acme.test' });
    const { key, legacy } = secretKeys(code);
    expect(key).toBe(`${code.slice(0, 10)}${legacy}`);
    expect(built.db.prepare('UPDATE authorization_codes SET code_hash = ? WHERE code_hash = ?').run(legacy, key).changes).toBe(1);
    await expectJson(await authenticate(built, codeGrant(code, { code_verifier: verifier })), 200);
    await expectOAuthError(await authenticate(built, codeGrant(code, { code_verifier: verifier })), oauth(400, 'invalid_grant', `The code '${code}' has expired or is invalid.`));
  });

  it('success: the documented body', async () => {
    const { code, verifier } = await authorizeCode(built, { login_hint: 'alice@acme.test' });
    const body = await expectJson(await authenticate(built, codeGrant(code, { code_verifier: verifier })), 200);
    expect(Object.keys(body).sort()).toEqual(['access_token', 'authentication_method', 'oauth_tokens', 'organization_id', 'refresh_token', 'user']);
    expect(body.user).toMatchObject({
      object: 'user',
      id: USERS.alice,
      email: 'alice@acme.test',
      email_verified: true,
      first_name: 'Alice',
      last_name: 'Liddell',
      name: 'Alice Liddell',
      profile_picture_url: null,
      locale: null,
      external_id: null,
      metadata: {},
    });
    expect(body.user.last_sign_in_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(body.organization_id).toBe(ACME);
    expect(body.authentication_method).toBe('GoogleOAuth');
    expect(body.oauth_tokens).toEqual({
      provider: 'GoogleOAuth',
      access_token: 'ya29.mock-alice-google-access-token',
      refresh_token: '1//mock-alice-google-refresh-token',
      expires_at: 1893456000,
      scopes: ['openid', 'email', 'profile'],
    });
    expect(typeof body.refresh_token).toBe('string');
    const claims = jwtPayload(body.access_token);
    expect(claims).toMatchObject({ sub: USERS.alice, org_id: ACME, role: 'admin', roles: ['admin'], permissions: ['posts:read', 'posts:write', 'members:manage'] });
    expect(claims.sid).toMatch(/^session_[0-9A-Z]{26}$/);
    expect(claims.exp - claims.iat).toBe(300);
    expect(claims.aud).toBeUndefined();
  });

  it('missing code → invalid_request', async () => {
    await expectOAuthError(await authenticate(built, { grant_type: 'authorization_code', client_id: CLIENT_ID, client_secret: API_KEY }), oauth(400, 'invalid_request', 'code is required.'));
  });

  it('unknown code → invalid_grant with production wording', async () => {
    await expectOAuthError(await authenticate(built, codeGrant('01NOPE')), oauth(400, 'invalid_grant', "The code '01NOPE' has expired or is invalid."));
  });

  it('a used code → invalid_grant', async () => {
    const { code, verifier } = await authorizeCode(built);
    await expectJson(await authenticate(built, codeGrant(code, { code_verifier: verifier })), 200);
    await expectOAuthError(await authenticate(built, codeGrant(code, { code_verifier: verifier })), oauth(400, 'invalid_grant', `The code '${code}' has expired or is invalid.`));
  });

  it('an expired code (older than 10 minutes) → invalid_grant', async () => {
    const { code, verifier } = await authorizeCode(built);
    built.ctx.clock.advance('default', 11 * 60_000);
    try {
      await expectOAuthError(await authenticate(built, codeGrant(code, { code_verifier: verifier })), oauth(400, 'invalid_grant', `The code '${code}' has expired or is invalid.`));
    } finally {
      built.ctx.clock.reset('default');
    }
  });

  it('a code just under 10 minutes old still works', async () => {
    const { code, verifier } = await authorizeCode(built);
    built.ctx.clock.advance('default', 9 * 60_000);
    try {
      await expectJson(await authenticate(built, codeGrant(code, { code_verifier: verifier })), 200);
    } finally {
      built.ctx.clock.reset('default');
    }
  });

  it('a code issued to another client → invalid_grant (and still usable by its own client)', async () => {
    const { code, verifier } = await authorizeCode(built);
    await expectOAuthError(
      await authenticate(built, { grant_type: 'authorization_code', client_id: SECOND_CLIENT, client_secret: SECOND_KEY, code, code_verifier: verifier }),
      oauth(400, 'invalid_grant', `The code '${code}' has expired or is invalid.`),
    );
    await expectJson(await authenticate(built, codeGrant(code, { code_verifier: verifier })), 200);
  });

  it('the second client gets its own codes', async () => {
    const { code, verifier } = await authorizeCode(built, { client_id: SECOND_CLIENT });
    const body = await expectJson(await authenticate(built, { grant_type: 'authorization_code', client_id: SECOND_CLIENT, code, code_verifier: verifier }), 200);
    expect(body.user.id).toBe(USERS.alice);
  });

  it('redirect_uri different from the authorize one → invalid_grant; the same one → 200', async () => {
    const { code, verifier } = await authorizeCode(built);
    await expectOAuthError(
      await authenticate(built, codeGrant(code, { code_verifier: verifier, redirect_uri: 'http://localhost:3000/other' })),
      oauth(400, 'invalid_grant', `The code '${code}' has expired or is invalid.`),
    );
    await expectJson(await authenticate(built, codeGrant(code, { code_verifier: verifier, redirect_uri: REDIRECT_URI })), 200);
  });

  it('PKCE: missing verifier → invalid_request "code_verifier is required."', async () => {
    const { code } = await authorizeCode(built);
    await expectOAuthError(await authenticate(built, codeGrant(code)), oauth(400, 'invalid_request', 'code_verifier is required.'));
    await expectOAuthError(await authenticate(built, { grant_type: 'authorization_code', client_id: CLIENT_ID, code }), oauth(400, 'invalid_request', 'code_verifier is required.'));
  });

  it('PKCE: wrong verifier → invalid_grant', async () => {
    const { code } = await authorizeCode(built);
    await expectOAuthError(
      await authenticate(built, { grant_type: 'authorization_code', client_id: CLIENT_ID, code, code_verifier: 'w'.repeat(43) }),
      oauth(400, 'invalid_grant', `The code '${code}' has expired or is invalid.`),
    );
  });

  it('PKCE: plain is accepted (the verifier is the challenge), also when the method is omitted', async () => {
    const verifier = 'plain-verifier-0123456789-abcdefghijklmnopqrstuvwxyz';
    for (const method of ['plain', undefined]) {
      const location = await expectRedirect(await built.app.request(authorizeUrl(authorizeParams({ code_challenge: verifier, code_challenge_method: method }))));
      const code = location.searchParams.get('code')!;
      await expectOAuthError(
        await authenticate(built, { grant_type: 'authorization_code', client_id: CLIENT_ID, code, code_verifier: `${verifier}x` }),
        oauth(400, 'invalid_grant', `The code '${code}' has expired or is invalid.`),
      );
      await expectJson(await authenticate(built, { grant_type: 'authorization_code', client_id: CLIENT_ID, code, code_verifier: verifier }), 200);
    }
  });

  it('no secret and no challenge → invalid_client; with the secret → 200', async () => {
    const location = await expectRedirect(await built.app.request(authorizeUrl(authorizeParams())));
    const code = location.searchParams.get('code')!;
    await expectOAuthError(
      await authenticate(built, { grant_type: 'authorization_code', client_id: CLIENT_ID, code }),
      oauth(400, 'invalid_client', 'client_secret is required when the authorization request had no code_challenge.'),
    );
    await expectJson(await authenticate(built, codeGrant(code)), 200);
  });

  it('100 concurrent redemptions of one code → exactly one 200', async () => {
    const { code, verifier } = await authorizeCode(built);
    const responses = await Promise.all(Array.from({ length: 100 }, () => authenticate(built, codeGrant(code, { code_verifier: verifier }))));
    const bodies = await Promise.all(responses.map(async (res) => ({ status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Record<string, unknown> })));
    expect(bodies.filter((r) => r.status === 200)).toHaveLength(1);
    const losers = bodies.filter((r) => r.status !== 200);
    expect(losers).toHaveLength(99);
    for (const loser of losers)
      expect(loser).toEqual({ status: 400, type: 'application/json', body: { error: 'invalid_grant', error_description: `The code '${code}' has expired or is invalid.` } });
  });
});

describe('grant_type=refresh_token', () => {
  const refresh = (token: unknown, extra: Record<string, unknown> = {}) => authenticate(built, { grant_type: 'refresh_token', client_id: CLIENT_ID, client_secret: API_KEY, refresh_token: token, ...extra });

  it('is stored under its time prefix and hash; one stored under the bare hash (an older database) still rotates once', async () => {
    const first = await signIn(built);
    const { key, legacy } = secretKeys(first.refresh_token);
    expect(key).toBe(`${first.refresh_token.slice(0, 10)}${legacy}`);
    const stored = (token: string) => built.db.prepare('SELECT token_hash FROM refresh_tokens WHERE token_hash IN (?, ?)').pluck().get(...Object.values(secretKeys(token)));
    expect(stored(first.refresh_token)).toBe(key);
    const second = await expectJson(await refresh(first.refresh_token), 200);
    // Issued later, so its key sorts after: new rows go to the end of the index.
    expect((stored(second.refresh_token) as string) > key).toBe(true);
    built.db.prepare('UPDATE refresh_tokens SET token_hash = ? WHERE token_hash = ?').run(secretKeys(second.refresh_token).legacy, stored(second.refresh_token));
    expect(stored(second.refresh_token)).toBe(secretKeys(second.refresh_token).legacy);
    await expectJson(await refresh(second.refresh_token), 200);
    await expectOAuthError(await refresh(second.refresh_token), oauth(400, 'invalid_grant', 'Refresh token already exchanged.'));
  });

  it('rotates: the new token works, the old one is "already exchanged"', async () => {
    const first = await signIn(built, 'carol@globex.test');
    const second = await expectJson(await refresh(first.refresh_token), 200);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(jwtPayload(second.access_token).sid).toBe(jwtPayload(first.access_token).sid);
    expect(second.authentication_method).toBe(first.authentication_method);
    await expectOAuthError(await refresh(first.refresh_token), oauth(400, 'invalid_grant', 'Refresh token already exchanged.'));
    await expectJson(await refresh(second.refresh_token), 200);
  });

  it('missing or unknown token → invalid_request / invalid_grant', async () => {
    await expectOAuthError(await authenticate(built, { grant_type: 'refresh_token', client_id: CLIENT_ID }), oauth(400, 'invalid_request', 'refresh_token is required.'));
    await expectOAuthError(await refresh('not-a-token'), oauth(400, 'invalid_grant', 'Invalid refresh token.'));
    await expectOAuthError(await refresh(12), oauth(400, 'invalid_request', 'refresh_token must be a string.'));
  });

  it("another client's refresh token → invalid_grant", async () => {
    const first = await signIn(built);
    await expectOAuthError(
      await authenticate(built, { grant_type: 'refresh_token', client_id: SECOND_CLIENT, client_secret: SECOND_KEY, refresh_token: first.refresh_token }),
      oauth(400, 'invalid_grant', 'Invalid refresh token.'),
    );
  });

  it('after revoke (API) the session stays dead', async () => {
    const first = await signIn(built);
    const sid = jwtPayload(first.access_token).sid;
    expect(await expectJson(await call(built, 'POST', '/user_management/sessions/revoke', { session_id: sid }, AUTH), 200)).toEqual({});
    await expectOAuthError(await refresh(first.refresh_token), oauth(400, 'invalid_grant', 'Session has already ended.'));
  });

  it('after logout the session stays dead', async () => {
    const first = await signIn(built);
    const sid = jwtPayload(first.access_token).sid;
    expect(await expectJson(await call(built, 'GET', `/user_management/sessions/logout?session_id=${sid}`), 200)).toEqual({ success: true });
    await expectOAuthError(await refresh(first.refresh_token), oauth(400, 'invalid_grant', 'Session has already ended.'));
  });

  it('organization_id: same org is a no-op, a member org switches, a non-member org is refused', async () => {
    const first = await signIn(built, 'carol@globex.test');
    const same = await expectJson(await refresh(first.refresh_token, { organization_id: first.organization_id }), 200);
    expect(same.organization_id).toBe(first.organization_id);
    const other = first.organization_id === ACME ? 'org_01MOCKGLOBEX00000000000000' : ACME;
    const switched = await expectJson(await refresh(same.refresh_token, { organization_id: other }), 200);
    expect(switched.organization_id).toBe(other);
    expect(jwtPayload(switched.access_token).org_id).toBe(other);
    const bob = await signIn(built, 'bob@acme.test');
    await expectOAuthError(
      await refresh(bob.refresh_token, { organization_id: 'org_01MOCKGLOBEX00000000000000' }),
      oauth(400, 'organization_membership_not_found', "The user is not a member of organization 'org_01MOCKGLOBEX00000000000000'."),
    );
    // A refused switch does not burn the token.
    await expectJson(await refresh(bob.refresh_token), 200);
  });

  it('100 concurrent refreshes of one token → exactly one 200', async () => {
    const first = await signIn(built);
    const responses = await Promise.all(Array.from({ length: 100 }, () => refresh(first.refresh_token)));
    expect(responses.filter((res) => res.status === 200)).toHaveLength(1);
    for (const res of responses.filter((r) => r.status !== 200))
      expect(await expectJson(res, 400)).toEqual({ error: 'invalid_grant', error_description: 'Refresh token already exchanged.' });
  });

  it('refresh tokens of public clients work without a secret', async () => {
    const { code, verifier } = await authorizeCode(built);
    const first = await expectJson(await authenticate(built, { grant_type: 'authorization_code', client_id: CLIENT_ID, code, code_verifier: verifier }), 200);
    await expectJson(await authenticate(built, { grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: first.refresh_token }), 200);
  });
});

describe('grant_type=password', () => {
  const password = (email: unknown, pw: unknown, extra: Record<string, unknown> = {}) =>
    authenticate(built, { grant_type: 'password', client_id: CLIENT_ID, client_secret: API_KEY, email, password: pw, ...extra });

  it('right password → 200 with method Password and the org', async () => {
    const body = await expectJson(await password('pw@acme.test', 'correct horse battery staple'), 200);
    expect(body.user.email).toBe('pw@acme.test');
    expect(body.authentication_method).toBe('Password');
    expect(body.organization_id).toBe(ACME);
    expect(body.oauth_tokens).toBeUndefined();
  });

  it('wrong password or unknown email → 400 {code:"invalid_credentials"}', async () => {
    expect(await expectJson(await password('pw@acme.test', 'wrong'), 400)).toEqual({ code: 'invalid_credentials', message: "Invalid credentials for 'pw@acme.test'." });
    expect(await expectJson(await password('ghost@acme.test', 'x'), 400)).toEqual({ code: 'invalid_credentials', message: "Invalid credentials for 'ghost@acme.test'." });
    // A fixture user without a password cannot log in with one.
    expect(await expectJson(await password('alice@acme.test', ''), 400)).toEqual({ error: 'invalid_request', error_description: 'password is required.' });
    expect(await expectJson(await password('alice@acme.test', 'x'), 400)).toEqual({ code: 'invalid_credentials', message: "Invalid credentials for 'alice@acme.test'." });
  });

  it('an unverified email → 403 email_verification_required', async () => {
    const body = await expectJson(await password('unverified@acme.test', 'pw-unverified'), 403);
    expect(Object.keys(body).sort()).toEqual(['code', 'email', 'message', 'pending_authentication_token']);
    expect(body).toMatchObject({ code: 'email_verification_required', message: 'Email ownership must be verified before authentication.', email: 'unverified@acme.test' });
  });

  it('no secret → invalid_client; missing email → invalid_request', async () => {
    await expectOAuthError(
      await authenticate(built, { grant_type: 'password', client_id: CLIENT_ID, email: 'pw@acme.test', password: 'correct horse battery staple' }),
      oauth(400, 'invalid_client', 'client_secret is required for the password grant.'),
    );
    await expectOAuthError(await password(undefined, 'x'), oauth(400, 'invalid_request', 'email is required.'));
    await expectOAuthError(await password(['pw@acme.test'], 'x'), oauth(400, 'invalid_request', 'email must be a string.'));
  });
});
