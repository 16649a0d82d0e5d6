/**
 * `GET /user_management/authorize` and the login page behind it, in process: every way the request
 * can be refused (JSON or an escaped HTML page, never a redirect, while the redirect target is not
 * trusted; an error redirect with `state` once it is), and the three login modes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACME,
  API_KEY,
  CLIENT_ID,
  REDIRECT_URI,
  USERS,
  authenticate,
  authorizeCode,
  authorizeParams,
  authorizeUrl,
  buildApp,
  call,
  expectHtml,
  expectJson,
  expectRedirect,
  pkce,
  queryOf,
  target,
  type Built,
} from '../helpers/app.js';

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const SDK_ACCEPT = { accept: 'application/json, text/plain, */*' };

let headless: Built;
beforeAll(async () => {
  headless = await buildApp({ login: 'headless' });
});
afterAll(() => headless.db.close());

async function redeem(built: Built, code: string, verifier?: string) {
  const body: Record<string, string> = { grant_type: 'authorization_code', client_id: CLIENT_ID, client_secret: API_KEY, code };
  if (verifier) body.code_verifier = verifier;
  return expectJson(await authenticate(built, body), 200);
}

describe('requests that cannot be trusted to redirect', () => {
  const cases: Array<{ name: string; params: Record<string, string | undefined>; body: Record<string, string> }> = [
    { name: 'missing client_id', params: authorizeParams({ client_id: undefined }), body: { code: 'invalid_request', message: 'client_id is required.' } },
    { name: 'empty client_id', params: authorizeParams({ client_id: '' }), body: { code: 'invalid_request', message: 'client_id is required.' } },
    { name: 'unknown client_id', params: authorizeParams({ client_id: 'client_nope' }), body: { code: 'invalid_client', message: "Invalid client ID 'client_nope'." } },
    { name: 'missing redirect_uri', params: authorizeParams({ redirect_uri: undefined }), body: { code: 'invalid_request', message: 'redirect_uri is required.' } },
    {
      name: 'unregistered redirect_uri',
      params: authorizeParams({ redirect_uri: 'https://evil.test/callback' }),
      body: { code: 'invalid_redirect_uri', message: `The redirect_uri 'https://evil.test/callback' is not registered for client ${CLIENT_ID}.` },
    },
  ];

  for (const { name, params, body } of cases) {
    it(`${name}: 400 JSON {code,message} for an API client`, async () => {
      expect(await expectJson(await headless.app.request(authorizeUrl(params), { headers: SDK_ACCEPT }), 400)).toEqual(body);
      // No Accept header at all is not a browser either.
      expect(await expectJson(await headless.app.request(authorizeUrl(params)), 400)).toEqual(body);
    });

    it(`${name}: 400 HTML page for a browser`, async () => {
      const page = await expectHtml(await headless.app.request(authorizeUrl(params), { headers: HTML }), 400);
      expect(page).toContain('<h1>This sign-in request cannot continue</h1>');
      expect(page).toContain(body.message.replaceAll("'", '&#39;'));
      expect(page).not.toMatch(/<script|<a |http-equiv/i);
    });
  }

  it('escapes the refused redirect_uri on the HTML page', async () => {
    const evil = 'https://evil.test/"><script>alert(1)</script><img src=x onerror=alert(2)>';
    const res = await headless.app.request(authorizeUrl(authorizeParams({ redirect_uri: evil })), { headers: HTML });
    const page = await expectHtml(res, 400);
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(page).toContain('https://evil.test/&quot;&gt;');
  });

  const refused = [
    ['javascript: scheme', 'javascript://localhost:3000/%0aalert(document.domain)'],
    ['javascript: without authority', 'javascript:alert(1)'],
    ['data: scheme', 'data:text/html,<script>alert(1)</script>'],
    ['credentials', 'http://user:secret@localhost:3000/callback'],
    ['username only', 'http://localhost:3000@evil.test/callback'],
    ['a fragment', 'http://localhost:3000/callback#access_token'],
    ['an empty fragment', 'http://localhost:3000/callback#'],
    ['a backslash (browsers read it as /)', 'http://localhost:3000\\@evil.test/'],
    ['a tab (browsers drop it)', 'http://local\thost:3000/callback'],
    ['a control character', 'http://localhost:3000/call\u0001back'],
    ['https for an http pattern', 'https://localhost:3000/callback'],
    ['a look-alike host', 'http://localhost.evil.test:3000/callback'],
    ['a host suffix', 'http://evil-localhost:3000/callback'],
    ['a relative URI', '/callback'],
    ['a non-numeric port', 'http://localhost:30x0/callback'],
  ] as const;
  for (const [name, uri] of refused) {
    it(`refuses a redirect_uri with ${name}`, async () => {
      const res = await headless.app.request(authorizeUrl(authorizeParams({ redirect_uri: uri, state: 's' })), { headers: SDK_ACCEPT });
      const body = await expectJson(res, 400);
      expect(body).toEqual({ code: 'invalid_redirect_uri', message: `The redirect_uri '${uri}' is not registered for client ${CLIENT_ID}.` });
    });
  }

  it('never lets the queue be consumed by a refused request', async () => {
    const queued = await expectJson(await call(headless, 'POST', '/_mock/next-login', { user: 'carol@globex.test' }), 201);
    expect(queued.id).toMatch(/^next_login_/);
    await expectJson(await headless.app.request(authorizeUrl(authorizeParams({ redirect_uri: 'https://evil.test/' }))), 400);
    expect((await expectJson(await call(headless, 'GET', '/_mock/next-login'), 200)).data).toHaveLength(1);
    await expectJson(await call(headless, 'DELETE', '/_mock/next-login'), 200);
  });
});

