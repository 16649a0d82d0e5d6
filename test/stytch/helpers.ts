/**
 * In-process helpers for the Stytch route tests: an app built with `createMockAuthKit` (no socket),
 * driven with Hono's `app.request()`, plus the default fixture's Stytch facts.
 *
 * @example
 * const built = await buildApp({ login: 'headless' });
 * const { token, verifier } = await startToken(built, { provider_login_hint: 'bob@acme.test' });
 * const body = await expectStytchOk(await backend(built, 'POST', '/v1/oauth/authenticate', { token, code_verifier: verifier }));
 */
import { expect } from 'vitest';
import { call, expectRedirect, pkce, type Built, type Json } from '../helpers/app.js';

export { buildApp, expectRedirect, jwtPayload, pkce, type Built, type Json } from '../helpers/app.js';

export const PROJECT_ID = 'project-test-00000000-0000-4000-8000-000000000000';
export const SECRET = 'secret-test-bW9jay1hdXRoa2l0LXN0eXRjaC1zZWNyZXQ=';
export const PUBLIC_TOKEN = 'public-token-test-00000000-0000-4000-8000-000000000000';
export const REDIRECT = 'http://localhost:3000/authenticate';
export const STYTCH_USERS = {
  alice: 'user-test-a11ce000-0000-4000-8000-000000000001',
  bob: 'user-test-b0b00000-0000-4000-8000-000000000002',
  carol: 'user-test-ca201000-0000-4000-8000-000000000003',
} as const;

export const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
export const SECRET_AUTH = basic(PROJECT_ID, SECRET);
export const PUBLIC_AUTH = basic(PUBLIC_TOKEN, PUBLIC_TOKEN);

/** `/v1/public/oauth/<provider>/start?…`; undefined values are left out. */
export function startUrl(params: Record<string, string | undefined>, provider = 'google'): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, value);
  return `/v1/public/oauth/${provider}/start?${query}`;
}

/** Asserts a Stytch-shaped error (HTTP status = status_code, all five fields) and returns the body. */
export async function expectStytchError(res: Response, status: number, errorType?: string): Promise<Json> {
  const text = await res.text();
  expect({ status: res.status, text }).toMatchObject({ status });
  expect(res.headers.get('content-type')).toBe('application/json');
  expect(res.headers.get('location')).toBeNull();
  const body = JSON.parse(text) as Json;
  expect(body).toEqual({
    status_code: status,
    request_id: expect.stringMatching(/^request-id-test-[0-9a-f-]{36}$/),
    error_type: errorType ?? expect.any(String),
    error_message: expect.any(String),
    error_url: expect.stringContaining('https://stytch.com/docs/'),
  });
  return body;
}

/** Asserts a 200 JSON body with `status_code: 200` and a request id, and returns it. */
export async function expectStytchOk(res: Response): Promise<Json> {
  const text = await res.text();
  expect({ status: res.status, text }).toMatchObject({ status: 200 });
  expect(res.headers.get('content-type')).toBe('application/json');
  return JSON.parse(text) as Json;
}

/** Runs the start endpoint with S256 PKCE and returns the token from the redirect. */
export async function startToken(
  built: Built,
  extra: Record<string, string | undefined> = {},
  provider = 'google',
): Promise<{ token: string; verifier: string; location: URL }> {
  const { verifier, challenge } = pkce();
  const location = await expectRedirect(
    await built.app.request(startUrl({ public_token: PUBLIC_TOKEN, login_redirect_url: REDIRECT, code_challenge: challenge, ...extra }, provider)),
  );
  expect(location.searchParams.get('stytch_token_type')).toBe('oauth');
  const token = location.searchParams.get('token');
  expect(token).toMatch(/^[A-Za-z0-9_-]{44}$/);
  return { token: token!, verifier, location };
}

/** A request with a JSON body (string bodies are sent as they are). */
export const request = call;

/** A backend call with `project_id:secret`. */
export const backend = (built: Built, method: string, path: string, body?: unknown) => request(built, method, path, body, { authorization: SECRET_AUTH });

/** An SDK call with `public_token:<password>` (password defaults to the public token: no session). */
export const sdk = (built: Built, method: string, path: string, body?: unknown, password = PUBLIC_TOKEN) =>
  request(built, method, path, body, { authorization: basic(PUBLIC_TOKEN, password) });

/** Logs `hint` in (start + backend authenticate with a 60-minute session) and returns the body. */
export async function signIn(built: Built, hint = 'alice@acme.test', extra: Json = {}): Promise<Json> {
  const { token, verifier } = await startToken(built, { provider_login_hint: hint });
  return expectStytchOk(await backend(built, 'POST', '/v1/oauth/authenticate', { token, code_verifier: verifier, session_duration_minutes: 60, ...extra }));
}

/** The header of a JWT, unverified. */
export function jwtHeader(token: string): Json {
  return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as Json;
}

export const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
