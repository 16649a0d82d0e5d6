/**
 * A running mock over real HTTP, for the tests that drive it with the official SDKs: a headless server
 * on a temporary database, the control API (`/_mock/…`), the `stytch` client for an environment, and
 * the first steps of a WorkOS or Stytch login.
 *
 * @example
 * const mock = await startTestMock();
 * const control = controlApi(() => mock.url);
 * const auth = await exchange(mock, await workosCode(mock));
 * expect(await rejection(stytchClient(mock).sessions.authenticate({ session_token: 'x' }))).toMatchObject({ status_code: 404 });
 * await stopTestMock(mock);
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect, vi } from 'vitest';
import { Client } from 'stytch';
import { startMockAuthKit, type MockAuthKit } from '../../src/server.js';
import { REDIRECT_URI, pkce, type Json } from './app.js';
import { REDIRECT as STYTCH_REDIRECT } from '../stytch/helpers.js';
import { tempDb, type ReadyLine } from './cli.js';
import { followAuthorize, workosClient } from './workos.js';

export type { Json };

/** Where an environment answers and its credentials (a handle, a `POST /_mock/environments` answer, the CLI's ready line). */
export type Credentials = Pick<ReadyLine, 'url' | 'workos' | 'stytch'>;

/** What `POST /_mock/environments` answers and a handle carries. */
export interface Env extends Credentials {
  id: string;
}

/** What a control-API call answered. */
export interface ControlAnswer {
  status: number;
  body: Json;
}

const tempDirs = new Set<string>();

/** A headless mock on a fresh temporary database; stytch-node's warning about a custom `env` is silenced until `stopTestMock`. */
export async function startTestMock(): Promise<MockAuthKit> {
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  const db = tempDb();
  try {
    const mock = await startMockAuthKit({ port: 0, db, login: 'headless', log: () => {} });
    tempDirs.add(dirname(db));
    return mock;
  } catch (error) {
    rmSync(dirname(db), { recursive: true, force: true });
    throw error;
  }
}

/** Closes a mock from `startTestMock` (if it started), deletes its temporary folder and restores the spies. */
export async function stopTestMock(mock: MockAuthKit | undefined): Promise<void> {
  await mock?.close();
  if (mock && tempDirs.delete(dirname(mock.db))) rmSync(dirname(mock.db), { recursive: true, force: true });
  vi.restoreAllMocks();
}

/** A control-API call to the server at `base` (JSON content type asserted): the status, the parsed body and the raw text. */
export async function controlRequest(base: string, method: string, path: string, body?: unknown): Promise<ControlAnswer & { text: string }> {
  const res = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  expect(res.headers.get('content-type')).toBe('application/json');
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Json, text };
}

/** `controlRequest` bound to a server known once `beforeAll` has run; answers `{status, body}` (string bodies are sent as they are). */
export function controlApi(base: () => string): (method: string, path: string, body?: unknown) => Promise<ControlAnswer> {
  return async (method, path, body) => {
    const { status, body: json } = await controlRequest(base(), method, path, body);
    return { status, body: json };
  };
}

/** The official `stytch` Node client for an environment. */
export function stytchClient(env: Credentials): Client {
  return new Client({ project_id: env.stytch.project_id, secret: env.stytch.secret, env: `${env.url}/` });
}

/** What `promise` rejected with (fails if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** Headless authorize through the WorkOS SDK's PKCE URL: the redirect's query, the verifier and the state sent. */
export async function workosAuthorize(env: Credentials, loginHint?: string): Promise<{ query: URLSearchParams; codeVerifier: string; state: string }> {
  const { url, codeVerifier, state } = await workosClient(env).userManagement.getAuthorizationUrlWithPKCE({ provider: 'authkit', redirectUri: REDIRECT_URI, clientId: env.workos.client_id, loginHint });
  return { query: await followAuthorize(url), codeVerifier, state };
}

/** An unused WorkOS code for `loginHint` and its verifier, ready for `exchange`. */
export async function workosCode(env: Credentials, loginHint = 'alice@acme.test'): Promise<{ code: string; codeVerifier: string }> {
  const { query, codeVerifier } = await workosAuthorize(env, loginHint);
  return { code: query.get('code')!, codeVerifier };
}

/** `authenticateWithCode` with the WorkOS SDK. */
export const exchange = (env: Credentials, code: { code: string; codeVerifier: string }) => workosClient(env).userManagement.authenticateWithCode({ clientId: env.workos.client_id, ...code });

/** `authenticateWithRefreshToken` with the WorkOS SDK. */
export const refresh = (env: Credentials, refreshToken: string) => workosClient(env).userManagement.authenticateWithRefreshToken({ clientId: env.workos.client_id, refreshToken });

/** A browser navigation to the Stytch OAuth start URL with S256 PKCE (302 asserted): the redirect and the PKCE pair. */
export async function stytchStart(env: Credentials, params: Record<string, string> = {}): Promise<{ location: URL; verifier: string; challenge: string }> {
  const { verifier, challenge } = pkce();
  const query = new URLSearchParams({ public_token: env.stytch.public_token, login_redirect_url: STYTCH_REDIRECT, code_challenge: challenge, ...params });
  const res = await fetch(`${env.url}/v1/public/oauth/google/start?${query}`, { redirect: 'manual' });
  expect(res.status, await res.clone().text()).toBe(302);
  return { location: new URL(res.headers.get('location')!), verifier, challenge };
}

/** An unused Stytch OAuth token and its verifier, ready to spread into `oauth.authenticate`. */
export async function stytchToken(env: Credentials): Promise<{ token: string; code_verifier: string }> {
  const { location, verifier } = await stytchStart(env);
  return { token: location.searchParams.get('token')!, code_verifier: verifier };
}

/** A Stytch login with the SDK: a fresh token through `oauth.authenticate` with a 60-minute session. */
export const stytchLogin = async (env: Credentials) => stytchClient(env).oauth.authenticate({ ...(await stytchToken(env)), session_duration_minutes: 60 });
