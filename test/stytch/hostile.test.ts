/**
 * Hostile input on every Stytch endpoint: broken JSON, wrong types, missing fields, huge bodies, bad
 * headers, markup in query parameters. Always a Stytch-shaped 4xx (HTTP status = status_code), never a
 * 5xx, never unescaped HTML.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_TOKEN, REDIRECT, SECRET_AUTH, PUBLIC_AUTH, buildApp, expectStytchError, startUrl, type Built } from './helpers.js';

let built: Built;
beforeAll(async () => {
  built = await buildApp({ login: 'headless' });
});
afterAll(() => built.db.close());

const POST_ENDPOINTS: Array<[string, string]> = [
  ['/v1/oauth/authenticate', SECRET_AUTH],
  ['/v1/sessions/authenticate', SECRET_AUTH],
  ['/v1/sessions/revoke', SECRET_AUTH],
  ['/sdk/v1/oauth/authenticate', PUBLIC_AUTH],
  ['/sdk/v1/sessions/authenticate', PUBLIC_AUTH],
];

async function send(path: string, authorization: string | undefined, body: string, contentType = 'application/json'): Promise<Response> {
  return built.app.request(path, { method: 'POST', body, headers: { 'content-type': contentType, ...(authorization ? { authorization } : {}) } });
}

/** A 4xx in Stytch's envelope. */
async function expect4xx(res: Response): Promise<Record<string, unknown>> {
  expect(res.status, `${res.status}`).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  return expectStytchError(res, res.status);
}

describe('bodies', () => {
  const NOT_OBJECTS = ['{', '{"token": "x",}', 'null', '[]', '[1,2]', '"string"', '42', 'true', '\u0000\u0001'];
  const ODD_OBJECTS = ['{"token": {"$gt": ""}}', '{"token": ["a"]}', '{"token": 12}', '{"__proto__": {"admin": true}}', '{"constructor": {"prototype": 1}}'];

  for (const [path, auth] of POST_ENDPOINTS) {
    it(`${path}: bodies that are not JSON objects are 400 bad_request, odd objects a 4xx`, async () => {
      for (const body of NOT_OBJECTS) await expectStytchError(await send(path, auth, body), 400, 'bad_request');
      for (const body of ODD_OBJECTS) await expect4xx(await send(path, auth, body));
    });
  }

  it('wrong types of every field', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['/v1/oauth/authenticate', { token: 12 }, 'bad_request'],
      ['/v1/oauth/authenticate', {}, 'bad_request'],
      ['/v1/oauth/authenticate', { token: '' }, 'bad_request'],
      ['/v1/oauth/authenticate', { token: 'x', code_verifier: 1 }, 'bad_request'],
      ['/v1/oauth/authenticate', { token: 'x', session_duration_minutes: '60 minutes' }, 'invalid_session_duration_minutes'],
      ['/v1/oauth/authenticate', { token: 'x', session_duration_minutes: 1e308 }, 'invalid_session_duration_minutes'],
      ['/v1/oauth/authenticate', { token: 'x', session_custom_claims: 'claims' }, 'bad_request'],
      ['/v1/oauth/authenticate', { token: 'x', session_custom_claims: [1] }, 'bad_request'],
      ['/v1/oauth/authenticate', { token: 'x', session_token: { a: 1 } }, 'bad_request'],
      ['/v1/oauth/authenticate', { token: 'x'.repeat(10_000) }, 'bad_request'],
      ['/v1/sessions/authenticate', { session_token: 5 }, 'bad_request'],
      ['/v1/sessions/authenticate', { session_jwt: ['a'] }, 'bad_request'],
      ['/v1/sessions/authenticate', { session_jwt: 'a.b.c', session_duration_minutes: 0 }, 'invalid_session_duration_minutes'],
      ['/v1/sessions/revoke', { session_id: 5 }, 'bad_request'],
      ['/v1/sessions/revoke', { session_token: true }, 'bad_request'],
    ];
    for (const [path, body, type] of cases) {
      const res = await send(path, SECRET_AUTH, JSON.stringify(body));
      await expectStytchError(res, 400, type);
    }
  });

  it('a 1 MB body is refused before it is read', async () => {
    const huge = JSON.stringify({ token: 'x', session_custom_claims: { big: 'a'.repeat(1024 * 1024) } });
    for (const [path, auth] of POST_ENDPOINTS) await expect4xx(await send(path, auth, huge));
    await expect4xx(await send('/sdk/v1/events', undefined, huge));
  });

  it('form bodies are read, and still validated', async () => {
    const res = await send('/v1/oauth/authenticate', SECRET_AUTH, 'token=abc&session_duration_minutes=60', 'application/x-www-form-urlencoded');
    await expectStytchError(res, 404, 'oauth_token_not_found');
  });
});

