/**
 * The control API (`/_mock/…`), in process: health, fixture validation with JSON paths (including
 * conflicts with stored rows), idempotent upsert, export round trips, the next-login queue, reset,
 * and `?environment=`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ACME,
  API_KEY,
  AUTH,
  CLIENT_ID,
  USERS,
  authenticate,
  authorizeCode,
  buildApp,
  call,
  expectJson,
  expectRedirect,
  authorizeParams,
  authorizeUrl,
  queryOf,
  signIn,
  type Built,
  type Json,
} from '../helpers/app.js';

let built: Built;
beforeAll(async () => {
  built = await buildApp({ login: 'headless' });
});
afterAll(() => built.db.close());
afterEach(async () => {
  await expectJson(await call(built, 'POST', '/_mock/reset'), 200);
});

const seed = (doc: unknown, query = '') => call(built, 'POST', `/_mock/fixtures${query}`, doc);
const exported = async () => expectJson(await call(built, 'GET', '/_mock/export'), 200);
const invalid = (errors: Array<{ path: string; message: string }>) => ({ code: 'invalid_request', message: 'The fixture document is invalid.', errors });

async function whoLogsIn(): Promise<string> {
  const { code, verifier } = await authorizeCode(built);
  const body = await expectJson(await authenticate(built, { grant_type: 'authorization_code', client_id: CLIENT_ID, client_secret: API_KEY, code, code_verifier: verifier }), 200);
  return body.user.email as string;
}

describe('health', () => {
  for (const path of ['/health', '/_mock/health'])
    it(`GET ${path} → 200 {status:"ok"}`, async () => {
      expect(await expectJson(await call(built, 'GET', path), 200)).toEqual({ status: 'ok' });
    });
});

describe('POST /_mock/fixtures: validation', () => {
  const cases: Array<[string, unknown, Array<{ path: string; message: string }>]> = [
    ['a bad email', { users: [{ email: 'not-an-email' }] }, [{ path: '$.users[0].email', message: 'must be an email address' }]],
    ['a missing email', { users: [{ first_name: 'X' }] }, [{ path: '$.users[0].email', message: 'is required' }]],
    ['an unknown key on a user', { users: [{ email: 'x@acme.test', nickname: 'x' }] }, [{ path: '$.users[0]', message: 'unknown key: nickname' }]],
    ['an unknown top-level key', { userz: [] }, [{ path: '$', message: 'unknown key: userz' }]],
    [
      'a membership to an unknown org',
      { users: [{ email: 'x@acme.test', memberships: [{ organization_id: 'org_nope' }] }] },
      [{ path: '$.users[0].memberships[0].organization_id', message: 'no organization with id "org_nope"' }],
    ],
    [
      'a bad membership status and a wrong type deep down',
      { users: [{ email: 'x@acme.test', memberships: [{ organization_id: ACME, status: 'gone' }], oauth: { provider: 'GoogleOAuth', access_token: 'a', expires_at: 'soon' } }] },
      [
        { path: '$.users[0].memberships[0].status', message: 'Invalid option: expected one of "active"|"inactive"|"pending"' },
        { path: '$.users[0].oauth.expires_at', message: 'Invalid input: expected number, received string' },
      ],
    ],
    [
      'duplicate emails in one document',
      { users: [{ email: 'dup@acme.test' }, { email: 'DUP@acme.test' }] },
      [{ path: '$.users[1].email', message: 'duplicate user email "DUP@acme.test" (first at $.users[0].email)' }],
    ],
    ['a non-URL redirect URI', { workos: { clients: [{ client_id: 'client_x', api_key: 'sk_test_xxxxxxxx', redirect_uris: ['not a url'] }] } }, [
      { path: '$.workos.clients[0].redirect_uris[0]', message: 'must be an absolute URL (a * may stand for a port, a host label or a path segment)' },
    ]],
    [
      "an id that names one stored user and an email that names another",
      { users: [{ id: USERS.bob, email: 'alice@acme.test' }] },
      [{ path: '$.users[0].email', message: `already belongs to user ${USERS.alice}` }],
    ],
    [
      "a stytch_user_id of another stored user",
      { users: [{ email: 'new@acme.test', stytch_user_id: 'user-test-b0b00000-0000-4000-8000-000000000002' }] },
      [{ path: '$.users[0].stytch_user_id', message: `already belongs to user ${USERS.bob}` }],
    ],
    [
      'a scenario naming a user that exists nowhere',
      { scenarios: [{ name: 'ghostly', user: 'ghost@acme.test' }] },
      [{ path: '$.scenarios[0].user', message: 'no user with email or id "ghost@acme.test"' }],
    ],
    [
      'two clients with one api_key in one document',
      { workos: { clients: [{ client_id: CLIENT_ID, api_key: 'sk_test_other_000000', redirect_uris: ['http://localhost:*'] }, { client_id: 'client_other', api_key: 'sk_test_other_000000', redirect_uris: ['http://localhost:*'] }] } },
      [{ path: '$.workos.clients[1].api_key', message: 'duplicate api_key "sk_test_other_000000" (first at $.workos.clients[0].api_key)' }],
    ],
  ];
  for (const [name, doc, errors] of cases)
    it(`${name} → 400 with the JSON path`, async () => {
      const before = await exported();
      expect(await expectJson(await seed(doc), 400)).toEqual(invalid(errors));
      expect(await exported()).toEqual(before);
    });

  it('an api_key held by another stored client → 400 at the api_key, nothing kept', async () => {
    await expectJson(await seed({ workos: { clients: [{ client_id: 'client_second', api_key: 'sk_test_second_0000', redirect_uris: ['http://localhost:*'] }] } }), 200);
    const before = await exported();
    const doc = {
      organizations: [{ name: 'Not Kept' }],
      workos: { clients: [{ client_id: 'client_second', api_key: API_KEY, redirect_uris: ['http://localhost:*'] }] },
    };
    expect(await expectJson(await seed(doc), 400)).toEqual(invalid([{ path: '$.workos.clients[0].api_key', message: `already belongs to client ${CLIENT_ID}` }]));
    expect(await exported()).toEqual(before);
  });

  it('lists every conflict, and keeps nothing of the document', async () => {
    const doc = {
      organizations: [{ name: 'Initech' }],
      users: [
        { email: 'fine@acme.test' },
        { id: USERS.carol, email: 'bob@acme.test' },
        { id: USERS.support, email: 'alice@acme.test' },
      ],
    };
    expect(await expectJson(await seed(doc), 400)).toEqual(
      invalid([
        { path: '$.users[1].email', message: `already belongs to user ${USERS.bob}` },
        { path: '$.users[2].email', message: `already belongs to user ${USERS.alice}` },
      ]),
    );
    const after = await exported();
    expect(after.organizations.map((o: Json) => o.name)).toEqual(['Acme', 'Globex']);
    expect(after.users.map((u: Json) => u.email)).not.toContain('fine@acme.test');
  });

  it('a body that is not a JSON object → 400 invalid_request', async () => {
    expect(await expectJson(await seed('{"users": ['), 400)).toEqual({ code: 'invalid_request', message: 'The request body is not valid JSON.' });
    expect(await expectJson(await seed('[]'), 400)).toEqual({ code: 'invalid_request', message: 'The request body must be a JSON object.' });
  });

  it('a scenario may name a user seeded earlier (by email or id), next to new users', async () => {
    const doc = { users: [{ email: 'new@acme.test' }], scenarios: [{ name: 'as-bob', user: 'bob@acme.test' }, { name: 'as-carol', user: USERS.carol }] };
    expect(await expectJson(await seed(doc), 200)).toEqual({ ok: true, environment: 'default' });
    await expectJson(await call(built, 'POST', '/_mock/next-login', { scenario: 'as-carol' }), 201);
    expect(await whoLogsIn()).toBe('carol@globex.test');
  });

  it('an empty document is fine', async () => {
    expect(await expectJson(await seed({}), 200)).toEqual({ ok: true, environment: 'default' });
  });
});

describe('POST /_mock/fixtures: upsert', () => {
  const doc = {
    organizations: [{ id: 'org_initech', name: 'Initech', domains: ['initech.test'] }],
    users: [
      { id: 'user_peter', email: 'peter@initech.test', first_name: 'Peter', last_name: 'Gibbons', memberships: [{ organization_id: 'org_initech', role: 'member' }] },
      { email: 'milton@initech.test', memberships: [{ organization_id: 'org_initech' }] },
    ],
    scenarios: [{ name: 'milton-logs-in', user: 'milton@initech.test' }],
  };

  it('seeding twice changes nothing (export identical, updated_at unchanged)', async () => {
    expect(await expectJson(await seed(doc), 200)).toEqual({ ok: true, environment: 'default' });
    const first = await exported();
    const peter1 = await expectJson(await call(built, 'GET', '/user_management/users/user_peter', undefined, AUTH), 200);
    const org1 = await expectJson(await call(built, 'GET', '/organizations/org_initech', undefined, AUTH), 200);
    built.ctx.clock.advance('default', 60_000);
    try {
      await expectJson(await seed(doc), 200);
      expect(await exported()).toEqual(first);
      const peter2 = await expectJson(await call(built, 'GET', '/user_management/users/user_peter', undefined, AUTH), 200);
      expect(peter2.updated_at).toBe(peter1.updated_at);
      expect(await expectJson(await call(built, 'GET', '/organizations/org_initech', undefined, AUTH), 200)).toEqual(org1);
      // A generated id stays put.
      const milton = (first.users as Json[]).find((u) => u.email === 'milton@initech.test')!;
      expect(milton.id).toMatch(/^user_[0-9A-Z]{26}$/);
      // A real change does move updated_at.
      await expectJson(await seed({ users: [{ id: 'user_peter', email: 'peter@initech.test', first_name: 'Pete' }] }), 200);
      const peter3 = await expectJson(await call(built, 'GET', '/user_management/users/user_peter', undefined, AUTH), 200);
      expect(peter3.first_name).toBe('Pete');
      expect(peter3.updated_at).not.toBe(peter1.updated_at);
    } finally {
      built.ctx.clock.reset('default');
    }
  });

  it('export → reset → seed the export → export is equal', async () => {
    await expectJson(await seed(doc), 200);
    await signIn(built, 'peter@initech.test'); // sessions are not part of the document
    const before = await exported();
    expect(await expectJson(await call(built, 'POST', '/_mock/reset'), 200)).toEqual({ ok: true, environment: 'default' });
    const afterReset = await exported();
    expect(afterReset.users.map((u: Json) => u.email)).not.toContain('peter@initech.test');
    await expectJson(await seed(before), 200);
    expect(await exported()).toEqual(before);
  });

  it('the export is itself a valid fixture (validates and seeds into a fresh server)', async () => {
    await expectJson(await seed(doc), 200);
    const before = await exported();
    const fresh = await buildApp({ login: 'headless', fixtures: before as never });
    try {
      expect(await expectJson(await call(fresh, 'GET', '/_mock/export'), 200)).toEqual(before);
    } finally {
      fresh.db.close();
    }
  });
});

describe('/_mock/next-login', () => {
  const queue = (body: unknown) => call(built, 'POST', '/_mock/next-login', body);
  const bad = (message: string, errors: Array<{ path: string; message: string }>) => ({ code: 'invalid_request', message, errors });

  it('unknown user / scenario / organization → 400 with the path', async () => {
    expect(await expectJson(await queue({ user: 'nobody@acme.test' }), 400)).toEqual(bad("No user with email or id 'nobody@acme.test'.", [{ path: '$.user', message: 'no such user' }]));
    expect(await expectJson(await queue({ scenario: 'nope' }), 400)).toEqual(bad("No scenario named 'nope'.", [{ path: '$.scenario', message: 'no such scenario' }]));
    expect(await expectJson(await queue({ organization_id: 'org_nope' }), 400)).toEqual(bad("No organization 'org_nope'.", [{ path: '$.organization_id', message: 'no such organization' }]));
  });

  it('unknown keys and wrong types → 400 with paths', async () => {
    expect(await expectJson(await queue({ user: 'alice@acme.test', bogus: 1 }), 400)).toEqual(
      bad('The next-login override is invalid.', [{ path: '$', message: 'unknown key: bogus' }]),
    );
    expect(await expectJson(await queue({ impersonator: { email: 'not-an-email' } }), 400)).toEqual(
      bad('The next-login override is invalid.', [{ path: '$.impersonator.email', message: 'must be an email address' }]),
    );
    expect(await expectJson(await queue({ error: { error: 'bad error<' } }), 400)).toEqual(
      bad('The next-login override is invalid.', [{ path: '$.error.error', message: 'Invalid string: must match pattern /^[\\w.:-]+$/' }]),
    );
    expect(await expectJson(await queue('[]'), 400)).toEqual({ code: 'invalid_request', message: 'The request body must be a JSON object.' });
    expect(await expectJson(await call(built, 'GET', '/_mock/next-login'), 200)).toEqual({ data: [] });
  });

  it('first in, first out; then back to the headless default', async () => {
    const first = await expectJson(await queue({ user: 'bob@acme.test' }), 201);
    const second = await expectJson(await queue({ user: USERS.carol, organization_id: ACME }), 201);
    expect(first.id).toMatch(/^next_login_[0-9A-Z]{26}$/);
    expect(Object.keys(first)).toEqual(['id']);
    expect(await expectJson(await call(built, 'GET', '/_mock/next-login'), 200)).toEqual({
      data: [
        { id: first.id, user: 'bob@acme.test' },
        { id: second.id, user: USERS.carol, organization_id: ACME },
      ],
    });
    expect(await whoLogsIn()).toBe('bob@acme.test');
    expect(await whoLogsIn()).toBe('carol@globex.test');
    expect(await whoLogsIn()).toBe('alice@acme.test');
  });

  it('DELETE empties the queue', async () => {
    await expectJson(await queue({ user: 'bob@acme.test' }), 201);
    await expectJson(await queue({ user: 'carol@globex.test' }), 201);
    expect(await expectJson(await call(built, 'DELETE', '/_mock/next-login'), 200)).toEqual({ deleted: 2 });
    expect(await expectJson(await call(built, 'GET', '/_mock/next-login'), 200)).toEqual({ data: [] });
    expect(await whoLogsIn()).toBe('alice@acme.test');
  });

  it('a queued error is answered to the app', async () => {
    await expectJson(await queue({ error: { error: 'access_denied', error_description: 'Nope.' } }), 201);
    const location = await expectRedirect(await built.app.request(authorizeUrl(authorizeParams({ state: 's' }))));
    expect(queryOf(location)).toEqual({ error: 'access_denied', error_description: 'Nope.', state: 's' });
  });
});

describe('POST /_mock/reset', () => {
  it('drops sessions (old refresh tokens fail) but keeps the signing key', async () => {
    const jwks = await (await built.app.request(`/sso/jwks/${CLIENT_ID}`)).text();
    const body = await signIn(built);
    await expectJson(await call(built, 'POST', '/_mock/next-login', { user: 'bob@acme.test' }), 201);
    expect(await expectJson(await call(built, 'POST', '/_mock/reset'), 200)).toEqual({ ok: true, environment: 'default' });
    expect(
      await expectJson(await authenticate(built, { grant_type: 'refresh_token', client_id: CLIENT_ID, client_secret: API_KEY, refresh_token: body.refresh_token }), 400),
    ).toEqual({ error: 'invalid_grant', error_description: 'Invalid refresh token.' });
    const after = await built.app.request(`/sso/jwks/${CLIENT_ID}`);
    expect(after.status).toBe(200);
    expect(await after.text()).toBe(jwks);
    // The queue went too.
    expect(await expectJson(await call(built, 'GET', '/_mock/next-login'), 200)).toEqual({ data: [] });
  });

  it('goes back to the start fixture (seeded additions are gone)', async () => {
    await expectJson(await seed({ users: [{ email: 'temp@acme.test' }] }), 200);
    await expectJson(await call(built, 'POST', '/_mock/reset'), 200);
    const list = await expectJson(await call(built, 'GET', '/user_management/users?email=temp%40acme.test', undefined, AUTH), 200);
    expect(list.data).toEqual([]);
  });
});

describe('?environment=', () => {
  const notFound = { code: 'environment_not_found', message: "No environment 'nope'." };
  const calls: Array<[string, string, unknown?]> = [
    ['POST', '/_mock/reset'],
    ['POST', '/_mock/fixtures', {}],
    ['GET', '/_mock/export'],
    ['GET', '/_mock/next-login'],
    ['POST', '/_mock/next-login', { user: 'alice@acme.test' }],
    ['DELETE', '/_mock/next-login'],
  ];
  for (const [method, path, body] of calls)
    it(`${method} ${path}?environment=nope → 404`, async () => {
      expect(await expectJson(await call(built, method, `${path}?environment=nope`, body), 404)).toEqual(notFound);
    });

  it('another environment is isolated, and cannot take over the default one\'s client', async () => {
    built.ctx.store.ensureEnvironment('worker-2', '{}', Date.now());
    const doc = { workos: { clients: [{ client_id: CLIENT_ID, api_key: 'sk_test_worker_2_000', redirect_uris: ['http://localhost:*'] }] } };
    expect(await expectJson(await seed(doc, '?environment=worker-2'), 400)).toEqual(
      invalid([{ path: '$.workos.clients[0]', message: 'client_id or api_key already belongs to another environment' }]),
    );
    await expectJson(await seed({ users: [{ email: 'w2@acme.test' }] }, '?environment=worker-2'), 200);
    expect((await expectJson(await call(built, 'GET', '/_mock/export?environment=worker-2'), 200)).users.map((u: Json) => u.email)).toEqual(['w2@acme.test']);
    expect((await exported()).users.map((u: Json) => u.email)).not.toContain('w2@acme.test');
    expect(await expectJson(await call(built, 'POST', '/_mock/reset?environment=worker-2'), 200)).toEqual({ ok: true, environment: 'worker-2' });
    expect(await expectJson(await call(built, 'GET', '/_mock/export?environment=worker-2'), 200)).toEqual({ organizations: [], users: [] });
  });

  it('an explicit default works like none', async () => {
    expect(await expectJson(await call(built, 'GET', '/_mock/next-login?environment=default'), 200)).toEqual({ data: [] });
  });

  it('odd environment names are looked up, not crashed on', async () => {
    const res = await call(built, 'GET', '/_mock/export?environment=%ZZ%3Cscript%3E');
    expect((await expectJson(res, 404)).code).toBe('environment_not_found');
  });
});