describe('registered redirect URIs', () => {
  const accepted = [
    'http://localhost:3000/callback',
    'http://localhost:51234/any/deep/path',
    'http://127.0.0.1:8080/auth/callback',
    'http://[::1]:5173/callback',
    'http://LOCALHOST:3000/callback',
  ];
  for (const uri of accepted) {
    it(`accepts ${uri} (wildcard port pattern)`, async () => {
      const location = await expectRedirect(await headless.app.request(authorizeUrl(authorizeParams({ redirect_uri: uri, state: 'abc' }))));
      expect(target(location).toLowerCase()).toBe(new URL(uri).href.toLowerCase());
      expect(location.searchParams.get('code')).toMatch(/^[0-9A-Z]{42}$/);
      expect(location.searchParams.get('state')).toBe('abc');
    });
  }

  it('keeps the redirect_uri query and appends code and state after it', async () => {
    const res = await headless.app.request(authorizeUrl(authorizeParams({ redirect_uri: 'http://localhost:3000/cb?tenant=a&x=1', state: 'st' })));
    const location = await expectRedirect(res);
    expect(res.headers.get('location')).toMatch(/^http:\/\/localhost:3000\/cb\?tenant=a&x=1&code=[0-9A-Z]+&state=st$/);
    expect(queryOf(location)).toMatchObject({ tenant: 'a', x: '1', state: 'st' });
  });

  it('percent-encodes a non-ASCII redirect_uri in Location instead of failing', async () => {
    const res = await headless.app.request(authorizeUrl(authorizeParams({ redirect_uri: 'http://localhost:3000/caf\u00e9/\u20ac?q=\u00fc', state: '\u2603' })));
    const location = await expectRedirect(res);
    expect(res.headers.get('location')).toMatch(/^http:\/\/localhost:3000\/caf%C3%A9\/%E2%82%AC\?q=%C3%BC&code=[0-9A-Z]+&state=%E2%98%83$/);
    expect(location.searchParams.get('q')).toBe('\u00fc');
    expect(location.searchParams.get('state')).toBe('\u2603');
  });
});

