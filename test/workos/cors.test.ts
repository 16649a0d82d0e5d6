/**
 * Credentialed CORS on the WorkOS endpoints a browser calls (authkit-js: `POST
 * /user_management/authenticate`; the JWKS): preflights, the exact origin echoed (never `*`),
 * `Allow-Credentials`, `Vary: Origin`, and origins limited to the named client's redirect URIs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, AUTH, CLIENT_ID, authorizeCode, buildApp, call, expectJson, type Built } from '../helpers/app.js';
import { startMockAuthKit } from '../../src/server.js';

/** A second client that registers one exact callback on port 3000 only. */
const STRICT_CLIENT = 'client_01STRICTCORS00000000000';
const STRICT_KEY = 'sk_test_strict_cors_000000000000';
const SPA = 'http://localhost:5173';
const STRICT_ORIGIN = 'https://app.strict.test';

let built: Built;
beforeAll(async () => {
  built = await buildApp({ login: 'headless' });
  await expectJson(
    await call(built, 'POST', '/_mock/fixtures', {
      workos: { clients: [{ client_id: STRICT_CLIENT, api_key: STRICT_KEY, redirect_uris: [`${STRICT_ORIGIN}/callback`] }] },
    }),
    200,
  );
});
afterAll(() => built.db.close());

function preflight(path: string, origin?: string, requestHeaders = 'content-type'): Promise<Response> {
  return Promise.resolve(
    built.app.request(path, {
      method: 'OPTIONS',
      headers: { ...(origin ? { origin } : {}), 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders },
    }),
  );
}

function post(body: unknown, origin?: string, as: 'json' | 'form' = 'json'): Promise<Response> {
  return Promise.resolve(
    built.app.request('/user_management/authenticate', {
      method: 'POST',
      body: as === 'json' ? JSON.stringify(body) : new URLSearchParams(body as Record<string, string>).toString(),
      headers: {
        'content-type': as === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
        accept: 'application/json, text/plain, */*',
        ...(origin ? { origin } : {}),
      },
    }),
  );
}

function expectAllowed(res: Response, origin: string) {
  expect(res.headers.get('access-control-allow-origin')).toBe(origin);
  expect(res.headers.get('access-control-allow-credentials')).toBe('true');
  expect(res.headers.get('vary')).toMatch(/\bOrigin\b/);
}

function expectNoCors(res: Response) {
  expect(res.headers.get('access-control-allow-origin')).toBeNull();
  expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  expect(res.headers.get('vary')).toMatch(/\bOrigin\b/);
}

describe('preflight (OPTIONS)', () => {
  it('answers a registered origin with its exact origin, credentials, the headers authkit-js sends and POST', async () => {
    const res = await preflight('/user_management/authenticate', SPA);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expectAllowed(res, SPA);
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase().split(/\s*,\s*/)).toEqual(expect.arrayContaining(['content-type', 'accept', 'authorization']));
    expect(res.headers.get('access-control-allow-methods')).toMatch(/\bPOST\b/);
    expect(res.headers.get('access-control-max-age')).toMatch(/^\d+$/);
  });

  it('allows an origin registered by any client (a preflight names none)', async () => {
    expectAllowed(await preflight('/user_management/authenticate', STRICT_ORIGIN), STRICT_ORIGIN);
    expectAllowed(await preflight('/user_management/authenticate', 'http://127.0.0.1:8080'), 'http://127.0.0.1:8080');
  });

  it('gives an unregistered origin, a null origin or no origin no CORS headers (and never *)', async () => {
    for (const origin of ['https://evil.test', 'http://localhost.evil.test:3000', 'https://localhost:3000', 'null', 'http://localhost:3000/path', undefined]) {
      const res = await preflight('/user_management/authenticate', origin);
      expect(res.status).toBe(204);
      expectNoCors(res);
      expect(res.headers.get('access-control-allow-methods')).toBeNull();
    }
  });

  it('covers both JWKS paths', async () => {
    expectAllowed(await preflight(`/sso/jwks/${CLIENT_ID}`, SPA), SPA);
    expectAllowed(await preflight(`/user_management/sessions/jwks/${CLIENT_ID}`, SPA), SPA);
  });
});

