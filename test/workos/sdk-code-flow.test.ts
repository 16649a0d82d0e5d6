/**
 * WorkOS AuthKit end to end over real HTTP: the CLI-started server driven by the official
 * `@workos-inc/node` SDK, tokens verified with jose against the JWKS URL the SDK builds.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OauthException, type WorkOS } from '@workos-inc/node';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { startCli, type CliServer } from '../helpers/cli.js';
import { rejection, workosAuthorize } from '../helpers/control.js';
import { workosClient } from '../helpers/workos.js';

let server: CliServer;
let workos: WorkOS;

beforeAll(async () => {
  server = await startCli(['--login', 'headless']);
  workos = workosClient(server.ready);
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

async function login(loginHint?: string) {
  const { query, codeVerifier, state } = await workosAuthorize(server.ready, loginHint);
  expect(query.get('state')).toBe(state);
  return { code: query.get('code')!, codeVerifier };
}

describe('authorization code flow with PKCE', () => {
  it('logs in, refreshes, rejects replays and logs out', async () => {
    const { code, codeVerifier } = await login('alice@acme.test');
    const auth = await workos.userManagement.authenticateWithCode({ clientId: server.ready.workos.client_id, code, codeVerifier });

    expect(auth.user).toMatchObject({ object: 'user', email: 'alice@acme.test', firstName: 'Alice', lastName: 'Liddell', emailVerified: true });
    expect(auth.organizationId).toBe('org_01MOCKACME0000000000000000');
    expect(auth.authenticationMethod).toBe('GoogleOAuth');
    expect(auth.oauthTokens).toEqual({
      accessToken: 'ya29.mock-alice-google-access-token',
      refreshToken: '1//mock-alice-google-refresh-token',
      expiresAt: 1893456000,
      scopes: ['openid', 'email', 'profile'],
    });
    expect(auth.impersonator).toBeUndefined();

    // The JWKS URL the SDK builds, fetched by jose exactly as apps do.
    const jwksUrl = workos.userManagement.getJwksUrl(server.ready.workos.client_id);
    expect(jwksUrl).toBe(server.ready.workos.jwks_url);
    const jwks = createRemoteJWKSet(new URL(jwksUrl));
    const { payload, protectedHeader } = await jwtVerify(auth.accessToken, jwks, { issuer: server.ready.url });
    expect(protectedHeader.alg).toBe('RS256');
    expect(protectedHeader.kid).toMatch(/^sso_oidc_key_pair_/);
    expect(payload).toMatchObject({
      sub: auth.user.id,
      org_id: 'org_01MOCKACME0000000000000000',
      role: 'admin',
      roles: ['admin'],
      permissions: ['posts:read', 'posts:write', 'members:manage'],
    });
    expect(payload.sid).toMatch(/^session_/);
    expect(typeof payload.jti).toBe('string');
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(payload.aud).toBeUndefined();
    expect(payload.act).toBeUndefined();

    const refreshed = await workos.userManagement.authenticateWithRefreshToken({ clientId: server.ready.workos.client_id, refreshToken: auth.refreshToken });
    expect(refreshed.refreshToken).not.toBe(auth.refreshToken);
    expect(refreshed.authenticationMethod).toBe('GoogleOAuth');
    expect(decodeJwt(refreshed.accessToken).sid).toBe(payload.sid);

    const reused = await rejection(workos.userManagement.authenticateWithRefreshToken({ clientId: server.ready.workos.client_id, refreshToken: auth.refreshToken }));
    expect(reused).toBeInstanceOf(OauthException);
    expect(reused).toMatchObject({ status: 400, error: 'invalid_grant', errorDescription: 'Refresh token already exchanged.' });

    const replayed = await rejection(workos.userManagement.authenticateWithCode({ clientId: server.ready.workos.client_id, code, codeVerifier }));
    expect(replayed).toBeInstanceOf(OauthException);
    expect(replayed).toMatchObject({ status: 400, error: 'invalid_grant', errorDescription: `The code '${code}' has expired or is invalid.` });

    const second = await login('bob@acme.test');
    const wrongVerifier = await rejection(
      workos.userManagement.authenticateWithCode({ clientId: server.ready.workos.client_id, code: second.code, codeVerifier: 'x'.repeat(43) }),
    );
    expect(wrongVerifier).toBeInstanceOf(OauthException);
    expect(wrongVerifier).toMatchObject({ error: 'invalid_grant' });

    const logoutUrl = workos.userManagement.getLogoutUrl({ sessionId: payload.sid as string, returnTo: 'http://localhost:3000/' });
    const logout = await fetch(logoutUrl, { redirect: 'manual' });
    expect(logout.status).toBe(302);
    expect(logout.headers.get('location')).toBe('http://localhost:3000/');

    const afterLogout = await rejection(workos.userManagement.authenticateWithRefreshToken({ clientId: server.ready.workos.client_id, refreshToken: refreshed.refreshToken }));
    expect(afterLogout).toBeInstanceOf(OauthException);
    expect(afterLogout).toMatchObject({ error: 'invalid_grant' });

    const sessions = await workos.userManagement.listSessions(auth.user.id);
    const ended = sessions.data.find((s) => s.id === payload.sid);
    expect(ended).toMatchObject({ status: 'revoked', authMethod: 'oauth', userId: auth.user.id });
    expect(ended?.endedAt).toEqual(expect.any(String));
  });

  it('the redirect back to the app is an empty body framed by its length, not a chunked one', async () => {
    const url = workos.userManagement.getAuthorizationUrl({ clientId: server.ready.workos.client_id, redirectUri: 'http://localhost:3000/callback', provider: 'authkit', loginHint: 'alice@acme.test' });
    const headers = await new Promise<Record<string, string | string[] | undefined>>((resolve, reject) => {
      request(url, (response) => {
        expect(response.statusCode).toBe(302);
        response.resume();
        response.on('end', () => resolve(response.headers));
      })
        .on('error', reject)
        .end();
    });
    expect(headers['content-length']).toBe('0');
    expect(headers['transfer-encoding']).toBeUndefined();
    expect(new URL(headers.location as string).searchParams.get('code')).toMatch(/^[0-9A-Z]{42}$/);
  });

  it('a public client (no API key) completes PKCE with authenticateWithCodeAndVerifier', async () => {
    const publicClient = workosClient(server.ready, { apiKey: false });
    const { code, codeVerifier } = await login('bob@acme.test');
    const auth = await publicClient.userManagement.authenticateWithCodeAndVerifier({ clientId: server.ready.workos.client_id, code, codeVerifier });
    expect(auth.user.email).toBe('bob@acme.test');
    expect(auth.authenticationMethod).toBe('Password');
    expect(auth.oauthTokens).toBeUndefined();
    const refreshed = await publicClient.userManagement.authenticateWithRefreshToken({ clientId: server.ready.workos.client_id, refreshToken: auth.refreshToken });
    expect(refreshed.user.id).toBe(auth.user.id);
  });

  it('an organization switch on refresh needs a membership; the same organization is a no-op', async () => {
    const { code, codeVerifier } = await login('carol@globex.test');
    const clientId = server.ready.workos.client_id;
    const auth = await workos.userManagement.authenticateWithCode({ clientId, code, codeVerifier });
    expect(auth.organizationId).toBe('org_01MOCKGLOBEX00000000000000');
    const same = await workos.userManagement.authenticateWithRefreshToken({ clientId, refreshToken: auth.refreshToken, organizationId: auth.organizationId });
    expect(same.organizationId).toBe(auth.organizationId);
    const switched = await workos.userManagement.authenticateWithRefreshToken({ clientId, refreshToken: same.refreshToken, organizationId: 'org_01MOCKACME0000000000000000' });
    expect(switched.organizationId).toBe('org_01MOCKACME0000000000000000');
    expect(decodeJwt(switched.accessToken)).toMatchObject({ org_id: 'org_01MOCKACME0000000000000000', role: 'member', permissions: ['posts:read'] });

    const bob = await login('bob@acme.test');
    const bobAuth = await workos.userManagement.authenticateWithCode({ clientId, code: bob.code, codeVerifier: bob.codeVerifier });
    const denied = await rejection(workos.userManagement.authenticateWithRefreshToken({ clientId, refreshToken: bobAuth.refreshToken, organizationId: 'org_01MOCKGLOBEX00000000000000' }));
    expect(denied).toBeInstanceOf(OauthException);
    expect(denied).toMatchObject({ error: 'organization_membership_not_found' });
    // The refused switch did not burn the refresh token.
    const stillWorks = await workos.userManagement.authenticateWithRefreshToken({ clientId, refreshToken: bobAuth.refreshToken });
    expect(stillWorks.organizationId).toBe('org_01MOCKACME0000000000000000');
  });
});

describe('queued next-login', () => {
  it('carries an impersonator and provider tokens into one login only', async () => {
    const clientId = server.ready.workos.client_id;
    const queued = await fetch(`${server.ready.url}/_mock/next-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        user: 'bob@acme.test',
        impersonator: { email: 'support@acme.test', reason: 'ticket 42' },
        oauth: { provider: 'GitHubOAuth', access_token: 'gho_queued', refresh_token: 'ghr_queued', expires_at: 1900000000, scopes: ['repo'] },
      }),
    });
    expect(queued.status).toBe(201);
    expect(await queued.json()).toEqual({ id: expect.stringMatching(/^next_login_/) });

    // No login_hint: the queued user wins.
    const first = await login();
    const auth = await workos.userManagement.authenticateWithCode({ clientId, code: first.code, codeVerifier: first.codeVerifier });
    expect(auth.user.email).toBe('bob@acme.test');
    expect(auth.impersonator).toEqual({ email: 'support@acme.test', reason: 'ticket 42' });
    expect(auth.oauthTokens).toEqual({ accessToken: 'gho_queued', refreshToken: 'ghr_queued', expiresAt: 1900000000, scopes: ['repo'] });
    expect(auth.authenticationMethod).toBe('Impersonation');
    expect(decodeJwt(auth.accessToken).act).toEqual({ sub: 'support@acme.test' });

    // The refresh keeps the impersonation (it belongs to the session), but not the provider tokens.
    const refreshed = await workos.userManagement.authenticateWithRefreshToken({ clientId, refreshToken: auth.refreshToken });
    expect(refreshed.impersonator).toEqual({ email: 'support@acme.test', reason: 'ticket 42' });
    expect(decodeJwt(refreshed.accessToken).act).toEqual({ sub: 'support@acme.test' });

    const next = await login('bob@acme.test');
    const plain = await workos.userManagement.authenticateWithCode({ clientId, code: next.code, codeVerifier: next.codeVerifier });
    expect(plain.impersonator).toBeUndefined();
    expect(plain.oauthTokens).toBeUndefined();
    expect(decodeJwt(plain.accessToken).act).toBeUndefined();
  });

  it('a scenario applies its impersonator', async () => {
    const clientId = server.ready.workos.client_id;
    await fetch(`${server.ready.url}/_mock/next-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scenario: 'support-impersonates-alice' }) });
    const { code, codeVerifier } = await login();
    const auth = await workos.userManagement.authenticateWithCode({ clientId, code, codeVerifier });
    expect(auth.user.email).toBe('alice@acme.test');
    expect(auth.impersonator).toEqual({ email: 'support@acme.test', reason: 'ticket 42' });
  });

  it('a queued error goes back to the app as error/error_description/state', async () => {
    await fetch(`${server.ready.url}/_mock/next-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: { error: 'access_denied', error_description: 'The user declined.' } }),
    });
    const { query, state } = await workosAuthorize(server.ready);
    expect(Object.fromEntries(query)).toEqual({ error: 'access_denied', error_description: 'The user declined.', state });
  });
});

describe('API-key endpoints through the SDK', () => {
  it('reads users, memberships and organizations', async () => {
    const user = await workos.userManagement.getUser('user_01MOCKCAROL000000000000000');
    expect(user).toMatchObject({ email: 'carol@globex.test', name: 'Carol Danvers' });
    const memberships = await workos.userManagement.listOrganizationMemberships({ userId: user.id, statuses: ['active', 'inactive'] });
    expect(memberships.data.map((m) => [m.organizationName, m.role.slug, m.status]).sort()).toEqual([
      ['Acme', 'member', 'active'],
      ['Globex', 'admin', 'active'],
    ]);
    const org = await workos.organizations.getOrganization('org_01MOCKACME0000000000000000');
    expect(org).toMatchObject({ name: 'Acme', domains: [expect.objectContaining({ domain: 'acme.test', state: 'verified' })] });
    const users = await workos.userManagement.listUsers({ email: 'alice@acme.test' });
    expect(users.data.map((u) => u.id)).toEqual(['user_01MOCKALICE000000000000000']);
  });

  it('revokeSession ends a session', async () => {
    const clientId = server.ready.workos.client_id;
    const { code, codeVerifier } = await login('alice@acme.test');
    const auth = await workos.userManagement.authenticateWithCode({ clientId, code, codeVerifier });
    await workos.userManagement.revokeSession({ sessionId: decodeJwt(auth.accessToken).sid as string });
    const error = await rejection(workos.userManagement.authenticateWithRefreshToken({ clientId, refreshToken: auth.refreshToken }));
    expect(error).toMatchObject({ error: 'invalid_grant' });
  });

  it('isValidJwt and the JWKS header are what the SDK expects', async () => {
    const { code, codeVerifier } = await login('alice@acme.test');
    const auth = await workos.userManagement.authenticateWithCode({ clientId: server.ready.workos.client_id, code, codeVerifier });
    expect(decodeProtectedHeader(auth.accessToken).kid).toBeTruthy();
    const jwks = await fetch(server.ready.workos.jwks_url);
    expect(jwks.status).toBe(200);
    expect(jwks.headers.get('content-type')).toBe('application/json');
  });
});