describe('error redirects once the redirect_uri is trusted', () => {
  async function errorOf(extra: Record<string, string | undefined>) {
    const res = await headless.app.request(authorizeUrl(authorizeParams({ state: 'keep-me', ...extra })), { headers: HTML });
    const location = await expectRedirect(res);
    expect(target(location)).toBe(REDIRECT_URI);
    expect(location.searchParams.has('code')).toBe(false);
    return queryOf(location);
  }

  it('response_type other than code → unsupported_response_type, state kept', async () => {
    expect(await errorOf({ response_type: 'token' })).toEqual({ error: 'unsupported_response_type', error_description: "response_type must be 'code'.", state: 'keep-me' });
    expect(await errorOf({ response_type: undefined })).toEqual({ error: 'unsupported_response_type', error_description: "response_type must be 'code'.", state: 'keep-me' });
  });

  it('an unknown code_challenge_method → invalid_request', async () => {
    expect(await errorOf({ code_challenge: pkce().challenge, code_challenge_method: 'S512' })).toEqual({
      error: 'invalid_request',
      error_description: "code_challenge_method must be 'S256' or 'plain'.",
      state: 'keep-me',
    });
  });

  it('a method without a challenge → invalid_request', async () => {
    expect(await errorOf({ code_challenge_method: 'S256' })).toEqual({
      error: 'invalid_request',
      error_description: 'code_challenge is required with code_challenge_method.',
      state: 'keep-me',
    });
  });

  it('a too-short or malformed code_challenge → invalid_request', async () => {
    const expected = { error: 'invalid_request', error_description: 'code_challenge must be 43 to 128 characters of [A-Za-z0-9-._~].', state: 'keep-me' };
    expect(await errorOf({ code_challenge: 'abc', code_challenge_method: 'S256' })).toEqual(expected);
    expect(await errorOf({ code_challenge: 'a'.repeat(42), code_challenge_method: 'plain' })).toEqual(expected);
    expect(await errorOf({ code_challenge: 'a'.repeat(129), code_challenge_method: 'plain' })).toEqual(expected);
    expect(await errorOf({ code_challenge: `${'a'.repeat(42)}/`, code_challenge_method: 'S256' })).toEqual(expected);
  });

  it('an unknown organization_id → organization_invalid', async () => {
    expect(await errorOf({ organization_id: 'org_nope' })).toEqual({ error: 'organization_invalid', error_description: 'No organization with id org_nope.', state: 'keep-me' });
  });

  it('an organization the user is not in → organization_invalid', async () => {
    expect(await errorOf({ organization_id: 'org_01MOCKGLOBEX00000000000000', login_hint: 'bob@acme.test' })).toEqual({
      error: 'organization_invalid',
      error_description: 'The user is not an active member of organization org_01MOCKGLOBEX00000000000000.',
      state: 'keep-me',
    });
  });

  it('without state, no state parameter at all', async () => {
    const location = await expectRedirect(await headless.app.request(authorizeUrl(authorizeParams({ response_type: 'id_token' }))));
    expect(queryOf(location)).toEqual({ error: 'unsupported_response_type', error_description: "response_type must be 'code'." });
  });

  it('a queued error goes back as is, without an empty error_description', async () => {
    await expectJson(await call(headless, 'POST', '/_mock/next-login', { error: { error: 'access_denied' } }), 201);
    expect(await errorOf({})).toEqual({ error: 'access_denied', state: 'keep-me' });
    await expectJson(await call(headless, 'POST', '/_mock/next-login', { error: { error: 'oauth_failed', error_description: 'Google said no.' } }), 201);
    expect(await errorOf({})).toEqual({ error: 'oauth_failed', error_description: 'Google said no.', state: 'keep-me' });
  });
});