describe('POST /user_management/authenticate from a page', () => {
  it('a PKCE code exchange without a secret (what authkit-js sends) gets the origin echoed', async () => {
    const { code, verifier } = await authorizeCode(built, { login_hint: 'alice@acme.test', redirect_uri: `${SPA}/callback` });
    const res = await post({ code, client_id: CLIENT_ID, grant_type: 'authorization_code', code_verifier: verifier }, SPA);
    const body = await expectJson(res, 200);
    expect(body.user.email).toBe('alice@acme.test');
    expectAllowed(res, SPA);
  });

  it('an error is readable by the page too (authkit-js reads error_description)', async () => {
    const res = await post({ grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: 'not-a-token' }, SPA);
    expect(await expectJson(res, 400)).toEqual({ error: 'invalid_grant', error_description: 'Invalid refresh token.' });
    expectAllowed(res, SPA);
    const invalid = await post({ client_id: CLIENT_ID }, SPA);
    expect(invalid.status).toBe(400);
    expectAllowed(invalid, SPA);
  });

  it('limits the origin to the redirect URIs of the client the body names (JSON or form)', async () => {
    const strict = { grant_type: 'refresh_token', client_id: STRICT_CLIENT, refresh_token: 'x' };
    expectNoCors(await post(strict, SPA));
    expectNoCors(await post(strict, SPA, 'form'));
    expectAllowed(await post(strict, STRICT_ORIGIN), STRICT_ORIGIN);
    expectAllowed(await post(strict, STRICT_ORIGIN, 'form'), STRICT_ORIGIN);
    // The default client does not register the strict client's origin.
    expectNoCors(await post({ grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: 'x' }, STRICT_ORIGIN));
  });

  it('falls back to "any client" when the body names no known client, and refuses other origins', async () => {
    expectAllowed(await post({ grant_type: 'refresh_token', refresh_token: 'x' }, SPA), SPA);
    expectAllowed(await post('not json', SPA), SPA);
    expectNoCors(await post({ grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: 'x' }, 'https://evil.test'));
  });

  it('a server-to-server call (no Origin) gets Vary: Origin and no CORS headers', async () => {
    const res = await post({ grant_type: 'refresh_token', client_id: CLIENT_ID, client_secret: API_KEY, refresh_token: 'x' });
    expect(res.status).toBe(400);
    expectNoCors(res);
  });
});

describe('JWKS and the rest', () => {
  it('the JWKS is readable from a registered origin of the client in the path', async () => {
    const res = await built.app.request(`/sso/jwks/${CLIENT_ID}`, { headers: { origin: SPA } });
    expect((await expectJson(res, 200)).keys).toHaveLength(1);
    expectAllowed(res, SPA);
    expectNoCors(await built.app.request(`/sso/jwks/${STRICT_CLIENT}`, { headers: { origin: SPA } }));
    expectAllowed(await built.app.request(`/user_management/sessions/jwks/${STRICT_CLIENT}`, { headers: { origin: STRICT_ORIGIN } }), STRICT_ORIGIN);
  });

  it('API-key endpoints and authorize get no CORS at all', async () => {
    const users = await call(built, 'GET', '/user_management/users', undefined, { ...AUTH, origin: SPA });
    expect(users.status).toBe(200);
    expect(users.headers.get('access-control-allow-origin')).toBeNull();
    const options = await built.app.request('/user_management/users', { method: 'OPTIONS', headers: { origin: SPA, 'access-control-request-method': 'GET' } });
    expect(options.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('over real HTTP', () => {
  // Served by Node, the headers go on Node's response rather than on the web Response (core/cors.ts):
  // check that path too, byte for byte as a browser sees it.
  it('echoes an allowed origin with credentials and Vary, and only Vary otherwise', async () => {
    const mock = await startMockAuthKit({ port: 0, db: ':memory:', login: 'headless', log: () => {} });
    try {
      const jwks = `${mock.url}/sso/jwks/${mock.workos.client_id}`;
      const allowed = await fetch(jwks, { headers: { origin: 'http://localhost:5173' } });
      expect(allowed.status).toBe(200);
      expect(Object.fromEntries([...allowed.headers].filter(([name]) => name.startsWith('access-control') || name === 'vary'))).toEqual({
        'access-control-allow-origin': 'http://localhost:5173',
        'access-control-allow-credentials': 'true',
        vary: 'Origin',
      });
      expect((await allowed.json()).keys).toHaveLength(1);
      for (const headers of [{ origin: 'https://evil.test' }, {}]) {
        const res = await fetch(jwks, { headers });
        expect(res.headers.get('vary')).toBe('Origin');
        expect(res.headers.get('access-control-allow-origin')).toBeNull();
        expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      }
      const refused = await fetch(`${mock.url}/user_management/authenticate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost:5173' },
        body: JSON.stringify({ grant_type: 'refresh_token', client_id: mock.workos.client_id, refresh_token: 'nope' }),
      });
      expect(refused.status).toBe(400);
      expect(refused.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
      expect(refused.headers.get('vary')).toBe('Origin');
    } finally {
      await mock.close();
    }
  });
});
