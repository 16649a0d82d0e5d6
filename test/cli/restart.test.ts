/**
 * State survives a restart on the same database file: refresh tokens still rotate (once), access
 * tokens issued before still verify against the JWKS (same key, same kid), revoked sessions stay dead.
 */
import { describe, expect, it } from 'vitest';
import { OauthException } from '@workos-inc/node';
import { createRemoteJWKSet, jwtVerify } from 'jose';
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
    await fetch(workos.userManagement.getLogoutUrl({ sessionId: JSON.parse(Buffer.from(revoked.accessToken.split('.')[1], 'base64url').toString()).sid }), { redirect: 'manual' });
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
