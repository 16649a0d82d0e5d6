/**
 * The WorkOS REST endpoints an AuthKit app calls around a login (API key), JWKS and logout, in process:
 * exact statuses and envelopes (`401 unauthorized`, `404 entity_not_found` with `entity_id`,
 * `422 invalid_request_parameters`), list pagination, and the logout redirect rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACME,
  AUTH,
  CLIENT_ID,
  GLOBEX,
  USERS,
  buildApp,
  call,
  expectHtml,
  expectJson,
  expectRedirect,
  jwtPayload,
  signIn,
  type Built,
  type Json,
} from '../helpers/app.js';

let built: Built;
beforeAll(async () => {
  built = await buildApp({ login: 'headless' });
  // Bob also has an inactive Globex membership (for the statuses filter).
  await expectJson(await call(built, 'POST', '/_mock/fixtures', { users: [{ email: 'bob@acme.test', memberships: [{ organization_id: GLOBEX, status: 'inactive' }] }] }), 200);
});
afterAll(() => built.db.close());

const get = (path: string, headers: Record<string, string> = AUTH) => call(built, 'GET', path, undefined, headers);
const ids = (list: Json) => (list.data as Json[]).map((item) => item.id as string);

describe('API key', () => {
  const unauthorized = { code: 'unauthorized', message: 'Could not authorize the request. Maybe your API key is invalid?' };
  const endpoints: Array<[string, string, unknown?]> = [
    ['GET', `/user_management/users/${USERS.alice}`],
    ['GET', '/user_management/users'],
    ['GET', `/user_management/users/${USERS.alice}/sessions`],
    ['GET', `/user_management/organization_memberships?user_id=${USERS.alice}`],
    ['GET', `/organizations/${ACME}`],
    ['POST', '/user_management/sessions/revoke', { session_id: 'session_x' }],
  ];
  const badHeaders: Array<[string, Record<string, string>]> = [
    ['no Authorization', {}],
    ['a wrong key', { authorization: 'Bearer sk_test_wrong' }],
    ['a Basic scheme', { authorization: `Basic ${Buffer.from('x:y').toString('base64')}` }],
    ['an empty Bearer', { authorization: 'Bearer ' }],
    ['the client id instead of the key', { authorization: `Bearer ${CLIENT_ID}` }],
  ];
  for (const [method, path, body] of endpoints)
    for (const [name, headers] of badHeaders)
      it(`${method} ${path.split('?')[0]} with ${name} → 401`, async () => {
        expect(await expectJson(await call(built, method, path, body, headers), 401)).toEqual(unauthorized);
      });

  it('the scheme is case-insensitive', async () => {
    expect((await expectJson(await get(`/user_management/users/${USERS.alice}`, { authorization: AUTH.authorization.replace('Bearer', 'bearer') }), 200)).id).toBe(USERS.alice);
  });
});

describe('users and organizations', () => {
  it('GET a user → the user object', async () => {
    const user = await expectJson(await get(`/user_management/users/${USERS.bob}`), 200);
    expect(Object.keys(user).sort()).toEqual(
      ['created_at', 'email', 'email_verified', 'external_id', 'first_name', 'id', 'last_name', 'last_sign_in_at', 'locale', 'metadata', 'name', 'object', 'profile_picture_url', 'updated_at'].sort(),
    );
    expect(user).toMatchObject({ object: 'user', id: USERS.bob, email: 'bob@acme.test', name: 'Bob Builder' });
  });

  it('unknown user / organization → 404 entity_not_found with entity_id', async () => {
    expect(await expectJson(await get('/user_management/users/user_nope'), 404)).toEqual({ code: 'entity_not_found', message: "User not found: 'user_nope'.", entity_id: 'user_nope' });
    expect(await expectJson(await get('/organizations/org_nope'), 404)).toEqual({ code: 'entity_not_found', message: "Organization not found: 'org_nope'.", entity_id: 'org_nope' });
    expect(await expectJson(await get('/user_management/users/user_nope/sessions'), 404)).toEqual({ code: 'entity_not_found', message: "User not found: 'user_nope'.", entity_id: 'user_nope' });
  });

  it('odd path segments are looked up, not crashed on', async () => {
    expect((await expectJson(await get('/user_management/users/%ZZ'), 404)).code).toBe('entity_not_found');
    expect((await expectJson(await get(`/user_management/users/${encodeURIComponent('<script>')}`), 404)).entity_id).toBe('<script>');
  });

  it('GET an organization → domains as objects', async () => {
    const org = await expectJson(await get(`/organizations/${ACME}`), 200);
    expect(org).toMatchObject({ object: 'organization', id: ACME, name: 'Acme', allow_profiles_outside_organization: false, external_id: null, metadata: {} });
    expect(org.domains).toEqual([
      expect.objectContaining({ object: 'organization_domain', domain: 'acme.test', organization_id: ACME, state: 'verified' }),
    ]);
  });

  it('an unknown route → 404 not_found', async () => {
    expect(await expectJson(await get('/user_management/nope'), 404)).toEqual({ code: 'not_found', message: 'Not Found' });
    expect(await expectJson(await call(built, 'POST', '/user_management/authorize', {}), 404)).toEqual({ code: 'not_found', message: 'Not Found' });
  });
});

describe('list pagination', () => {
  const all = [USERS.support, USERS.carol, USERS.bob, USERS.alice]; // newest first

  it('default: newest first, limit 10, no cursors', async () => {
    const list = await expectJson(await get('/user_management/users'), 200);
    expect(list.object).toBe('list');
    expect(ids(list)).toEqual(all);
    expect(list.list_metadata).toEqual({ before: null, after: null });
  });

  it('limit + after walks forward; before walks back', async () => {
    const page1 = await expectJson(await get('/user_management/users?limit=2&order=desc'), 200);
    expect(ids(page1)).toEqual(all.slice(0, 2));
    expect(page1.list_metadata).toEqual({ before: null, after: USERS.carol });
    const page2 = await expectJson(await get(`/user_management/users?limit=2&order=desc&after=${USERS.carol}`), 200);
    expect(ids(page2)).toEqual(all.slice(2));
    expect(page2.list_metadata).toEqual({ before: USERS.bob, after: null });
    const back = await expectJson(await get(`/user_management/users?limit=2&order=desc&before=${USERS.bob}`), 200);
    expect(ids(back)).toEqual(all.slice(0, 2));
    expect(back.list_metadata).toEqual({ before: null, after: USERS.carol });
  });

  it('order=asc', async () => {
    const list = await expectJson(await get('/user_management/users?order=asc&limit=3'), 200);
    expect(ids(list)).toEqual([...all].reverse().slice(0, 3));
    expect(list.list_metadata).toEqual({ before: null, after: USERS.carol });
  });

  it('filters by email (any case) and organization', async () => {
    expect(ids(await expectJson(await get('/user_management/users?email=ALICE%40acme.test'), 200))).toEqual([USERS.alice]);
    expect(ids(await expectJson(await get(`/user_management/users?organization_id=${GLOBEX}&order=asc`), 200))).toEqual([USERS.bob, USERS.carol]);
  });

  it('bad limit or order → 422 invalid_request_parameters', async () => {
    const limitError = { code: 'invalid_request_parameters', message: 'limit must be an integer between 1 and 100.' };
    for (const limit of ['0', '101', 'abc', '1.5', '-1', '1e3'])
      expect(await expectJson(await get(`/user_management/users?limit=${limit}`), 422)).toEqual(limitError);
    expect(await expectJson(await get('/user_management/users?order=sideways'), 422)).toEqual({ code: 'invalid_request_parameters', message: "order must be 'asc' or 'desc'." });
    expect(await expectJson(await get(`/user_management/organization_memberships?limit=0`), 422)).toEqual(limitError);
    expect(await expectJson(await get(`/user_management/users/${USERS.alice}/sessions?limit=500`), 422)).toEqual(limitError);
  });

  it('an unknown cursor is an empty page, not an error', async () => {
    const list = await expectJson(await get('/user_management/users?after=user_unknown'), 200);
    expect(list).toEqual({ object: 'list', data: [], list_metadata: { before: null, after: null } });
  });
});

describe('organization memberships', () => {
  const memberships = (query: string) => get(`/user_management/organization_memberships?${query}`);

  it('the membership object', async () => {
    const list = await expectJson(await memberships(`user_id=${USERS.alice}`), 200);
    expect(list.data).toHaveLength(1);
    const m = list.data[0];
    expect(Object.keys(m).sort()).toEqual(
      ['created_at', 'custom_attributes', 'directory_managed', 'id', 'object', 'organization_id', 'organization_name', 'role', 'roles', 'status', 'updated_at', 'user_id'].sort(),
    );
    expect(m).toMatchObject({
      object: 'organization_membership',
      user_id: USERS.alice,
      organization_id: ACME,
      organization_name: 'Acme',
      role: { slug: 'admin' },
      roles: [{ slug: 'admin' }],
      status: 'active',
      directory_managed: false,
      custom_attributes: {},
    });
    expect(m.id).toMatch(/^om_[0-9A-Z]{26}$/);
  });

  it('statuses: comma form (Node SDK), repeated form, single', async () => {
    const orgs = async (query: string) => ((await expectJson(await memberships(query), 200)).data as Json[]).map((m) => `${m.organization_name}:${m.status}`).sort();
    expect(await orgs(`user_id=${USERS.bob}&statuses=active,inactive`)).toEqual(['Acme:active', 'Globex:inactive']);
    expect(await orgs(`user_id=${USERS.bob}&statuses=active&statuses=inactive`)).toEqual(['Acme:active', 'Globex:inactive']);
    expect(await orgs(`user_id=${USERS.bob}&statuses=inactive`)).toEqual(['Globex:inactive']);
    expect(await orgs(`user_id=${USERS.bob}&statuses=active`)).toEqual(['Acme:active']);
    expect(await orgs(`user_id=${USERS.bob}`)).toEqual(['Acme:active', 'Globex:inactive']);
    expect(await orgs(`organization_id=${GLOBEX}&statuses=active`)).toEqual(['Globex:active']);
  });

  it('a bad status → 422', async () => {
    expect(await expectJson(await memberships('statuses=active,bogus'), 422)).toEqual({
      code: 'invalid_request_parameters',
      message: "statuses must be among active, inactive, pending; got 'bogus'.",
    });
  });
});

describe('JWKS', () => {
  it('/sso/jwks/:client_id → exactly 200 application/json with one RS256 key', async () => {
    const res = await built.app.request(`/sso/jwks/${CLIENT_ID}`);
    const body = await expectJson(res, 200);
    expect(body.keys).toHaveLength(1);
    const key = body.keys[0];
    expect(key).toMatchObject({ kty: 'RSA', e: 'AQAB', alg: 'RS256', use: 'sig' });
    expect(key.kid).toMatch(/^sso_oidc_key_pair_[0-9A-Z]{26}$/);
    expect(key.n).toMatch(/^[A-Za-z0-9_-]{342}$/);
    expect(key.d).toBeUndefined();
    const token = (await signIn(built)).access_token as string;
    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString())).toEqual({ alg: 'RS256', kid: key.kid });
  });

  it('the emulator alias serves the same body', async () => {
    const a = await (await built.app.request(`/sso/jwks/${CLIENT_ID}`)).text();
    const res = await built.app.request(`/user_management/sessions/jwks/${CLIENT_ID}`);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe(a);
  });

  it('unknown client → 404 entity_not_found', async () => {
    expect(await expectJson(await built.app.request('/sso/jwks/client_nope'), 404)).toEqual({ code: 'entity_not_found', message: "Client not found: 'client_nope'.", entity_id: 'client_nope' });
  });
});

describe('sessions: logout, revoke, list', () => {
  const logout = (query: string, headers: Record<string, string> = {}) => built.app.request(`/user_management/sessions/logout?${query}`, { headers });

  it('unknown session id + registered return_to → 302 there', async () => {
    const location = await expectRedirect(await logout(`session_id=session_unknown&return_to=${encodeURIComponent('http://localhost:3000/signed-out?x=1')}`));
    expect(location.href).toBe('http://localhost:3000/signed-out?x=1');
  });

  it('unknown session id without return_to → 200 {success:true}', async () => {
    expect(await expectJson(await logout('session_id=session_unknown'), 200)).toEqual({ success: true });
  });

  it('unregistered return_to → 400, no redirect, session untouched', async () => {
    const body = await signIn(built);
    const sid = jwtPayload(body.access_token).sid;
    const evil = 'https://evil.test/"><script>alert(1)</script>';
    expect(await expectJson(await logout(`session_id=${sid}&return_to=${encodeURIComponent(evil)}`), 400)).toEqual({
      code: 'invalid_return_to',
      message: `The return_to '${evil}' is not a registered redirect URI.`,
    });
    const page = await expectHtml(await logout(`session_id=${sid}&return_to=${encodeURIComponent(evil)}`, { accept: 'text/html' }), 400);
    expect(page).toContain('<h1>Sign-out cannot redirect there</h1>');
    expect(page).not.toContain('<script>');
    for (const bad of ['javascript:alert(1)', 'http://localhost:3000/x#frag', 'http://u:p@localhost:3000/'])
      await expectJson(await logout(`session_id=session_unknown&return_to=${encodeURIComponent(bad)}`), 400);
    const sessions = await expectJson(await get(`/user_management/users/${USERS.alice}/sessions?limit=100`), 200);
    expect((sessions.data as Json[]).find((s) => s.id === sid)?.status).toBe('active');
  });

  it('missing session_id → 422 (JSON, or a page for browsers)', async () => {
    expect(await expectJson(await logout(''), 422)).toEqual({ code: 'invalid_request', message: 'session_id is required.' });
    expect(await expectJson(await logout(`return_to=${encodeURIComponent('http://localhost:3000/')}`), 422)).toEqual({ code: 'invalid_request', message: 'session_id is required.' });
    await expectHtml(await logout('', { accept: 'text/html' }), 422);
  });

  it('logging a real session out: 302, revoked in the list, twice is fine', async () => {
    const body = await signIn(built, 'bob@acme.test');
    const sid = jwtPayload(body.access_token).sid;
    const returnTo = encodeURIComponent('http://127.0.0.1:5173/');
    expect((await expectRedirect(await logout(`session_id=${sid}&return_to=${returnTo}`))).href).toBe('http://127.0.0.1:5173/');
    expect((await expectRedirect(await logout(`session_id=${sid}&return_to=${returnTo}`))).href).toBe('http://127.0.0.1:5173/');
    const list = await expectJson(await get(`/user_management/users/${USERS.bob}/sessions`), 200);
    const session = (list.data as Json[]).find((s) => s.id === sid)!;
    expect(session).toMatchObject({ object: 'session', user_id: USERS.bob, organization_id: ACME, status: 'revoked', auth_method: 'password' });
    expect(session.ended_at).toMatch(/Z$/);
  });

  it('logout page for browsers without return_to', async () => {
    const page = await expectHtml(await logout('session_id=session_unknown', { accept: 'text/html' }), 200);
    expect(page).toContain('<h1>Signed out</h1>');
  });

  it('revoke: 200 {}; unknown → 404; missing → 400', async () => {
    const body = await signIn(built);
    const sid = jwtPayload(body.access_token).sid;
    expect(await expectJson(await call(built, 'POST', '/user_management/sessions/revoke', { session_id: sid }, AUTH), 200)).toEqual({});
    expect(await expectJson(await call(built, 'POST', '/user_management/sessions/revoke', { session_id: 'session_nope' }, AUTH), 404)).toEqual({
      code: 'entity_not_found',
      message: "Session not found: 'session_nope'.",
      entity_id: 'session_nope',
    });
    expect(await expectJson(await call(built, 'POST', '/user_management/sessions/revoke', {}, AUTH), 400)).toEqual({ code: 'invalid_request', message: 'session_id is required.' });
    expect(await expectJson(await call(built, 'POST', '/user_management/sessions/revoke', '[1]', AUTH), 400)).toEqual({ code: 'invalid_request', message: 'The request body must be a JSON object.' });
  });

  it('the session list object', async () => {
    await signIn(built, 'carol@globex.test');
    const list = await expectJson(await get(`/user_management/users/${USERS.carol}/sessions?limit=1`), 200);
    expect(list.data).toHaveLength(1);
    expect(Object.keys(list.data[0]).sort()).toEqual(
      ['auth_method', 'created_at', 'ended_at', 'expires_at', 'id', 'ip_address', 'object', 'organization_id', 'status', 'updated_at', 'user_id', 'user_agent'].sort(),
    );
    expect(list.data[0]).toMatchObject({ object: 'session', status: 'active', ended_at: null, auth_method: 'password' });
  });
});

describe('logout without return_to', () => {
  it("redirects to the client's logout_redirect_uri when the fixture sets one, and the export keeps it", async () => {
    const { createMockAuthKit } = await import('../../src/server.js');
    const built = await createMockAuthKit({
      db: ':memory:',
      login: 'headless',
      log: () => {},
      fixtures: {
        workos: { clients: [{ client_id: 'client_logout', api_key: 'sk_test_logout_key', redirect_uris: ['http://localhost:3000/callback'], logout_redirect_uri: 'http://localhost:3000/signed-out' }] },
        users: [{ email: 'dana@x.test' }],
      },
    });
    try {
      const authorize = await built.app.request('/user_management/authorize?client_id=client_logout&redirect_uri=http://localhost:3000/callback&response_type=code');
      const code = new URL(authorize.headers.get('location')!).searchParams.get('code');
      const auth = await (
        await built.app.request('/user_management/authenticate', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ grant_type: 'authorization_code', client_id: 'client_logout', client_secret: 'sk_test_logout_key', code }),
        })
      ).json();
      const sid = jwtPayload(auth.access_token).sid;
      const logout = await built.app.request(`/user_management/sessions/logout?session_id=${sid}`);
      expect(logout.status).toBe(302);
      expect(logout.headers.get('location')).toBe('http://localhost:3000/signed-out');
      const exported = await (await built.app.request('/_mock/export')).json();
      expect(exported.workos.clients[0].logout_redirect_uri).toBe('http://localhost:3000/signed-out');
      // Without one configured, a browser gets a "Signed out" page and no redirect.
      const bad = await built.app.request('/_mock/fixtures', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workos: { clients: [{ client_id: 'c2', api_key: 'sk_test_c2_key', redirect_uris: ['http://x.test/*'], logout_redirect_uri: 'javascript:alert(1)' }] } }) });
      expect(bad.status).toBe(400);
      expect((await bad.json()).errors[0].path).toBe('$.workos.clients[0].logout_redirect_uri');
    } finally {
      built.db.close();
    }
  });
});
