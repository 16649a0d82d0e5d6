/**
 * Loopback HTTP for the reliability tests: plain `node:http` over a keep-alive agent with many sockets
 * (so 100 requests really are 100 concurrent connections), and the WorkOS / Stytch login steps built
 * on it.
 *
 * @example
 * const http = new Http(100);
 * const { code, verifier } = await workosCode(http, url, { client_id, api_key });
 * const res = await workosAuthenticate(http, url, { grant_type: 'authorization_code', client_id, code, code_verifier: verifier });
 * http.close();
 */
import { Agent, request } from 'node:http';
import { jwtPayload, pkce } from '../helpers/app.js';

export { pkce };

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => any;
}

/** A keep-alive agent with up to `sockets` connections per origin. */
export class Http {
  readonly agent: Agent;
  constructor(sockets = 100) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {}): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const req = request(url, { method: init.method ?? 'GET', headers: init.headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
      });
      req.on('error', reject);
      if (init.timeoutMs) req.setTimeout(init.timeoutMs, () => req.destroy(new Error(`timeout after ${init.timeoutMs} ms`)));
      req.end(init.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface WorkOSCredentials {
  client_id: string;
  api_key: string;
}

export interface StytchCredentials {
  project_id: string;
  secret: string;
  public_token: string;
}

/** Headless `GET /user_management/authorize` with S256 PKCE → the code and its verifier. */
export async function workosCode(http: Http, base: string, workos: WorkOSCredentials, hint = 'alice@acme.test'): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkce();
  const query = new URLSearchParams({
    client_id: workos.client_id,
    redirect_uri: 'http://localhost:3000/callback',
    response_type: 'code',
    provider: 'authkit',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    login_hint: hint,
  });
  const res = await http.request(`${base}/user_management/authorize?${query}`);
  if (res.status !== 302) throw new Error(`authorize answered ${res.status}: ${res.text}`);
  const code = new URL(String(res.headers.location)).searchParams.get('code');
  if (!code) throw new Error(`no code in ${res.headers.location}`);
  return { code, verifier };
}

/** `POST /user_management/authenticate` with a JSON body. */
export function workosAuthenticate(http: Http, base: string, body: Record<string, unknown>, timeoutMs?: number): Promise<HttpResponse> {
  return http.request(`${base}/user_management/authenticate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    timeoutMs,
  });
}

/** Authorize + code grant → the success body. */
export async function workosLogin(http: Http, base: string, workos: WorkOSCredentials, hint = 'alice@acme.test'): Promise<any> {
  const { code, verifier } = await workosCode(http, base, workos, hint);
  const res = await workosAuthenticate(http, base, { grant_type: 'authorization_code', client_id: workos.client_id, client_secret: workos.api_key, code, code_verifier: verifier });
  if (res.status !== 200) throw new Error(`code grant answered ${res.status}: ${res.text}`);
  return res.json();
}

/** The refresh grant for `refreshToken`. */
export function workosRefresh(http: Http, base: string, workos: WorkOSCredentials, refreshToken: string, timeoutMs?: number): Promise<HttpResponse> {
  return workosAuthenticate(http, base, { grant_type: 'refresh_token', client_id: workos.client_id, client_secret: workos.api_key, refresh_token: refreshToken }, timeoutMs);
}

/** Headless `GET /v1/public/oauth/google/start` with PKCE → the OAuth token and its verifier. */
export async function stytchToken(http: Http, base: string, stytch: StytchCredentials): Promise<{ token: string; verifier: string }> {
  const { verifier, challenge } = pkce();
  const query = new URLSearchParams({ public_token: stytch.public_token, login_redirect_url: 'http://localhost:3000/authenticate', code_challenge: challenge });
  const res = await http.request(`${base}/v1/public/oauth/google/start?${query}`);
  if (res.status !== 302) throw new Error(`start answered ${res.status}: ${res.text}`);
  const token = new URL(String(res.headers.location)).searchParams.get('token');
  if (!token) throw new Error(`no token in ${res.headers.location}`);
  return { token, verifier };
}

/** `POST /v1/oauth/authenticate` with Basic `project_id:secret`. */
export function stytchAuthenticate(http: Http, base: string, stytch: StytchCredentials, body: Record<string, unknown>): Promise<HttpResponse> {
  return http.request(`${base}/v1/oauth/authenticate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${stytch.project_id}:${stytch.secret}`).toString('base64')}` },
    body: JSON.stringify(body),
  });
}

/** The `sid` claim of a WorkOS access token (unverified). */
export function sessionIdOf(accessToken: string): string {
  return jwtPayload(accessToken).sid as string;
}

/** Counts of each status. */
export function tally(responses: HttpResponse[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const res of responses) counts[res.status] = (counts[res.status] ?? 0) + 1;
  return counts;
}
