/**
 * Property-based fuzzing (fast-check) of every public endpoint, in-process through `app.request()`.
 *
 * Each request starts from a valid one (fresh codes, refresh tokens, OAuth tokens and sessions minted
 * just before it, valid credentials) and is then mutated: fields deleted, set to hostile strings or
 * arbitrary JSON, unknown fields added, the body re-encoded (JSON, form, raw text, a bare JSON value,
 * 600 KB) under a random content type, with a random Authorization, Accept and Origin. Properties:
 *
 * 1. never a 5xx;
 * 2. every response is JSON (`application/json`), an HTML page (`text/html; charset=utf-8`) or an empty
 *    302; a JSON 4xx is in the vendor's error shape (WorkOS `{code, message}` or `{error,
 *    error_description}`; Stytch all five fields with `status_code` = the HTTP status);
 * 3. HTML contains no unescaped `<script` (nor the other injected tags);
 * 4. a `Location` only ever points at a registered redirect URI (the fixtures register
 *    `http://localhost:*`, `http://127.0.0.1:*`, `http://[::1]:*` and nothing else);
 * 5. a rejected request (4xx, or a 302 carrying `error=`) changes nothing stored: every table's rows
 *    (count and content hash), `GET /_mock/export`, and the in-memory faults and clock are the same
 *    after it as before (the request journal may legitimately grow).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_FIXTURE_PATH } from '../../src/core/fixtures.js';
import { createMockAuthKit, type MockAuthKitApp, type MockAuthKitOptions } from '../../src/server.js';
import { pkce, sessionIdOf } from './helpers.js';

// ── the world ───────────────────────────────────────────────────────────────────────────────────

const CLIENT_ID = 'client_01MOCKAUTHKIT0000000000000';
const API_KEY = 'sk_test_mock_authkit_0000000000000000';
const PROJECT_ID = 'project-test-00000000-0000-4000-8000-000000000000';
const SECRET = 'secret-test-bW9jay1hdXRoa2l0LXN0eXRjaC1zZWNyZXQ=';
const PUBLIC_TOKEN = 'public-token-test-00000000-0000-4000-8000-000000000000';
const ACME = 'org_01MOCKACME0000000000000000';
const GLOBEX = 'org_01MOCKGLOBEX00000000000000';
const ALICE = 'user_01MOCKALICE000000000000000';
const ALICE_STYTCH = 'user-test-a11ce000-0000-4000-8000-000000000001';
const PASSWORD = 'correct horse battery staple';

/** The default fixture, with passwords so the password grant can succeed (and fail with 403). */
function fixture() {
  const doc = JSON.parse(readFileSync(DEFAULT_FIXTURE_PATH, 'utf8'));
  doc.users[0].password = PASSWORD;
  doc.users.push({ email: 'unverified@acme.test', password: PASSWORD, email_verified: false });
  return doc;
}

/** A new in-memory app: each endpoint is fuzzed against the same small world, untouched by the others. */
function freshApp(options: MockAuthKitOptions = {}): Promise<MockAuthKitApp> {
  return createMockAuthKit({ db: ':memory:', login: 'headless', fixtures: fixture(), log: () => {}, ...options });
}

const NUM_RUNS = 200;

// ── hostile values ──────────────────────────────────────────────────────────────────────────────

const INJECTED_TAGS = ['<script', '<img src=x', '<svg onload'];
/** Markup that must never come back unescaped (as values, and inside URIs that get echoed). */
const TAGGED = [
  '<script>alert(1)</script>',
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '</title><svg onload=alert(1)>',
  'http://evil.test/<script>alert(1)</script>',
  'http://localhost:3000/cb?x=<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.test/x.js></SCRIPT>',
];
const EVIL = [
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'http://evil.test/callback',
  'https://evil.test',
  '//evil.test/x',
  'http://evil.test\\.localhost:3000/',
  'http://localhost:3000@evil.test/',
  'http://user:pass@localhost:3000/callback',
  'http://localhost:3000/callback#fragment',
  'http://localhost:3000/callback\r\nSet-Cookie: x=1',
  'http://localhost:3000/café',
  'http://[::1]:3000/cb',
  'http://127.0.0.1:8080/cb',
  'myapp://callback',
  'file:///etc/passwd',
  '\u0000',
  '\r\n',
  '%00',
  '%ZZ',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '0',
  '-1',
  '1e309',
  'NaN',
  'null',
  'true',
  '[]',
  '{}',
  '   ',
  '',
  'a'.repeat(5_000),
  '😀',
  '\uD800',
  'S256',
  'plain',
  'authorization_code',
  'refresh_token',
  'password',
  'urn:ietf:params:oauth:grant-type:device_code',
  ALICE,
  ALICE_STYTCH,
  'alice@acme.test',
  'ALICE@ACME.TEST',
  'unverified@acme.test',
  ACME,
  GLOBEX,
  CLIENT_ID,
  API_KEY,
  PROJECT_ID,
  SECRET,
  PUBLIC_TOKEN,
  'default',
  'active,inactive',
  'asc',
  'desc',
  '5',
  '527041',
  '100',
  '101',
];

const fuzzString: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...TAGGED) },
  { weight: 3, arbitrary: fc.constantFrom(...EVIL) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

/** Any JSON value, hostile strings included, and now and then a big object (custom claims past 4 KB). */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fuzzString },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 1, 4, 5, 60, 527040, 527041, 1.5, 1e308, true, false, null, [], {}) },
  { weight: 1, arbitrary: fc.dictionary(fuzzString, fc.constantFrom('x'.repeat(5_000), 1, null, { nested: ['x'] }), { maxKeys: 3 }) },
);

/** A header-safe string (the Fetch API refuses CR, LF and NUL; header values are bytes). */
const headerString = fc.oneof(fc.constantFrom(...TAGGED, ...EVIL), fc.string({ unit: 'binary-ascii', maxLength: 60 })).map((value) => value.replace(/[^\x20-\x7e]/g, ''));

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

