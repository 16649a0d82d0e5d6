/**
 * In-process helpers for route tests: the app built with `createMockAuthKit` (no socket), driven with
 * Hono's `app.request()`, and the default fixture's facts.
 *
 * @example
 * const built = await buildApp({ login: 'headless' });
 * const { code, verifier } = await authorizeCode(built, { login_hint: 'bob@acme.test' });
 * const body = await expectJson(await authenticate(built, { grant_type: 'authorization_code', client_id: CLIENT_ID, code, code_verifier: verifier }), 200);
 */
import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { createMockAuthKit, type MockAuthKitApp, type MockAuthKitOptions } from '../../src/server.js';

export const CLIENT_ID = 'client_01MOCKAUTHKIT0000000000000';
export const API_KEY = 'sk_test_mock_authkit_0000000000000000';
export const REDIRECT_URI = 'http://localhost:3000/callback';
export const ACME = 'org_01MOCKACME0000000000000000';
export const GLOBEX = 'org_01MOCKGLOBEX00000000000000';
export const USERS = {
  alice: 'user_01MOCKALICE000000000000000',
  bob: 'user_01MOCKBOB00000000000000000',
  carol: 'user_01MOCKCAROL000000000000000',
  support: 'user_01MOCKSUPPORT0000000000000',
} as const;
export const AUTH = { authorization: `Bearer ${API_KEY}` };

export type Built = MockAuthKitApp;
export type Json = Record<string, any>;

/** A fresh in-memory app with the default fixture and no log output. */
export function buildApp(options: MockAuthKitOptions = {}): Promise<Built> {
  return createMockAuthKit({ db: ':memory:', log: () => {}, ...options });
}

/** Asserts status and exactly `application/json`, and returns the parsed body. */
export async function expectJson(res: Response, status: number): Promise<Json> {
  const text = await res.text();
  expect({ status: res.status, body: text }).toMatchObject({ status });
  expect(res.headers.get('content-type')).toBe('application/json');
  expect(res.headers.get('location')).toBeNull();
  return JSON.parse(text) as Json;
}

/** Asserts status and an HTML page (never a redirect), and returns the markup. */
export async function expectHtml(res: Response, status: number): Promise<string> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(res.headers.get('location')).toBeNull();
  return res.text();
}

/** Asserts a 302 with an empty body and returns the parsed `Location`. */
export async function expectRedirect(res: Response): Promise<URL> {
  expect(res.status).toBe(302);
  const location = res.headers.get('location');
  expect(location).toBeTruthy();
  // Header values are bytes: anything outside printable ASCII would fail on a real socket.
  expect(location).toMatch(/^[\x21-\x7e]+$/);
  expect(await res.text()).toBe('');
  return new URL(location!);
}

/** `origin + pathname` of a URL (what the app was sent back to, without the query). */
export const target = (url: URL) => `${url.origin}${url.pathname}`;

/** The query of a redirect as a plain object (every key once). */
export const queryOf = (url: URL) => Object.fromEntries(url.searchParams);

/** An S256 PKCE pair (43-character verifier, like the SDKs make). */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** `/user_management/authorize?…`; `undefined` values are left out. */
export function authorizeUrl(params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, value);
  return `/user_management/authorize?${query}`;
}

/** The parameters every SDK sends, overridable. */
export function authorizeParams(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, response_type: 'code', provider: 'authkit', ...extra };
}

/** Runs authorize (headless or with a deciding hint) with S256 PKCE and returns the code and its verifier. */
export async function authorizeCode(built: Built, extra: Record<string, string | undefined> = {}): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkce();
  const res = await built.app.request(authorizeUrl(authorizeParams({ code_challenge: challenge, code_challenge_method: 'S256', ...extra })));
  const location = await expectRedirect(res);
  const code = location.searchParams.get('code');
  expect(code, `no code in ${location}`).toBeTruthy();
  return { code: code!, verifier };
}

/** `POST /user_management/authenticate` with a JSON (default) or form body, or a raw string. */
export function authenticate(built: Built, body: unknown, as: 'json' | 'form' | 'raw' = 'json'): Promise<Response> {
  if (as === 'form') {
    return Promise.resolve(
      built.app.request('/user_management/authenticate', {
        method: 'POST',
        body: new URLSearchParams(body as Record<string, string>).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      }),
    );
  }
  return Promise.resolve(
    built.app.request('/user_management/authenticate', {
      method: 'POST',
      body: as === 'raw' ? (body as string) : JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    }),
  );
}

/** Logs `hint` in through authorize + the code grant; returns the success body. */
export async function signIn(built: Built, hint = 'alice@acme.test'): Promise<Json> {
  const { code, verifier } = await authorizeCode(built, { login_hint: hint });
  return expectJson(await authenticate(built, { grant_type: 'authorization_code', client_id: CLIENT_ID, client_secret: API_KEY, code, code_verifier: verifier }), 200);
}

/** A JSON request to the app (control API, REST endpoints). */
export function call(built: Built, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return Promise.resolve(
    built.app.request(path, {
      method,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    }),
  );
}

/** The payload of a JWT, unverified (the tests that verify use jose). */
export function jwtPayload(token: string): Json {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Json;
}
