/**
 * `GET /v1/public/oauth/:provider/start` in process: validation without redirects, the login decision
 * (queue → provider_login_hint → page/first user), the login page's Stytch completer, token expiry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_SLUGS } from '../../src/stytch/providers.js';
import {
  PUBLIC_TOKEN,
  REDIRECT,
  STYTCH_USERS,
  backend,
  buildApp,
  expectRedirect,
  expectStytchError,
  expectStytchOk,
  pkce,
  request,
  startToken,
  startUrl,
  type Built,
} from './helpers.js';

const OTHER = {
  project_id: 'project-test-11111111-1111-4111-8111-111111111111',
  secret: 'secret-test-other-project-secret',
  public_token: 'public-token-test-11111111-1111-4111-8111-111111111111',
  redirect_urls: ['http://localhost:4000/authenticate', 'http://localhost:4000/signup', 'com.example.app://oauth'],
};

let built: Built;
beforeAll(async () => {
  built = await buildApp({ login: 'headless' });
  expect((await request(built, 'POST', '/_mock/fixtures', { stytch: { projects: [OTHER] } })).status).toBe(200);
});
afterAll(() => built.db.close());

async function authenticatedUser(token: string, verifier: string, secretAuth?: string, app: Built = built) {
  const res = secretAuth
    ? await request(app, 'POST', '/v1/oauth/authenticate', { token, code_verifier: verifier }, { authorization: secretAuth })
    : await backend(app, 'POST', '/v1/oauth/authenticate', { token, code_verifier: verifier });
  return (await expectStytchOk(res)).user_id as string;
}

describe('start: the redirect', () => {
  it('sends the browser to the login redirect URL with stytch_token_type=oauth&token=<44 chars>', async () => {
    const { location } = await startToken(built);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.search).toMatch(/^\?stytch_token_type=oauth&token=[A-Za-z0-9_-]{44}$/);
  });

  it('appends with & to a redirect URL that already has a query (the KMP SDK wraps URLs that way)', async () => {
    const { challenge } = pkce();
    const wrapped = 'com.example.app://oauth?url=http%3A%2F%2Flocalhost%3A4000%2Fauthenticate';
    const res = await built.app.request(startUrl({ public_token: OTHER.public_token, login_redirect_url: wrapped, code_challenge: challenge }));
    expect(res.status).toBe(302);
    const location = res.headers.get('location')!;
    expect(location.startsWith(`${wrapped}&stytch_token_type=oauth&token=`)).toBe(true);
    expect(location.split('?')).toHaveLength(2);
  });

  it('builds a working URL for every provider the SDKs name', async () => {
    for (const provider of PROVIDER_SLUGS) {
      const { token, verifier } = await startToken(built, {}, provider);
      const body = await expectStytchOk(await backend(built, 'POST', '/v1/oauth/authenticate', { token, code_verifier: verifier, session_duration_minutes: 5 }));
      const factor = body.user_session.authentication_factors[0];
      expect(factor.delivery_method).toBe(`oauth_${provider}`);
      const key = Object.keys(factor).find((k) => k.endsWith('_oauth_factor'));
      expect(key, provider).toBeTruthy();
    }
  });

  it('uses the irregular factor keys and Stytch capitalisation', async () => {
    const expectations: Record<string, [string, string]> = {
      gitlab: ['GitLab', 'git_lab_oauth_factor'],
      linkedin: ['LinkedIn', 'linked_in_oauth_factor'],
      tiktok: ['TikTok', 'tik_tok_oauth_factor'],
      google: ['Google', 'google_oauth_factor'],
      github: ['GitHub', 'github_oauth_factor'],
    };
    for (const [provider, [type, key]] of Object.entries(expectations)) {
      const { token, verifier } = await startToken(built, { provider_login_hint: 'carol@globex.test' }, provider);
      const body = await expectStytchOk(await backend(built, 'POST', '/v1/oauth/authenticate', { token, code_verifier: verifier, session_duration_minutes: 5 }));
      expect(body.provider_type).toBe(type);
      expect(body.user_session.authentication_factors[0][key]).toMatchObject({ id: body.oauth_user_registration_id, provider_subject: body.provider_subject });
    }
  });

  it('falls back to the project default (first URL without *) when no redirect URL is sent', async () => {
    const { challenge } = pkce();
    const location = await expectRedirect(await built.app.request(startUrl({ public_token: OTHER.public_token, code_challenge: challenge })));
    expect(`${location.origin}${location.pathname}`).toBe('http://localhost:4000/authenticate');
  });

  it('refuses when there is no redirect URL and the project has only patterns', async () => {
    await expectStytchError(await built.app.request(startUrl({ public_token: PUBLIC_TOKEN })), 400, 'no_login_redirect_urls_set');
  });
});

describe('start: errors never redirect', () => {
  it('requires a known public token', async () => {
    await expectStytchError(await built.app.request(startUrl({ login_redirect_url: REDIRECT })), 400, 'public_token_required');
    await expectStytchError(
      await built.app.request(startUrl({ public_token: 'public-token-test-nope', login_redirect_url: REDIRECT })),
      404,
      'public_token_not_found',
    );
  });

  it('rejects unknown providers', async () => {
    await expectStytchError(await built.app.request(startUrl({ public_token: PUBLIC_TOKEN, login_redirect_url: REDIRECT }, 'myspace')), 400, 'invalid_oauth_provider');
    await expectStytchError(await built.app.request(startUrl({ public_token: PUBLIC_TOKEN, login_redirect_url: REDIRECT }, 'Google')), 400, 'invalid_oauth_provider');
  });

  it('rejects unregistered login and signup redirect URLs', async () => {
    await expectStytchError(
      await built.app.request(startUrl({ public_token: PUBLIC_TOKEN, login_redirect_url: 'https://evil.test/authenticate' })),
      400,
      'invalid_login_redirect_url',
    );
    await expectStytchError(
      await built.app.request(startUrl({ public_token: PUBLIC_TOKEN, login_redirect_url: REDIRECT, signup_redirect_url: 'https://evil.test/x' })),
      400,
      'invalid_signup_redirect_url',
    );
    // Another project's URL is not this project's.
    await expectStytchError(
      await built.app.request(startUrl({ public_token: OTHER.public_token, login_redirect_url: 'http://localhost:5000/authenticate' })),
      400,
      'invalid_login_redirect_url',
    );
  });

  it('rejects a malformed code_challenge', async () => {
    await expectStytchError(
      await built.app.request(startUrl({ public_token: PUBLIC_TOKEN, login_redirect_url: REDIRECT, code_challenge: 'short' })),
      400,
      'invalid_pkce_code_challenge',
    );
  });

  it('shows browsers an escaped HTML page instead', async () => {
    const res = await built.app.request(startUrl({ public_token: PUBLIC_TOKEN, login_redirect_url: 'https://evil.test/<script>alert(1)</script>' }), {
      headers: { accept: 'text/html' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).not.toContain('<script>');
  });
});

describe('start: who logs in', () => {
  it('provider_login_hint picks the user', async () => {
    const { token, verifier } = await startToken(built, { provider_login_hint: 'bob@acme.test' });
    expect(await authenticatedUser(token, verifier)).toBe(STYTCH_USERS.bob);
  });

  it('headless falls back to the first user', async () => {
    const { token, verifier } = await startToken(built);
    expect(await authenticatedUser(token, verifier)).toBe(STYTCH_USERS.alice);
  });

  it('a queued next-login wins over the hint, first in first out', async () => {
    await request(built, 'POST', '/_mock/next-login', { user: 'carol@globex.test' });
    await request(built, 'POST', '/_mock/next-login', { user: 'bob@acme.test' });
    const first = await startToken(built, { provider_login_hint: 'alice@acme.test' });
    const second = await startToken(built, { provider_login_hint: 'alice@acme.test' });
    const third = await startToken(built, { provider_login_hint: 'alice@acme.test' });
    expect(await authenticatedUser(first.token, first.verifier)).toBe(STYTCH_USERS.carol);
    expect(await authenticatedUser(second.token, second.verifier)).toBe(STYTCH_USERS.bob);
    expect(await authenticatedUser(third.token, third.verifier)).toBe(STYTCH_USERS.alice);
  });

  it('a queued error is answered as a Stytch error (no redirect) and consumed', async () => {
    await request(built, 'POST', '/_mock/next-login', { error: { error: 'oauth_flow_callback_error', error_description: 'The provider said no.' } });
    const body = await expectStytchError(await built.app.request(startUrl({ public_token: PUBLIC_TOKEN, login_redirect_url: REDIRECT })), 400, 'oauth_flow_callback_error');
    expect(body.error_message).toBe('The provider said no.');
    await startToken(built);
  });

  it('tokens expire after codeTtlSeconds', async () => {
    const { token, verifier } = await startToken(built);
    built.ctx.clock.advance('default', built.ctx.options.codeTtlSeconds * 1000 + 1000);
    try {
      await expectStytchError(await backend(built, 'POST', '/v1/oauth/authenticate', { token, code_verifier: verifier }), 404, 'oauth_token_not_found');
    } finally {
      built.ctx.clock.reset('default');
    }
  });

  it("another project's token is not found", async () => {
    const { token, verifier } = await startToken(built);
    const otherAuth = `Basic ${Buffer.from(`${OTHER.project_id}:${OTHER.secret}`).toString('base64')}`;
    await expectStytchError(
      await request(built, 'POST', '/v1/oauth/authenticate', { token, code_verifier: verifier }, { authorization: otherAuth }),
      404,
      'oauth_token_not_found',
    );
    // Still good for its own project.
    expect(await authenticatedUser(token, verifier)).toBe(STYTCH_USERS.alice);
  });
});

describe('start: the login page', () => {
  let paged: Built;
  beforeAll(async () => {
    paged = await buildApp({ login: 'auto' });
    await request(paged, 'POST', '/_mock/fixtures', { stytch: { projects: [OTHER] } });
  });
  afterAll(() => paged.db.close());

  async function openPage(extra: Record<string, string> = {}) {
    const { verifier, challenge } = pkce();
    const res = await paged.app.request(
      startUrl({ public_token: OTHER.public_token, login_redirect_url: 'http://localhost:4000/authenticate', signup_redirect_url: 'http://localhost:4000/signup', code_challenge: challenge, ...extra }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = await res.text();
    const action = /action="(\/_mock\/login\/lr_[A-Za-z0-9_-]+)"/.exec(page)?.[1];
    expect(action).toBeTruthy();
    return { page, action: action!, verifier };
  }

  const post = (path: string, form: Record<string, string>) =>
    paged.app.request(path, { method: 'POST', body: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

  it('shows the page when nobody is decided, and completes to the login URL', async () => {
    const { page, action, verifier } = await openPage();
    expect(page).toContain(OTHER.project_id);
    expect(page).toContain('google');
    const location = await expectRedirect(await post(action, { user_id: 'user_01MOCKBOB00000000000000000' }));
    expect(`${location.origin}${location.pathname}`).toBe('http://localhost:4000/authenticate');
    const token = location.searchParams.get('token')!;
    const otherAuth = `Basic ${Buffer.from(`${OTHER.project_id}:${OTHER.secret}`).toString('base64')}`;
    expect(await authenticatedUser(token, verifier, otherAuth, paged)).toBe(STYTCH_USERS.bob);
  });

  it('a user created on the page goes to the signup URL', async () => {
    const { action } = await openPage();
    const location = await expectRedirect(await post(action, { action: 'create', new_email: 'newbie@acme.test', new_first_name: 'New' }));
    expect(`${location.origin}${location.pathname}`).toBe('http://localhost:4000/signup');
    expect(location.searchParams.get('stytch_token_type')).toBe('oauth');
  });

  it('cancel returns to the login URL with access_denied and no token', async () => {
    const { action } = await openPage();
    const location = await expectRedirect(await post(`${action}/cancel`, {}));
    expect(`${location.origin}${location.pathname}`).toBe('http://localhost:4000/authenticate');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('stytch_token_type')).toBeNull();
    expect(location.searchParams.get('token')).toBeNull();
  });

  it('never redirects to a URL that was unregistered while the page was open', async () => {
    const { action } = await openPage();
    const cancelAction = (await openPage()).action;
    expect((await request(paged, 'POST', '/_mock/fixtures', { stytch: { projects: [{ ...OTHER, redirect_urls: ['http://localhost:4000/elsewhere'] }] } })).status).toBe(200);
    try {
      for (const res of [await post(action, { user_id: 'user_01MOCKBOB00000000000000000' }), await post(`${cancelAction}/cancel`, {})]) {
        expect(res.status).toBe(400);
        expect(res.headers.get('location')).toBeNull();
        expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      }
    } finally {
      await request(paged, 'POST', '/_mock/fixtures', { stytch: { projects: [OTHER] } });
    }
  });

  it('a deciding hint redirects at once in auto mode', async () => {
    const { challenge } = pkce();
    const res = await paged.app.request(
      startUrl({ public_token: OTHER.public_token, login_redirect_url: 'http://localhost:4000/authenticate', code_challenge: challenge, provider_login_hint: 'carol@globex.test' }),
    );
    expect(res.status).toBe(302);
  });
});