// ── fresh credentials, minted just before the request that uses them ───────────────────────────

/** Placeholders a generated request may hold; each is replaced by a freshly minted value before sending. */
const FRESH = {
  code: '«code»', // WorkOS code (S256)
  verifier: '«verifier»', // its PKCE verifier
  refresh: '«refresh»', // WorkOS refresh token
  sid: '«sid»', // WorkOS session id
  stoken: '«stoken»', // Stytch OAuth token (PKCE)
  sverifier: '«sverifier»', // its verifier
  ssession: '«ssession»', // Stytch session_token
  sjwt: '«sjwt»', // Stytch session_jwt
  ssid: '«ssid»', // Stytch session_id
} as const;

type Fresh = Record<keyof typeof FRESH, string>;

/** An Authorization header the runner turns into `Basic base64(public_token:<fresh session_token>)`. */
const PUBLIC_SESSION_AUTH = `«basic-public»${FRESH.ssession}`;

async function mintWorkosCode(built: MockAuthKitApp) {
  const { verifier, challenge } = pkce();
  const query = new URLSearchParams({ client_id: CLIENT_ID, redirect_uri: 'http://localhost:3000/callback', response_type: 'code', code_challenge: challenge, code_challenge_method: 'S256', login_hint: 'alice@acme.test' });
  const res = await built.app.request(`/user_management/authorize?${query}`);
  const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
  return { code, verifier };
}

async function mintStytchToken(built: MockAuthKitApp) {
  const { verifier, challenge } = pkce();
  const query = new URLSearchParams({ public_token: PUBLIC_TOKEN, login_redirect_url: 'http://localhost:3000/authenticate', code_challenge: challenge, provider_login_hint: 'alice@acme.test' });
  const res = await built.app.request(`/v1/public/oauth/google/start?${query}`);
  const token = new URL(res.headers.get('location')!).searchParams.get('token')!;
  return { token, verifier };
}

/** Mints the fresh values `text` mentions (only those, so minting never happens for nothing). */
async function mint(built: MockAuthKitApp, text: string): Promise<Partial<Fresh>> {
  // Minting goes straight through authorize/start, whatever login mode the app under test has.
  const mode = built.ctx.options.loginMode;
  built.ctx.options.loginMode = 'headless';
  try {
    return await mintHeadless(built, text);
  } finally {
    built.ctx.options.loginMode = mode;
  }
}