describe('successful authorize (headless)', () => {
  it('login_hint picks the user; the code authenticates as them', async () => {
    const { code, verifier } = await authorizeCode(headless, { login_hint: 'bob@acme.test' });
    const body = await redeem(headless, code, verifier);
    expect(body.user.id).toBe(USERS.bob);
    expect(body.organization_id).toBe(ACME);
  });

  it('login_hint matches case-insensitively and by id', async () => {
    const byEmail = await authorizeCode(headless, { login_hint: 'CAROL@Globex.Test' });
    expect((await redeem(headless, byEmail.code, byEmail.verifier)).user.id).toBe(USERS.carol);
    const byId = await authorizeCode(headless, { login_hint: USERS.support });
    expect((await redeem(headless, byId.code, byId.verifier)).user.id).toBe(USERS.support);
  });

  it('no hint in headless mode → the first user', async () => {
    const { code, verifier } = await authorizeCode(headless);
    expect((await redeem(headless, code, verifier)).user.id).toBe(USERS.alice);
  });

  it('state with <script> and quotes comes back byte-exact, encoded in the URL', async () => {
    const state = `a<script>alert("x")</script>&b=c d+e%f'\u00e9=`;
    const res = await headless.app.request(authorizeUrl(authorizeParams({ state })));
    const location = await expectRedirect(res);
    expect(location.searchParams.get('state')).toBe(state);
    expect(res.headers.get('location')).not.toMatch(/[<>"' ]/);
  });

  it('a long sealed-style state (AuthKit sends ~2 KB) round-trips', async () => {
    const state = `${'x'.repeat(1000)}.${'Y-_'.repeat(400)}`;
    const location = await expectRedirect(await headless.app.request(authorizeUrl(authorizeParams({ state }))));
    expect(location.searchParams.get('state')).toBe(state);
  });

  it('a scenario with an impersonator reaches the token response', async () => {
    await expectJson(await call(headless, 'POST', '/_mock/next-login', { scenario: 'support-impersonates-alice' }), 201);
    const { code, verifier } = await authorizeCode(headless);
    const body = await redeem(headless, code, verifier);
    expect(body.user.id).toBe(USERS.alice);
    expect(body.impersonator).toEqual({ email: 'support@acme.test', reason: 'ticket 42' });
    expect(body.authentication_method).toBe('Impersonation');
  });

  it('no users at all → access_denied redirect', async () => {
    const empty = await buildApp({ login: 'headless', fixtures: { workos: { clients: [{ client_id: 'client_empty', api_key: 'sk_test_empty_0000', redirect_uris: ['http://localhost:*'] }] } } });
    try {
      const location = await expectRedirect(await empty.app.request(authorizeUrl(authorizeParams({ client_id: 'client_empty', state: 's' }))));
      expect(queryOf(location)).toEqual({ error: 'access_denied', error_description: 'There are no users to sign in as; seed a fixture or queue a login.', state: 's' });
    } finally {
      empty.db.close();
    }
  });
});

describe("login: 'page'", () => {
  let paged: Built;
  beforeAll(async () => {
    paged = await buildApp({ login: 'page' });
  });
  afterAll(() => paged.db.close());

  /** Opens the page; returns its markup and the form's action. */
  async function openPage(extra: Record<string, string | undefined> = {}) {
    const page = await expectHtml(await paged.app.request(authorizeUrl(authorizeParams({ state: 'st', ...extra })), { headers: HTML }), 200);
    const action = /<form method="post" action="(\/_mock\/login\/lr_[A-Za-z0-9_-]+)">/.exec(page)?.[1];
    expect(action, 'form action').toBeTruthy();
    return { page, action: action! };
  }

  const post = (path: string, form: Record<string, string>) =>
    paged.app.request(path, { method: 'POST', body: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...HTML } });

  it('shows the page even with a deciding login_hint, and escapes a hostile hint', async () => {
    const hint = '"><script>alert(1)</script>';
    const { page } = await openPage({ login_hint: hint });
    expect(page).not.toContain('<script');
    expect(page).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it('lists the four fixture users with their organizations', async () => {
    const { page } = await openPage();
    for (const [email, id] of [
      ['alice@acme.test', USERS.alice],
      ['bob@acme.test', USERS.bob],
      ['carol@globex.test', USERS.carol],
      ['support@acme.test', USERS.support],
    ]) {
      expect(page).toContain(`name="user_id" value="${id}"`);
      expect(page).toContain(`<span class="email">${email}</span>`);
    }
    expect(page.match(/name="user_id"/g)).toHaveLength(4);
    expect(page).toContain('Globex (admin), Acme (member)');
    expect(page).toContain('support-impersonates-alice');
  });

  it('pre-selects the hinted user', async () => {
    const { page } = await openPage({ login_hint: 'bob@acme.test' });
    expect(page).toMatch(new RegExp(`value="${USERS.bob}" class="user suggested" autofocus`));
  });

  it('picking a user 302s to the app with a code that authenticates; the page is single-use', async () => {
    const { verifier, challenge } = pkce();
    const { action } = await openPage({ code_challenge: challenge, code_challenge_method: 'S256' });
    const location = await expectRedirect(await post(action, { user_id: USERS.bob }));
    expect(target(location)).toBe(REDIRECT_URI);
    expect(location.searchParams.get('state')).toBe('st');
    const body = await expectJson(
      await authenticate(paged, { grant_type: 'authorization_code', client_id: CLIENT_ID, code: location.searchParams.get('code'), code_verifier: verifier }),
      200,
    );
    expect(body.user.email).toBe('bob@acme.test');

    const again = await expectHtml(await post(action, { user_id: USERS.alice }), 400);
    expect(again).toContain('<h1>This sign-in page has expired</h1>');
    expect(await expectHtml(await post(`${action}/cancel`, {}), 400)).toContain('expired');
  });

  it('an unknown login request id → 400 expired page', async () => {
    expect(await expectHtml(await post('/_mock/login/lr_nope', { user_id: USERS.bob }), 400)).toContain('This sign-in page has expired');
  });

  it('submitting without a user re-renders the page with an error (400), still usable', async () => {
    const { action } = await openPage();
    const page = await expectHtml(await post(action, {}), 400);
    expect(page).toContain('Pick a user to sign in as, or create a new one.');
    await expectRedirect(await post(action, { user_id: USERS.alice }));
  });

  it('"create" makes a new user (in the chosen organization) and signs them in', async () => {
    const { action } = await openPage();
    const location = await expectRedirect(
      await post(action, { action: 'create', new_email: 'dave@acme.test', new_first_name: 'Dave', new_last_name: 'Null', new_organization_id: ACME }),
    );
    const body = await expectJson(
      await authenticate(paged, { grant_type: 'authorization_code', client_id: CLIENT_ID, client_secret: API_KEY, code: location.searchParams.get('code') }),
      200,
    );
    expect(body.user).toMatchObject({ email: 'dave@acme.test', first_name: 'Dave', last_name: 'Null', name: 'Dave Null', email_verified: true });
    expect(body.user.id).toMatch(/^user_[0-9A-Z]{26}$/);
    expect(body.organization_id).toBe(ACME);
    expect(body.authentication_method).toBe('Password');
  });

  it('"create" with an existing or hostile email re-renders with an escaped error', async () => {
    const { action } = await openPage();
    expect(await expectHtml(await post(action, { action: 'create', new_email: 'alice@acme.test' }), 400)).toContain(
      'A user with the email alice@acme.test already exists; pick them from the list.',
    );
    const page = await expectHtml(await post(action, { action: 'create', new_email: '<b>@x' }), 400);
    expect(page).toContain('Enter an email address for the new user.');
    expect(page).not.toContain('<b>');
  });

  it('cancel → access_denied back to the app with state', async () => {
    const { action } = await openPage();
    const location = await expectRedirect(await post(`${action}/cancel`, { action: 'cancel' }));
    expect(target(location)).toBe(REDIRECT_URI);
    expect(queryOf(location)).toEqual({ error: 'access_denied', error_description: 'The user cancelled the sign-in.', state: 'st' });
    expect(await expectHtml(await post(action, { user_id: USERS.bob }), 400)).toContain('expired');
  });

  it('a queued scenario still applies when the page is shown', async () => {
    await expectJson(await call(paged, 'POST', '/_mock/next-login', { scenario: 'support-impersonates-alice' }), 201);
    const { page, action } = await openPage();
    expect(page).toMatch(new RegExp(`value="${USERS.alice}" class="user suggested"`));
    expect(page).toContain('scenario support-impersonates-alice');
    const location = await expectRedirect(await post(action, { user_id: USERS.alice }));
    const body = await expectJson(
      await authenticate(paged, { grant_type: 'authorization_code', client_id: CLIENT_ID, client_secret: API_KEY, code: location.searchParams.get('code') }),
      200,
    );
    expect(body.impersonator).toEqual({ email: 'support@acme.test', reason: 'ticket 42' });
    expect(body.authentication_method).toBe('Impersonation');
  });

  it('per-login options: organization and impersonator from the form', async () => {
    const { action } = await openPage();
    const location = await expectRedirect(
      await post(action, { user_id: USERS.carol, organization_id: ACME, impersonator_email: 'support@acme.test', impersonator_reason: 'r' }),
    );
    const body = await expectJson(
      await authenticate(paged, { grant_type: 'authorization_code', client_id: CLIENT_ID, client_secret: API_KEY, code: location.searchParams.get('code') }),
      200,
    );
    expect(body.organization_id).toBe(ACME);
    expect(body.impersonator).toEqual({ email: 'support@acme.test', reason: 'r' });
  });

  it('a redirect_uri unregistered while the page was open → 400 page, no redirect (submit and cancel)', async () => {
    const first = await openPage();
    const second = await openPage();
    const reseed = (uris: string[]) => call(paged, 'POST', '/_mock/fixtures', { workos: { clients: [{ client_id: CLIENT_ID, api_key: API_KEY, redirect_uris: uris }] } });
    await expectJson(await reseed(['http://127.0.0.1:*']), 200);
    try {
      const page = await expectHtml(await post(first.action, { user_id: USERS.bob }), 400);
      expect(page).toContain(`The redirect_uri &#39;${REDIRECT_URI}&#39; is no longer registered for client ${CLIENT_ID}.`);
      expect(await expectHtml(await post(`${second.action}/cancel`, {}), 400)).toContain('is no longer registered');
    } finally {
      await expectJson(await reseed(['http://localhost:*', 'http://127.0.0.1:*', 'http://[::1]:*']), 200);
    }
  });

  it('escapes hostile fixture data everywhere on the page', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const hostile = await buildApp({
      login: 'page',
      fixtures: {
        workos: { clients: [{ client_id: 'client_evil', api_key: 'sk_test_evil_0000', redirect_uris: ['http://localhost:*'] }] },
        organizations: [{ id: 'org_evil', name: `Org ${evil}` }],
        users: [{ email: 'eve@evil.test', first_name: `"${evil}`, last_name: "'", memberships: [{ organization_id: 'org_evil', role: `r${evil}` }], impersonator: { email: 'imp@evil.test', reason: `"${evil}` } }],
        scenarios: [{ name: `s${evil}`, description: `d"${evil}` }],
      },
    });
    try {
      const res = await hostile.app.request(authorizeUrl(authorizeParams({ client_id: 'client_evil', redirect_uri: `http://localhost:3000/cb/${encodeURIComponent(evil)}`, state: evil })), { headers: HTML });
      const page = await expectHtml(res, 200);
      expect(page).not.toContain('<img');
      expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    } finally {
      hostile.db.close();
    }
  });

  it('an organization the chosen user is not in → organization_invalid redirect', async () => {
    const { action } = await openPage();
    const location = await expectRedirect(await post(action, { user_id: USERS.support, organization_id: ACME }));
    expect(queryOf(location)).toEqual({
      error: 'organization_invalid',
      error_description: `The user is not an active member of organization ${ACME}.`,
      state: 'st',
    });
  });
});

describe("login: 'auto' (the default)", () => {
  let auto: Built;
  beforeAll(async () => {
    auto = await buildApp();
  });
  afterAll(() => auto.db.close());

  it('no hint → the login page (200 text/html)', async () => {
    const page = await expectHtml(await auto.app.request(authorizeUrl(authorizeParams()), { headers: HTML }), 200);
    expect(page).toContain('<h2 id="users-heading">Choose a user</h2>');
  });

  it('an unknown hint → the page, with the hint prefilled as the new email', async () => {
    const page = await expectHtml(await auto.app.request(authorizeUrl(authorizeParams({ login_hint: 'newbie@acme.test' })), { headers: HTML }), 200);
    expect(page).toContain('name="new_email" autocomplete="off" spellcheck="false" value="newbie@acme.test" autofocus');
  });

  it('a matching hint → 302 with a code', async () => {
    const { code } = await authorizeCode(auto, { login_hint: 'alice@acme.test' });
    expect(code).toMatch(/^[0-9A-Z]{42}$/);
  });

  it('a queued login → 302 without a hint', async () => {
    await expectJson(await call(auto, 'POST', '/_mock/next-login', { user: 'bob@acme.test' }), 201);
    const { code, verifier } = await authorizeCode(auto);
    expect((await redeem(auto, code, verifier)).user.id).toBe(USERS.bob);
  });
});

describe('HEAD on browser endpoints', () => {
  it('does not end a session (logout)', async () => {
    const { createMockAuthKit } = await import('../../src/server.js');
    const built = await createMockAuthKit({ db: ':memory:', login: 'headless', log: () => {} });
    try {
      const location = new URL(
        (await built.app.request('/user_management/authorize?client_id=client_01MOCKAUTHKIT0000000000000&redirect_uri=http://localhost:3000/cb&response_type=code')).headers.get('location')!,
      );
      const tokens = await (
        await built.app.request('/user_management/authenticate', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ grant_type: 'authorization_code', client_id: 'client_01MOCKAUTHKIT0000000000000', client_secret: 'sk_test_mock_authkit_0000000000000000', code: location.searchParams.get('code') }),
        })
      ).json();
      const sid = JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url').toString()).sid;
      const head = await built.app.request(`/user_management/sessions/logout?session_id=${sid}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(built.ctx.store.getSession(sid)?.status).toBe('active');
    } finally {
      built.db.close();
    }
  });


  it('does not take a queued login or issue a code', async () => {
    const { createMockAuthKit } = await import('../../src/server.js');
    const built = await createMockAuthKit({ db: ':memory:', login: 'headless', log: () => {} });
    try {
      await built.app.request('/_mock/next-login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'carol@globex.test' }) });
      const url = '/user_management/authorize?client_id=client_01MOCKAUTHKIT0000000000000&redirect_uri=http://localhost:3000/cb&response_type=code';
      const head = await built.app.request(url, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('location')).toBeNull();
      const queue = await (await built.app.request('/_mock/next-login')).json();
      expect(queue.data).toHaveLength(1);
      // Stytch's OAuth start, same rule: no redirect, the queued login stays.
      const stytchStart = await built.app.request('/v1/public/oauth/google/start?public_token=anything', { method: 'HEAD' });
      expect(stytchStart.status).toBe(200);
      expect(stytchStart.headers.get('location')).toBeNull();
      expect((await (await built.app.request('/_mock/next-login')).json()).data).toHaveLength(1);
    } finally {
      built.db.close();
    }
  });
});
