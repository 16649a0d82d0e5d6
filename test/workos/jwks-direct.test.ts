/**
 * The JWKS answered ahead of Hono (core/direct-answers.ts) must be exactly what the app answers, be
 * journaled the same way, and step aside for everything the app decides: CORS, unknown clients, faults,
 * other methods. Real HTTP against a started server, side by side with the app's own `app.request()`.
 */
import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MockAuthKit } from '../../src/server.js';
import { CLIENT_ID } from '../helpers/app.js';
import { startTestMock, stopTestMock } from '../helpers/control.js';

let mock: MockAuthKit;

beforeAll(async () => {
  mock = await startTestMock();
});
afterEach(async () => {
  await mock.faults.clear();
  await mock.requests.clear();
});
afterAll(() => stopTestMock(mock));

/**
 * Status, headers and body, without what only a socket adds (Node's Date/Connection/Keep-Alive, and the
 * content-length @hono/node-server writes, which must then be the body's length).
 */
async function wire(res: Response) {
  const body = await res.text();
  const length = res.headers.get('content-length');
  if (length !== null) expect(Number(length)).toBe(Buffer.byteLength(body));
  const headers = [...res.headers].filter(([name]) => !['date', 'connection', 'keep-alive', 'content-length'].includes(name));
  return { status: res.status, headers, body };
}

describe('JWKS answered directly', () => {
  for (const path of [`/sso/jwks/${CLIENT_ID}`, `/user_management/sessions/jwks/${CLIENT_ID}`, `/sso/jwks/${CLIENT_ID}?cache=1`]) {
    it(`GET ${path} → the same status, headers and body as the app`, async () => {
      const direct = await wire(await fetch(`${mock.url}${path}`));
      const app = await wire(await mock.app.request(path));
      expect(direct).toEqual(app);
      expect(direct.status).toBe(200);
      expect(direct.headers).toEqual([
        ['content-type', 'application/json'],
        ['vary', 'Origin'],
      ]);
      expect(JSON.parse(direct.body).keys[0].kid).toMatch(/^sso_oidc_key_pair_[0-9A-Z]{26}$/);
    });
  }

  it('is answered without the app (whose instrumentation counts every vendor request it answers)', async () => {
    const entered = vi.spyOn(mock.ctx.load, 'enter');
    try {
      expect((await fetch(`${mock.url}/sso/jwks/${CLIENT_ID}`)).status).toBe(200);
      expect(entered).not.toHaveBeenCalled();
      expect((await fetch(`${mock.url}/sso/jwks/${CLIENT_ID}`, { headers: { origin: 'http://localhost:3000' } })).status).toBe(200);
      expect(entered).toHaveBeenCalledTimes(1);
    } finally {
      entered.mockRestore();
    }
  });

  it('is journaled exactly as the app journals it', async () => {
    await fetch(`${mock.url}/sso/jwks/${CLIENT_ID}?x=1`);
    await mock.app.request(`/sso/jwks/${CLIENT_ID}?x=1`);
    const [direct, app] = await mock.requests.list({ path: `/sso/jwks/${CLIENT_ID}` });
    const { id: _a, time: _b, duration_ms: directMs, ...directRest } = direct;
    const { id: _c, time: _d, duration_ms: _e, ...appRest } = app;
    expect(directRest).toEqual(appRest);
    expect(directRest).toEqual({ vendor: 'workos', method: 'GET', path: `/sso/jwks/${CLIENT_ID}`, query: { x: '1' }, status: 200, body: {} });
    expect(directMs).toBeGreaterThanOrEqual(0);
  });

  it('an unknown client is the app’s 404', async () => {
    const res = await fetch(`${mock.url}/sso/jwks/client_nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ code: 'entity_not_found', message: "Client not found: 'client_nope'.", entity_id: 'client_nope' });
  });

  it('a queued HTTP fault on the JWKS is played, then the key set comes back', async () => {
    await mock.faults.add({ path: `/sso/jwks/${CLIENT_ID}`, status: 503, count: 1 });
    const faulted = await fetch(`${mock.url}/sso/jwks/${CLIENT_ID}`);
    expect(faulted.status).toBe(503);
    expect(await faulted.json()).toEqual({ code: 'server_error', message: 'Injected fault (HTTP 503).' });
    expect((await fetch(`${mock.url}/sso/jwks/${CLIENT_ID}`)).status).toBe(200);
  });

  it('a request with an Origin header gets the app’s CORS answer', async () => {
    const origin = 'http://localhost:3000';
    const direct = await wire(await fetch(`${mock.url}/sso/jwks/${CLIENT_ID}`, { headers: { origin } }));
    const app = await wire(await mock.app.request(`/sso/jwks/${CLIENT_ID}`, { headers: { origin } }));
    expect(direct).toEqual(app);
    expect(direct.headers.map(([name]) => name)).toContain('vary');
  });

  it('a GET with a body is the app’s to answer, with the same key set', async () => {
    const entered = vi.spyOn(mock.ctx.load, 'enter');
    try {
      const direct = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const url = new URL(`${mock.url}/sso/jwks/${CLIENT_ID}`);
        const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'GET', headers: { 'content-length': 2 } }, (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        });
        req.on('error', reject);
        req.end('{}');
      });
      expect(direct).toEqual({ status: 200, body: await (await mock.app.request(`/sso/jwks/${CLIENT_ID}`)).text() });
      expect(entered).toHaveBeenCalled();
    } finally {
      entered.mockRestore();
    }
  });

  it('HEAD and POST are the app’s to answer', async () => {
    for (const method of ['HEAD', 'POST']) {
      const direct = await fetch(`${mock.url}/sso/jwks/${CLIENT_ID}`, { method });
      const app = await mock.app.request(`/sso/jwks/${CLIENT_ID}`, { method });
      expect({ method, status: direct.status }).toEqual({ method, status: app.status });
    }
  });
});