async function mintHeadless(built: MockAuthKitApp, text: string): Promise<Partial<Fresh>> {
  const fresh: Partial<Fresh> = {};
  const uses = (...names: Array<keyof typeof FRESH>) => names.some((name) => text.includes(FRESH[name]));
  if (uses('code', 'verifier')) {
    const { code, verifier } = await mintWorkosCode(built);
    Object.assign(fresh, { code, verifier });
  }
  if (uses('refresh', 'sid')) {
    const { code, verifier } = await mintWorkosCode(built);
    const res = await built.app.request('/user_management/authenticate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'authorization_code', client_id: CLIENT_ID, client_secret: API_KEY, code, code_verifier: verifier }),
    });
    const body = await res.json();
    fresh.refresh = body.refresh_token;
    fresh.sid = sessionIdOf(body.access_token);
  }
  if (uses('stoken', 'sverifier')) {
    const { token, verifier } = await mintStytchToken(built);
    Object.assign(fresh, { stoken: token, sverifier: verifier });
  }
  if (uses('ssession', 'sjwt', 'ssid')) {
    const { token, verifier } = await mintStytchToken(built);
    const res = await built.app.request('/v1/oauth/authenticate', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${b64(`${PROJECT_ID}:${SECRET}`)}` },
      body: JSON.stringify({ token, code_verifier: verifier, session_duration_minutes: 60 }),
    });
    const body = await res.json();
    Object.assign(fresh, { ssession: body.session_token, sjwt: body.session_jwt, ssid: body.user_session.session_id });
  }
  return fresh;
}

function substitute(text: string, fresh: Partial<Fresh>): string {
  let out = text;
  for (const [name, placeholder] of Object.entries(FRESH)) {
    const value = fresh[name as keyof Fresh];
    if (value !== undefined) out = out.split(placeholder).join(value);
  }
  return out;
}

// ── generated requests ──────────────────────────────────────────────────────────────────────────

type Encoding = 'json' | 'form' | 'raw' | 'value' | 'none' | 'huge';

interface Generated {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Encoded at send time, after the fresh values are in (a form would percent-encode the placeholders). */
  body?: { encoding: Encoding; fields: Record<string, unknown>; raw: string; value: unknown };
}

type Mutation = { op: 'delete'; key: string } | { op: 'set'; key: string; value: unknown } | { op: 'add'; key: string; value: unknown };

function mutations(keys: string[]): fc.Arbitrary<Mutation[]> {
  const known = fc.constantFrom(...keys);
  return fc.array(
    fc.oneof(
      fc.record({ op: fc.constant('delete' as const), key: known }),
      { weight: 3, arbitrary: fc.record({ op: fc.constant('set' as const), key: known, value: anyValue }) },
      fc.record({ op: fc.constant('add' as const), key: fuzzString, value: anyValue }),
    ),
    { maxLength: 3 },
  );
}

function applyMutations(base: Record<string, unknown>, changes: Mutation[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const change of changes) {
    if (change.op === 'delete') delete out[change.key];
    else Object.defineProperty(out, change.key, { value: change.value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value) ?? '');

/** Query values are strings; arbitrary JSON is sent as its text. */
function asQuery(params: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([key, value]) => [key, asText(value)]));
}

const authArb = fc.oneof(
  fc.constant(undefined),
  fc.constant(`Bearer ${API_KEY}`),
  fc.constant(`Basic ${b64(`${PROJECT_ID}:${SECRET}`)}`),
  fc.constant(`Basic ${b64(`${PUBLIC_TOKEN}:${PUBLIC_TOKEN}`)}`),
  fc.constant(PUBLIC_SESSION_AUTH),
  headerString.map((value) => `Bearer ${value}`),
  fc.tuple(fuzzString, fuzzString).map(([user, password]) => `Basic ${b64(`${user}:${password}`)}`),
  headerString.map((value) => `Basic ${value}`),
  headerString,
);

const contentTypeArb = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'APPLICATION/JSON',
    'application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded;charset=utf-8',
    'text/plain',
    'multipart/form-data; boundary=x',
  ),
  headerString,
  fc.constant(undefined),
);

const acceptArb = fc.constantFrom(undefined, 'text/html,application/xhtml+xml', 'text/html', 'application/json', '*/*');
const originArb = fc.constantFrom(undefined, 'http://localhost:3000', 'http://evil.test', 'null');

function encodeBody(encoding: Encoding, fields: Record<string, unknown>, raw: string, value: unknown): string | undefined {
  switch (encoding) {
    case 'json':
      return JSON.stringify(fields);
    case 'form': {
      const form = new URLSearchParams();
      for (const [key, item] of Object.entries(fields)) form.append(key, asText(item));
      return form.toString();
    }
    case 'raw':
      return raw;
    case 'value':
      return JSON.stringify(value);
    case 'huge':
      return JSON.stringify({ ...fields, padding: 'x'.repeat(600 * 1024) });
    case 'none':
      return undefined;
  }
}

/** The parts every endpoint shares: headers and (for POST) a body, from `fields`. */
function requestArb(input: {
  method: string;
  path: fc.Arbitrary<string>;
  query?: fc.Arbitrary<Record<string, unknown>>;
  body?: fc.Arbitrary<Record<string, unknown>>;
  auth?: fc.Arbitrary<string | undefined>;
  encoding?: fc.Arbitrary<Encoding>;
  contentType?: fc.Arbitrary<string | undefined>;
}): fc.Arbitrary<Generated> {
  const encoding =
    input.encoding ??
    fc.oneof(
      { weight: 12, arbitrary: fc.constant<Encoding>('json') },
      { weight: 3, arbitrary: fc.constant<Encoding>('form') },
      { weight: 2, arbitrary: fc.constant<Encoding>('raw') },
      { weight: 2, arbitrary: fc.constant<Encoding>('value') },
      { weight: 1, arbitrary: fc.constant<Encoding>('none') },
      { weight: 1, arbitrary: fc.constant<Encoding>('huge') },
    );
  return fc
    .record({
      path: input.path,
      query: input.query ?? fc.constant({}),
      fields: input.body ?? fc.constant({}),
      encoding,
      raw: fuzzString,
      value: fc.jsonValue({ maxDepth: 2 }),
      auth: input.auth ?? authArb,
      contentType: input.contentType ?? fc.oneof({ weight: 3, arbitrary: fc.constant<string | undefined>('fit') }, { weight: 2, arbitrary: contentTypeArb }),
      accept: acceptArb,
      origin: originArb,
    })
    .map((parts) => {
      const headers: Record<string, string> = {};
      if (parts.auth !== undefined) headers.authorization = parts.auth;
      if (parts.accept !== undefined) headers.accept = parts.accept;
      if (parts.origin !== undefined) headers.origin = parts.origin;
      let body: Generated['body'];
      if (input.method !== 'GET') {
        body = { encoding: parts.encoding, fields: parts.fields, raw: parts.raw, value: parts.value };
        // Mostly the content type that fits the body, sometimes any other (or none).
        const type = parts.contentType === 'fit' ? (parts.encoding === 'form' ? 'application/x-www-form-urlencoded' : 'application/json') : parts.contentType;
        if (type !== undefined) headers['content-type'] = type;
      }
      return { method: input.method, path: parts.path, query: asQuery(parts.query), headers, body };
    });
}

/** Valid `base` objects, then 0–3 mutations. */
function params(bases: Array<Record<string, unknown>>, keys: string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(fc.constantFrom(...bases), mutations(keys)).map(([base, changes]) => applyMutations(base, changes));
}

/** `s` with lone surrogates replaced (encodeURIComponent throws on them). */
const wellFormed = (s: string) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

/** A path segment: mostly a valid id, else a hostile one (percent-encoded, or raw tricky bytes). */
function segment(valid: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...valid) },
    { weight: 3, arbitrary: fuzzString.filter((s) => s !== '').map((s) => encodeURIComponent(wellFormed(s))) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '..', '.', '%2F', 'a%2Fb', "'", '"', '%3Cscript%3E') },
  );
}

// ── the checks ──────────────────────────────────────────────────────────────────────────────────

const TABLES_SQL = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";

/** Everything a rejected request must leave alone: each table (count + content hash), the export, and in-memory faults and clock. */
async function snapshot(built: MockAuthKitApp): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const tables = built.db.prepare(TABLES_SQL).all() as Array<{ name: string }>;
  for (const { name } of tables) {
    const rows = built.db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all();
    out[name] = `${rows.length} rows ${createHash('sha1').update(JSON.stringify(rows)).digest('hex')}`;
  }
  out.export = createHash('sha1').update(await (await built.app.request('/_mock/export')).text()).digest('hex');
  const environments = built.ctx.store.listEnvironments();
  out.memory = JSON.stringify(environments.map((env) => [env, built.ctx.faults.list(env), built.ctx.clock.offset(env)]));
  return out;
}

const isStytchPath = (path: string) => path.startsWith('/v1/') || path.startsWith('/sdk/v1/');

/** The registered patterns of the fuzzed world, checked independently of the server's matcher. */
function isRegisteredLocation(location: string): boolean {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return false;
  }
  return (
    url.protocol === 'http:' &&
    ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) &&
    url.username === '' &&
    url.password === '' &&
    !location.includes('#') &&
    /^[\x21-\x7e]+$/.test(location)
  );
}

interface Outcome {
  status: number;
  rejected: boolean;
}

/** Sends one generated request and checks properties 1–5; returns what happened. */
async function check(built: MockAuthKitApp, generated: Generated, options: { snapshot?: boolean } = {}): Promise<Outcome> {
  const text = JSON.stringify(generated);
  const fresh = await mint(built, text);
  const request = JSON.parse(substitute(text, fresh)) as Generated;
  const auth = request.headers.authorization;
  if (auth?.startsWith('«basic-public»')) request.headers.authorization = `Basic ${b64(`${PUBLIC_TOKEN}:${auth.slice('«basic-public»'.length)}`)}`;
  const query = new URLSearchParams(request.query).toString();
  const url = `http://localhost${request.path}${query ? `?${query}` : ''}`;
  const before = options.snapshot === false ? undefined : await snapshot(built);
  const payload = request.body && encodeBody(request.body.encoding, request.body.fields, request.body.raw, request.body.value);
  const res = await built.app.request(url, { method: request.method, headers: request.headers, body: payload });
  const body = await res.text();
  const type = res.headers.get('content-type');
  const location = res.headers.get('location');
  const what = `${request.method} ${url.slice(0, 300)} → ${res.status} ${type} ${body.slice(0, 300)}`;

  // 1. Never a 5xx.
  expect(res.status, what).toBeLessThan(500);
  // 2. JSON, HTML or an empty redirect; JSON errors in the vendor's shape.
  if (res.status === 302) {
    expect(body, what).toBe('');
    expect(location, what).toBeTruthy();
  } else {
    expect(location, what).toBeNull();
    expect(['application/json', 'text/html; charset=utf-8'], what).toContain(type);
  }
  if (type === 'application/json') {
    const json = JSON.parse(body);
    if (res.status >= 400) {
      // The vendor of the path the server saw (`/v1/..` is `/`).
      if (isStytchPath(new URL(url).pathname)) {
        expect(json, what).toEqual({
          status_code: res.status,
          request_id: expect.any(String),
          error_type: expect.any(String),
          error_message: expect.any(String),
          error_url: expect.any(String),
        });
      } else {
        const oauth = typeof json.error === 'string' && typeof json.error_description === 'string';
        const rest = typeof json.code === 'string' && typeof json.message === 'string';
        expect(oauth || rest, what).toBe(true);
      }
    }
  }
  // 3. HTML escapes what it prints.
  if (type === 'text/html; charset=utf-8') for (const tag of INJECTED_TAGS) expect(body.toLowerCase(), what).not.toContain(tag);
  // 4. Redirects only to registered URIs.
  if (location !== null) expect(isRegisteredLocation(location), `Location ${location} of ${what}`).toBe(true);
  // 5. A rejected request changes nothing stored.
  const rejected = res.status >= 400 || (location !== null && new URL(location).searchParams.has('error'));
  if (rejected && before) expect(await snapshot(built), `state after ${what}`).toEqual(before);
  return { status: res.status, rejected };
}

/** Runs `arb` through `check`, and asserts both outcomes were seen (the generator reaches past the checks). */
async function fuzz(
  built: MockAuthKitApp,
  arb: fc.Arbitrary<Generated>,
  options: { expectSuccess?: boolean; afterEach?: () => Promise<void> | void; numRuns?: number } = {},
) {
  const statuses: Record<number, number> = {};
  await fc.assert(
    fc.asyncProperty(arb, async (generated) => {
      try {
        const outcome = await check(built, generated);
        statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
      } finally {
        await options.afterEach?.();
      }
    }),
    { numRuns: options.numRuns ?? NUM_RUNS },
  );
  const successes = Object.entries(statuses).filter(([status]) => Number(status) < 400).reduce((n, [, count]) => n + count, 0);
  const failures = Object.entries(statuses).filter(([status]) => Number(status) >= 400).reduce((n, [, count]) => n + count, 0);
  if (options.expectSuccess !== false) expect(successes, JSON.stringify(statuses)).toBeGreaterThan(0);
  expect(failures, JSON.stringify(statuses)).toBeGreaterThan(0);
}

/** {@link fuzz} against a new app (headless unless `options` say otherwise). */
async function fuzzFresh(options: MockAuthKitOptions, arb: fc.Arbitrary<Generated>, outcomes: { expectSuccess?: boolean } = {}) {
  const built = await freshApp(options);
  try {
    await fuzz(built, arb, outcomes);
  } finally {
    built.db.close();
  }
}

// ── endpoints ───────────────────────────────────────────────────────────────────────────────────

const bearer = fc.oneof({ weight: 4, arbitrary: fc.constant(`Bearer ${API_KEY}`) }, { weight: 1, arbitrary: authArb });
const secretBasic = fc.oneof({ weight: 4, arbitrary: fc.constant(`Basic ${b64(`${PROJECT_ID}:${SECRET}`)}`) }, { weight: 1, arbitrary: authArb });
const publicBasic = fc.oneof(
  { weight: 2, arbitrary: fc.constant(`Basic ${b64(`${PUBLIC_TOKEN}:${PUBLIC_TOKEN}`)}`) },
  { weight: 2, arbitrary: fc.constant(PUBLIC_SESSION_AUTH) },
  { weight: 1, arbitrary: authArb },
);
const pageKeys = ['limit', 'before', 'after', 'order'];
const pageBase = [{}, { limit: '5', order: 'asc' }, { limit: '1', after: ALICE }, { order: 'desc', before: ALICE }];

const AUTHORIZE_KEYS = ['client_id', 'redirect_uri', 'response_type', 'provider', 'state', 'code_challenge', 'code_challenge_method', 'organization_id', 'login_hint', 'screen_hint', 'domain_hint', 'connection_id'];
const authorizeArb = requestArb({
  method: 'GET',
  path: fc.constant('/user_management/authorize'),
  query: params(
    [
      { client_id: CLIENT_ID, redirect_uri: 'http://localhost:3000/callback', response_type: 'code', provider: 'authkit', state: 'xyz', code_challenge: pkce().challenge, code_challenge_method: 'S256' },
      { client_id: CLIENT_ID, redirect_uri: 'http://127.0.0.1:5173/cb', response_type: 'code', login_hint: 'bob@acme.test', organization_id: ACME },
      { client_id: CLIENT_ID, redirect_uri: 'http://localhost:3000/callback', response_type: 'code', login_hint: '<script>alert(1)</script>', state: '"><script>alert(1)</script>' },
      { client_id: CLIENT_ID, redirect_uri: 'http://evil.test/<script>alert(1)</script>', response_type: 'code' },
    ],
    AUTHORIZE_KEYS,
  ),
});

const AUTHENTICATE_KEYS = ['grant_type', 'client_id', 'client_secret', 'code', 'code_verifier', 'redirect_uri', 'refresh_token', 'organization_id', 'email', 'password', 'ip_address', 'user_agent'];
const authenticateBases = [
  { grant_type: 'authorization_code', client_id: CLIENT_ID, client_secret: API_KEY, code: FRESH.code, code_verifier: FRESH.verifier },
  { grant_type: 'authorization_code', client_id: CLIENT_ID, code: FRESH.code, code_verifier: FRESH.verifier, redirect_uri: 'http://localhost:3000/callback' },
  // Rejected after the code is found: nothing may be spent or written.
  { grant_type: 'authorization_code', client_id: CLIENT_ID, code: FRESH.code, code_verifier: pkce().verifier },
  { grant_type: 'authorization_code', client_id: CLIENT_ID, client_secret: API_KEY, code: FRESH.code, code_verifier: FRESH.verifier, redirect_uri: 'http://localhost:3000/other' },
  { grant_type: 'refresh_token', client_id: CLIENT_ID, client_secret: API_KEY, refresh_token: FRESH.refresh },
  { grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: FRESH.refresh, organization_id: GLOBEX },
  { grant_type: 'password', client_id: CLIENT_ID, client_secret: API_KEY, email: 'alice@acme.test', password: PASSWORD },
  { grant_type: 'password', client_id: CLIENT_ID, client_secret: API_KEY, email: 'unverified@acme.test', password: PASSWORD },
];

const START_KEYS = ['public_token', 'login_redirect_url', 'signup_redirect_url', 'code_challenge', 'custom_scopes', 'provider_login_hint', 'oauth_attach_token', 'provider_prompt'];
const startArb = requestArb({
  method: 'GET',
  path: segment(['google', 'github', 'microsoft', 'apple']).map((provider) => `/v1/public/oauth/${provider}/start`),
  query: params(
    [
      { public_token: PUBLIC_TOKEN, login_redirect_url: 'http://localhost:3000/authenticate', code_challenge: pkce().challenge },
      { public_token: PUBLIC_TOKEN, login_redirect_url: 'http://localhost:3000/authenticate', signup_redirect_url: 'http://127.0.0.1:3000/signup', provider_login_hint: 'bob@acme.test', custom_scopes: 'email profile' },
      { public_token: PUBLIC_TOKEN, login_redirect_url: 'http://localhost:3000/authenticate', provider_login_hint: '"><script>alert(1)</script>' },
      { public_token: PUBLIC_TOKEN },
      { public_token: PUBLIC_TOKEN, login_redirect_url: 'http://evil.test/<script>alert(1)</script>' },
    ],
    START_KEYS,
  ),
});

describe('fuzzing every public endpoint', () => {
  describe('WorkOS', () => {
    it('GET /user_management/authorize (headless)', () => fuzzFresh({}, authorizeArb));
    it('GET /user_management/authorize (login page)', () => fuzzFresh({ login: 'page' }, authorizeArb));

    it('POST /user_management/authenticate (JSON)', () =>
      fuzzFresh({}, requestArb({ method: 'POST', path: fc.constant('/user_management/authenticate'), body: params(authenticateBases, AUTHENTICATE_KEYS) })));

    it('POST /user_management/authenticate (form)', () =>
      fuzzFresh(
        {},
        requestArb({
          method: 'POST',
          path: fc.constant('/user_management/authenticate'),
          body: params(authenticateBases, AUTHENTICATE_KEYS),
          encoding: fc.constant<Encoding>('form'),
          contentType: fc.oneof({ weight: 4, arbitrary: fc.constant('application/x-www-form-urlencoded') }, { weight: 1, arbitrary: contentTypeArb }),
        }),
      ));

    it('GET /user_management/sessions/logout', () =>
      fuzzFresh(
        {},
        requestArb({
          method: 'GET',
          path: fc.constant('/user_management/sessions/logout'),
          query: params(
            [
              { session_id: FRESH.sid, return_to: 'http://localhost:3000/' },
              { session_id: FRESH.sid },
              { session_id: 'session_01UNKNOWN', return_to: 'http://127.0.0.1:3000/bye' },
              { session_id: FRESH.sid, return_to: 'http://evil.test/"><script>alert(1)</script>' },
            ],
            ['session_id', 'return_to'],
          ),
        }),
      ));

    it('POST /user_management/sessions/revoke', () =>
      fuzzFresh({}, requestArb({ method: 'POST', path: fc.constant('/user_management/sessions/revoke'), auth: bearer, body: params([{ session_id: FRESH.sid }], ['session_id']) })));

    it('GET /user_management/users', () =>
      fuzzFresh(
        {},
        requestArb({
          method: 'GET',
          path: fc.constant('/user_management/users'),
          auth: bearer,
          query: params([...pageBase, { email: 'alice@acme.test' }, { organization_id: ACME, limit: '2' }], [...pageKeys, 'email', 'organization_id']),
        }),
      ));

    it('GET /user_management/users/:id', () =>
      fuzzFresh({}, requestArb({ method: 'GET', path: segment([ALICE, 'user_01MOCKBOB00000000000000000']).map((id) => `/user_management/users/${id}`), auth: bearer })));

    it('GET /user_management/users/:id/sessions', () =>
      fuzzFresh({}, requestArb({ method: 'GET', path: segment([ALICE]).map((id) => `/user_management/users/${id}/sessions`), auth: bearer, query: params(pageBase, pageKeys) })));

    it('GET /user_management/organization_memberships', () =>
      fuzzFresh(
        {},
        requestArb({
          method: 'GET',
          path: fc.constant('/user_management/organization_memberships'),
          auth: bearer,
          query: params([{ user_id: ALICE }, { organization_id: ACME, statuses: 'active,inactive' }, { user_id: ALICE, statuses: 'pending', limit: '1' }], [...pageKeys, 'user_id', 'organization_id', 'statuses']),
        }),
      ));

    it('GET /organizations/:id', () => fuzzFresh({}, requestArb({ method: 'GET', path: segment([ACME, GLOBEX]).map((id) => `/organizations/${id}`), auth: bearer })));

    it('GET /sso/jwks/:id', () => fuzzFresh({}, requestArb({ method: 'GET', path: segment([CLIENT_ID]).map((id) => `/sso/jwks/${id}`) })));
  });

  describe('Stytch', () => {
    it('GET /v1/public/oauth/:provider/start (headless)', () => fuzzFresh({}, startArb));
    it('GET /v1/public/oauth/:provider/start (login page)', () => fuzzFresh({ login: 'page' }, startArb));

    const OAUTH_KEYS = ['token', 'code_verifier', 'session_duration_minutes', 'session_token', 'session_jwt', 'session_custom_claims'];
    const oauthBases = [
      { token: FRESH.stoken, code_verifier: FRESH.sverifier, session_duration_minutes: 60 },
      { token: FRESH.stoken, code_verifier: FRESH.sverifier },
      { token: FRESH.stoken, code_verifier: FRESH.sverifier, session_duration_minutes: 30, session_custom_claims: { plan: 'pro' } },
      { token: FRESH.stoken, code_verifier: FRESH.sverifier, session_token: FRESH.ssession },
      // Rejected after the token is found: nothing may be spent or written.
      { token: FRESH.stoken, code_verifier: pkce().verifier, session_duration_minutes: 60 },
      { token: FRESH.stoken, code_verifier: FRESH.sverifier, session_duration_minutes: 60, session_custom_claims: { big: 'x'.repeat(5_000) } },
      { token: FRESH.stoken, code_verifier: FRESH.sverifier, session_token: FRESH.ssession, session_custom_claims: { big: 'x'.repeat(5_000) } },
    ];

    it('POST /v1/oauth/authenticate', () =>
      fuzzFresh({}, requestArb({ method: 'POST', path: fc.constant('/v1/oauth/authenticate'), auth: secretBasic, body: params(oauthBases, OAUTH_KEYS) })));

    it('POST /v1/sessions/authenticate', () =>
      fuzzFresh(
        {},
        requestArb({
          method: 'POST',
          path: fc.constant('/v1/sessions/authenticate'),
          auth: secretBasic,
          body: params(
            [{ session_token: FRESH.ssession }, { session_jwt: FRESH.sjwt, session_duration_minutes: 60 }, { session_token: FRESH.ssession, session_custom_claims: { a: 1 } }],
            ['session_token', 'session_jwt', 'session_duration_minutes', 'session_custom_claims', 'authorization_check'],
          ),
        }),
      ));

    it('POST /v1/sessions/revoke', () =>
      fuzzFresh(
        {},
        requestArb({
          method: 'POST',
          path: fc.constant('/v1/sessions/revoke'),
          auth: secretBasic,
          body: params([{ session_id: FRESH.ssid }, { session_token: FRESH.ssession }, { session_jwt: FRESH.sjwt }], ['session_id', 'session_token', 'session_jwt']),
        }),
      ));

    it('GET /v1/sessions/jwks/:id', () => fuzzFresh({}, requestArb({ method: 'GET', path: segment([PROJECT_ID]).map((id) => `/v1/sessions/jwks/${id}`) })));

    it('GET /v1/users/:id', () => fuzzFresh({}, requestArb({ method: 'GET', path: segment([ALICE_STYTCH]).map((id) => `/v1/users/${id}`), auth: secretBasic })));

    it('POST /sdk/v1/oauth/authenticate', () =>
      fuzzFresh({}, requestArb({ method: 'POST', path: fc.constant('/sdk/v1/oauth/authenticate'), auth: publicBasic, body: params(oauthBases, OAUTH_KEYS) })));

    it('POST /sdk/v1/sessions/authenticate', () =>
      fuzzFresh(
        {},
        requestArb({
          method: 'POST',
          path: fc.constant('/sdk/v1/sessions/authenticate'),
          auth: publicBasic,
          body: params([{}, { session_duration_minutes: 60 }, { session_custom_claims: { a: 'b' } }], ['session_duration_minutes', 'session_custom_claims']),
        }),
      ));

    it('POST /sdk/v1/sessions/revoke', () => fuzzFresh({}, requestArb({ method: 'POST', path: fc.constant('/sdk/v1/sessions/revoke'), auth: publicBasic, body: params([{}], ['session_token']) })));

    it('GET /sdk/v1/projects/bootstrap/:public_token', () => fuzzFresh({}, requestArb({ method: 'GET', path: segment([PUBLIC_TOKEN]).map((token) => `/sdk/v1/projects/bootstrap/${token}`) })));
  });

  it('any method on any path under the vendors’ and control prefixes', () =>
    fuzzFresh(
      {},
      fc
        .record({
          method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
          prefix: fc.constantFrom('/user_management/', '/organizations/', '/sso/', '/v1/', '/v1/sessions/', '/sdk/v1/', '/_mock/', '/'),
          rest: segment(['authenticate', 'authorize', 'users', 'sessions', 'oauth', 'health', 'export', 'jwks']),
        })
        .chain(({ method, prefix, rest }) => requestArb({ method, path: fc.constant(`${prefix}${rest}`) })),
      { expectSuccess: false },
    ));
});

// ── control API ─────────────────────────────────────────────────────────────────────────────────

const emailArb = fc.oneof(fc.constantFrom('alice@acme.test', 'new@acme.test', 'bob@acme.test', 'x@y.z'), fuzzString);
const idArb = fc.oneof(fc.constantFrom(ACME, GLOBEX, ALICE, 'org_new', 'user_new', 'client_new'), fuzzString);
const uriArb = fc.oneof(fc.constantFrom('http://localhost:*', 'http://localhost:3000/cb', 'http://127.0.0.1:*'), fuzzString);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** Fixture-shaped documents: mostly plausible, often subtly wrong (conflicts, bad references, bad types). */
const fixtureDocArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      {
        workos: fc.record({ clients: fc.array(fc.record({ client_id: idArb, api_key: fc.oneof(fc.constant(API_KEY), fc.constant('sk_test_other'), fuzzString), redirect_uris: fc.array(uriArb, { maxLength: 2 }) }), { maxLength: 2 }) }),
        stytch: fc.record({ projects: fc.array(fc.record({ project_id: fc.oneof(fc.constant(PROJECT_ID), idArb), secret: fuzzString, public_token: fc.oneof(fc.constant(PUBLIC_TOKEN), fuzzString), redirect_urls: fc.array(uriArb, { maxLength: 2 }) }), { maxLength: 2 }) }),
        organizations: fc.array(fc.record({ id: maybe(idArb), name: fuzzString, domains: maybe(fc.array(fuzzString, { maxLength: 2 })) }, { requiredKeys: ['name'] }), { maxLength: 3 }),
        users: fc.array(
          fc.record(
            {
              id: maybe(idArb),
              email: emailArb,
              first_name: maybe(fuzzString),
              password: maybe(fuzzString),
              memberships: maybe(fc.array(fc.record({ organization_id: idArb, role: maybe(fuzzString) }, { requiredKeys: ['organization_id'] }), { maxLength: 2 })),
              impersonator: maybe(fc.record({ email: emailArb, reason: maybe(fuzzString) }, { requiredKeys: ['email'] })),
            },
            { requiredKeys: ['email'] },
          ),
          { maxLength: 3 },
        ),
        scenarios: fc.array(fc.record({ name: fuzzString, user: maybe(emailArb), organization_id: maybe(idArb) }, { requiredKeys: ['name'] }), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    ),
  },
  // Valid on their own, with one conflict only the stored rows show: nothing of them may be kept.
  {
    weight: 2,
    arbitrary: fc
      .record({ user: fc.constantFrom('newcomer@x.test', 'another@x.test'), org: fc.constantFrom('Initech', 'Hooli'), conflict: fc.constantFrom('user', 'client', 'project') })
      .map(({ user, org, conflict }) => ({
        organizations: [{ name: org }],
        users: [{ email: user }, ...(conflict === 'user' ? [{ id: ALICE, email: 'bob@acme.test' }] : [])],
        // The default environment's own credentials: a conflict when seeded into another environment.
        ...(conflict === 'client' ? { workos: { clients: [{ client_id: CLIENT_ID, api_key: API_KEY, redirect_uris: ['http://localhost:*'] }] } } : {}),
        ...(conflict === 'project' ? { stytch: { projects: [{ project_id: PROJECT_ID, secret: SECRET, public_token: PUBLIC_TOKEN, redirect_urls: ['http://localhost:*'] }] } } : {}),
      })),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
);

const nextLoginArb: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    user: emailArb,
    scenario: fc.oneof(fc.constant('support-impersonates-alice'), fuzzString),
    organization_id: fc.oneof(idArb, fc.constant(null)),
    impersonator: fc.oneof(fc.record({ email: emailArb, reason: maybe(fuzzString) }, { requiredKeys: ['email'] }), fc.constant(null), anyValue),
    oauth: fc.oneof(fc.record({ provider: fc.constantFrom('GoogleOAuth', ''), access_token: fuzzString, expires_at: maybe(fc.integer()) }, { requiredKeys: ['provider'] }), fc.constant(null), anyValue),
    authentication_method: fc.oneof(fc.constantFrom('Password', 'GoogleOAuth', 'SSO'), fuzzString),
    error: fc.oneof(fc.record({ error: fuzzString, error_description: maybe(fuzzString) }, { requiredKeys: ['error'] }), anyValue),
  },
  { requiredKeys: [] },
);

const faultArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record(
    {
      path: fc.oneof(fc.constantFrom('/user_management/authenticate', '/v1/**', '/sso/jwks/:id'), fuzzString),
      method: maybe(fc.oneof(fc.constantFrom('GET', 'POST', 'get'), fuzzString)),
      status: maybe(fc.oneof(fc.constantFrom(200, 400, 429, 500, 503, 599, 600, 100), fc.integer())),
      body: maybe(anyValue),
      count: maybe(fc.oneof(fc.constantFrom(1, 3, 0, -1, 10_001), fc.integer())),
      delay_ms: maybe(fc.constantFrom(0, 10, -5, 60_001)),
      when: maybe(fc.oneof(fc.record({ grant_type: maybe(fuzzString) }), anyValue)),
    },
    { requiredKeys: [] },
  ),
  fc.record({ token: fc.oneof(fc.constantFrom('expired', 'bad_signature', 'unknown_kid', 'wrong_issuer'), fuzzString), count: maybe(fc.oneof(fc.constantFrom(1, 0), fc.integer())) }, { requiredKeys: [] }),
);

const clockArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ advance_seconds: fc.oneof(fc.constantFrom(60, -60, 0, 1e12, 3.5), fc.integer(), anyValue) }),
  fc.record({ now: fc.oneof(fc.constantFrom('2030-01-01T00:00:00Z', '2030-01-01T00:00:00+02:00', 'yesterday', '2030-13-01T00:00:00Z'), fuzzString) }),
  fc.record({ advance_seconds: fc.constant(1), now: fc.constant('2030-01-01T00:00:00Z') }),
);

