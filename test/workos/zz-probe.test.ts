import { it } from 'vitest';
import { createMockAuthKit } from '../../src/server.js';
it('probe', async () => {
  const built = await createMockAuthKit({ db: ':memory:', login: 'headless', log: (l) => console.log('LOG', l.slice(0,200)) });
  const show = async (label: string, p: Promise<Response>) => { const r = await p; console.log(label, r.status, r.headers.get('content-type'), r.headers.get('location'), (await r.text()).slice(0, 300)); };
  await show('deep', built.app.request('/user_management/authenticate', { method: 'POST', body: '['.repeat(400000), headers: { 'content-type': 'application/json' } }));
  await show('deep2', built.app.request('/_mock/fixtures', { method: 'POST', body: '{"users":' + '['.repeat(200000) + ']'.repeat(200000) + '}', headers: { 'content-type': 'application/json' } }));
  await show('deep3', built.app.request('/_mock/next-login', { method: 'POST', body: '{"oauth":{"scopes":' + '['.repeat(200000) + ']'.repeat(200000) + '}}', headers: { 'content-type': 'application/json' } }));
  await show('options', built.app.request('/user_management/authenticate', { method: 'OPTIONS', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' } }));
  await show('head', built.app.request('/health', { method: 'HEAD' }));
  built.db.close();
});
