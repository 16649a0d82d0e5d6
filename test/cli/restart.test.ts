/**
 * State survives a restart on the same database file: refresh tokens still rotate (once), access
 * tokens issued before still verify against the JWKS (same key, same kid), revoked sessions stay dead.
 */
import { describe, expect, it } from 'vitest';
import { OauthException } from '@workos-inc/node';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { jwtPayload } from '../helpers/app.js';
import { startCli, tempDb } from '../helpers/cli.js';
import { followAuthorize, workosClient } from '../helpers/workos.js';

describe('restart with the same --db', () => {
  it('keeps sessions, refresh tokens and the signing key', async () => {
    const db = tempDb();
    const first = await startCli(['--db', db, '--login', 'headless']);
    const workos = workosClient(first.ready);
    const clientId = first.ready.workos.client_id;
    const login = async (client: typeof workos, hint: string) => {
      const { url, codeVerifier } = await client.userManagement.getAuthorizationUrlWithPKCE({ provider: 'authkit', redirectUri: 'http://127.0.0.1:8080/cb', clientId, loginHint: hint });
      const code = (await followAuthorize(url)).get('code')!;
      return client.userManagement.authenticateWithCode({ clientId, code, codeVerifier });
    };
    const alive = await login(workos, 'alice@acme.test');
    const revoked = await login(workos, 'bob@acme.test');
    await fetch(workos.userManagement.getLogoutUrl({ sessionId: jwtPayload(revoked.accessToken).sid }), { redirect: 'manual' });
    const jwksBefore = await (await fetch(first.ready.workos.jwks_url)).text();
    expect(await first.stop()).toBe(0);

    const second = await startCli(['--db', db, '--login', 'headless']);
    try {
      const again = workosClient(second.ready);
      expect(await (await fetch(second.ready.workos.jwks_url)).text()).toBe(jwksBefore);
      // The old token verifies against the new process's JWKS (the issuer moved with the port, so no iss check).
      const { payload } = await jwtVerify(alive.accessToken, createRemoteJWKSet(new URL(second.ready.workos.jwks_url)));
      expect(payload.sub).toBe(alive.user.id);

      const refreshed = await again.userManagement.authenticateWithRefreshToken({ clientId, refreshToken: alive.refreshToken });
      expect(refreshed.user.id).toBe(alive.user.id);
      await expect(again.userManagement.authenticateWithRefreshToken({ clientId, refreshToken: alive.refreshToken })).rejects.toBeInstanceOf(OauthException);
      await expect(again.userManagement.authenticateWithRefreshToken({ clientId, refreshToken: revoked.refreshToken })).rejects.toMatchObject({ error: 'invalid_grant' });
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});

describe('purging expired rows', () => {
  it('deletes expired codes, rotated refresh tokens and long-ended sessions, and nothing live', async () => {
    const { createMockAuthKit } = await import('../../src/server.js');
    const built = await createMockAuthKit({ db: ':memory:', login: 'headless', log: () => {} });
    try {
      const { app, ctx } = built;
      const count = (table: string) => (ctx.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      const authorize = async () =>
        new URL(
          (await app.request('/user_management/authorize?client_id=client_01MOCKAUTHKIT0000000000000&redirect_uri=http://localhost:3000/cb&response_type=code&login_hint=alice@acme.test')).headers.get('location')!,
        ).searchParams.get('code')!;
      const authenticate = async (body: Record<string, string>) =>
        (await app.request('/user_management/authenticate', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ client_id: 'client_01MOCKAUTHKIT0000000000000', client_secret: 'sk_test_mock_authkit_0000000000000000', ...body }),
        })).json();
      const first = await authenticate({ grant_type: 'authorization_code', code: await authorize() });
      const rotated = await authenticate({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
      await authorize(); // an unused code
      expect(count('authorization_codes')).toBe(2);
      expect(count('refresh_tokens')).toBe(2);

      expect(ctx.store.purgeExpired(Date.now())).toBe(0);
      // Eleven minutes later the unused and the used code are gone; the live refresh token stays.
      ctx.store.purgeExpired(Date.now() + 11 * 60_000);
      expect(count('authorization_codes')).toBe(0);
      // Two days later the rotated-away token is gone too; the current one still works.
      ctx.store.purgeExpired(Date.now() + 2 * 86_400_000);
      expect(count('refresh_tokens')).toBe(1);
      const again = await authenticate({ grant_type: 'refresh_token', refresh_token: rotated.refresh_token });
      expect(again.user.email).toBe('alice@acme.test');
      // A revoked session disappears a day after it ended, with its refresh tokens.
      ctx.store.revokeSession(jwtPayload(again.access_token).sid, Date.now());
      ctx.store.purgeExpired(Date.now() + 2 * 86_400_000);
      expect(count('sessions')).toBe(0);
      expect(count('refresh_tokens')).toBe(0);
    } finally {
      built.db.close();
    }
  });
});