/** `?environment=`: none, the default, a real other one, or anything. */
function environmentQuery(ids: () => string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: fc.constant({ environment: 'default' }) },
    { weight: 1, arbitrary: fc.nat().map((i) => ({ environment: ids()[i % ids().length] })) },
    { weight: 1, arbitrary: fuzzString.map((environment) => ({ environment })) },
  );
}

function controlArb(
  method: fc.Arbitrary<string>,
  path: fc.Arbitrary<string>,
  body: fc.Arbitrary<unknown>,
  ids: () => string[],
): fc.Arbitrary<Generated> {
  return fc
    .record({ method, path, body, environment: environmentQuery(ids) })
    .chain(({ method: verb, path: route, body: doc, environment }) =>
      requestArb({
        method: verb,
        path: fc.constant(route),
        query: fc.constant(environment),
        body: fc.constant(doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : { value: doc }),
        // No fresh Stytch session in the header: a seeded fixture may have moved the project's redirect URLs.
        auth: authArb.filter((auth) => auth !== PUBLIC_SESSION_AUTH),
        encoding: fc.oneof({ weight: 8, arbitrary: fc.constant<Encoding>('json') }, { weight: 1, arbitrary: fc.constantFrom<Encoding>('raw', 'value', 'none', 'form') }),
      }),
    );
}