describe('headers', () => {
  it('garbage Authorization headers are 401', async () => {
    const headers = ['', 'Basic', 'Basic ====', 'Basic \xff\xfe', `Basic ${Buffer.from('no-colon').toString('base64')}`, `Basic ${'A'.repeat(10_000)}`, 'Digest x'];
    for (const [path] of POST_ENDPOINTS) {
      for (const authorization of headers) {
        const res = await send(path, authorization || undefined, '{}');
        await expectStytchError(res, 401, 'unauthorized_credentials');
      }
    }
  });

  it('GET endpoints with credentials problems are 401, unknown routes 404, all Stytch-shaped', async () => {
    await expectStytchError(await built.app.request('/v1/users/user-test-x', { headers: { authorization: 'Basic x' } }), 401, 'unauthorized_credentials');
    await expect4xx(await built.app.request('/v1/nope'));
    await expect4xx(await built.app.request('/sdk/v1/nope', { method: 'POST' }));
    await expect4xx(await built.app.request('/v1/oauth/authenticate'));
  });
});

describe('markup in query parameters', () => {
  const XSS = '<script>alert(1)</script>';

  it('is never echoed unescaped, as JSON or HTML', async () => {
    const urls = [
      startUrl({ public_token: XSS, login_redirect_url: REDIRECT }),
      startUrl({ public_token: PUBLIC_TOKEN, login_redirect_url: `http://localhost:3000/${XSS}"><img src=x onerror=alert(1)>` }),
      startUrl({ public_token: PUBLIC_TOKEN, login_redirect_url: REDIRECT, code_challenge: XSS }),
      startUrl({ public_token: PUBLIC_TOKEN, login_redirect_url: XSS }),
      startUrl({ public_token: PUBLIC_TOKEN, login_redirect_url: REDIRECT }, encodeURIComponent(XSS)),
      `/sdk/v1/projects/bootstrap/${encodeURIComponent(XSS)}`,
      `/v1/sessions/jwks/${encodeURIComponent(XSS)}`,
      // Broken percent-encoding in the path and the query.
      '/sdk/v1/projects/bootstrap/%E0%A4%A',
      '/v1/public/oauth/%ZZ/start?public_token=%E0%A4%A&login_redirect_url=%',
      '/v1/sessions/jwks/%',
    ];
    for (const url of urls) {
      for (const accept of ['application/json', 'text/html,application/xhtml+xml']) {
        const res = await built.app.request(url, { headers: { accept } });
        expect(res.status, url).toBeGreaterThanOrEqual(400);
        expect(res.status, url).toBeLessThan(500);
        expect(res.headers.get('location')).toBeNull();
        const text = await res.text();
        expect(text).not.toContain('<script>alert');
        expect(text).not.toContain('<img');
        if (res.headers.get('content-type') === 'application/json') expect(JSON.parse(text).status_code).toBe(res.status);
        else expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      }
    }
  });

  it('a hint full of markup just decides nobody', async () => {
    const res = await built.app.request(startUrl({ public_token: PUBLIC_TOKEN, login_redirect_url: REDIRECT, provider_login_hint: XSS, custom_scopes: XSS }));
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^http:\/\/localhost:3000\/authenticate\?stytch_token_type=oauth&token=[\w-]{44}$/);
  });
});