describe('fuzzing the control API', () => {
  /** A fresh app per endpoint, so one endpoint's successes cannot change what another is checked against. */
  let built: MockAuthKitApp;
  let other = 'default';
  const ids = () => ['default', other];

  const fresh = async () => {
    built?.db.close();
    built = await freshApp();
    other = ((await (await built.app.request('/_mock/environments', { method: 'POST' })).json()) as { id: string }).id;
  };
  afterAll(() => built?.db.close());

  /** In-memory state a successful call may leave behind, cleared between runs. */
  const clearRuntime = () => {
    for (const env of built.ctx.store.listEnvironments()) {
      built.ctx.faults.clear(env);
      built.ctx.clock.reset(env);
      built.ctx.store.clearNextLogins(env);
    }
  };

  it('POST /_mock/fixtures', async () => {
    await fresh();
    await fuzz(built, controlArb(fc.constant('POST'), fc.constant('/_mock/fixtures'), fixtureDocArb, ids));
  });

  it('GET/POST/DELETE /_mock/next-login', async () => {
    await fresh();
    await fuzz(built, controlArb(fc.constantFrom('POST', 'POST', 'POST', 'GET', 'DELETE'), fc.constant('/_mock/next-login'), nextLoginArb, ids), { afterEach: clearRuntime });
  });

  it('GET/POST/DELETE /_mock/faults', async () => {
    await fresh();
    await fuzz(built, controlArb(fc.constantFrom('POST', 'POST', 'POST', 'GET', 'DELETE'), fc.constant('/_mock/faults'), faultArb, ids), { afterEach: clearRuntime });
  });

  it('GET/POST/DELETE /_mock/clock', async () => {
    await fresh();
    await fuzz(built, controlArb(fc.constantFrom('POST', 'POST', 'POST', 'GET', 'DELETE'), fc.constant('/_mock/clock'), clockArb, ids), { afterEach: clearRuntime });
  });

  it('GET/POST/DELETE /_mock/environments', async () => {
    await fresh();
    const path = fc.oneof(fc.constant('/_mock/environments'), segment(['default', 'env_01UNKNOWN']).map((id) => `/_mock/environments/${id}`), fc.constant(null).map(() => `/_mock/environments/${other}`));
    const method = fc.constantFrom('POST', 'GET', 'DELETE');
    // Fewer runs: every environment made gets its own RSA signing key (~0.1 s).
    await fuzz(built, controlArb(method, path, fc.oneof(fixtureDocArb, fc.constant({})), ids), {
      numRuns: 100,
      afterEach: async () => {
        // Keep the world small (the created ones go) and one other environment to aim at.
        for (const env of built.ctx.store.listEnvironments()) if (env !== 'default' && env !== other) built.ctx.store.deleteEnvironment(env);
        if (!built.ctx.store.environmentExists(other)) other = ((await (await built.app.request('/_mock/environments', { method: 'POST' })).json()) as { id: string }).id;
      },
    });
  });

  it('GET/DELETE /_mock/requests', async () => {
    await fresh();
    const query = fc.record(
      { path: fc.oneof(fc.constantFrom('/user_management/authenticate', '/v1/*'), fuzzString), method: fuzzString, since: fc.oneof(fc.constantFrom('0', '5', '2030-01-01T00:00:00Z'), fuzzString), limit: fc.oneof(fc.constantFrom('1', '0', '-1', '501', '1.5'), fuzzString), environment: fc.oneof(fc.constant('default'), fuzzString) },
      { requiredKeys: [] },
    );
    const arb = fc
      .record({ method: fc.constantFrom('GET', 'GET', 'DELETE'), query })
      .chain(({ method, query: q }) => requestArb({ method, path: fc.constant('/_mock/requests'), query: fc.constant(q), encoding: fc.constant<Encoding>('none') }));
    // A few vendor requests first, so there is a journal to read.
    for (let i = 0; i < 5; i++) await built.app.request('/sso/jwks/' + CLIENT_ID);
    await fuzz(built, arb);
  });
});
