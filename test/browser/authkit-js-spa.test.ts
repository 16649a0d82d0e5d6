/**
 * `examples/authkit-js-spa` (@workos-inc/authkit-js, PKCE from the browser, no secret) in Chromium: the
 * code exchange and every refresh are cross-origin fetches to the mock, so this is also the end-to-end
 * test of WorkOS CORS. Sign in, reload (a refresh from the stored refresh token), sign out; a queued
 * impersonated login; and the login page's per-login organization option.
 */
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockAuthKit } from '../../src/server.js';
import { EXAMPLES, ORG_IDS, childEnv, chooseUser, expectLoginPage, expectSignedOut, hasChromium, launchBrowser, openPage, shownUser, signOut, startApp, startMock, stopAll, textOf, workosEnv, type App } from './helpers.js';

describe.skipIf(!hasChromium)('example: browser SPA + @workos-inc/authkit-js', () => {
  let mock: MockAuthKit;
  let app: App;
  let browser: Browser;

  beforeAll(async () => {
    mock = await startMock();
    const env = workosEnv(mock);
    // The SPA gets only the public settings; the API key stays out of its environment on purpose.
    delete (env as Record<string, string | undefined>).WORKOS_API_KEY;
    [app, browser] = await Promise.all([
      startApp(process.execPath, [resolve(EXAMPLES, 'authkit-js-spa/serve.mjs')], { env: childEnv({ ...env, PORT: '0' }), ready: /listening on (http:\/\/\S+)/ }),
      launchBrowser(),
    ]);
  });
  afterAll(() => stopAll(browser, app, mock));

  it('signs in with PKCE from the page, stays signed in after a reload, and signs out', async () => {
    const { page, problems } = await openPage(browser);
    const authenticateCalls: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/user_management/authenticate')) authenticateCalls.push(`${request.method()} ${JSON.parse(request.postData() ?? '{}').grant_type ?? ''}`);
    });
    await page.goto(app.url);
    await expectSignedOut(page);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await chooseUser(page, mock, 'Alice Liddell');

    await page.waitForURL(`${app.url}/`);
    const signedIn = { 'user-name': 'Alice Liddell', 'user-email': 'alice@acme.test', organization: ORG_IDS.acme, role: 'admin' };
    expect(await shownUser(page)).toEqual(signedIn);
    expect(authenticateCalls).toEqual(['POST authorization_code']);
    const sessionId = await textOf(page, 'session-id');

    await page.reload();
    expect(await shownUser(page)).toEqual(signedIn);
    expect(await textOf(page, 'session-id')).toBe(sessionId);
    expect(authenticateCalls).toEqual(['POST authorization_code', 'POST refresh_token']);

    await signOut(page, app);
    expect(problems).toEqual([]);
  });

  it('shows the impersonation a queued next-login carried, also after a refresh', async () => {
    await mock.nextLogin({ scenario: 'support-impersonates-alice' });
    const { page, problems } = await openPage(browser);
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectLoginPage(page, mock);
    expect(await page.getByRole('status').textContent()).toContain('scenario support-impersonates-alice');
    await chooseUser(page, mock, 'Alice Liddell');

    expect(await textOf(page, 'impersonator-email')).toBe('support@acme.test');
    expect(await textOf(page, 'impersonator-reason')).toBe('ticket 42');
    expect(await textOf(page, 'user-name')).toBe('Alice Liddell');
    await page.reload();
    expect(await textOf(page, 'impersonator-email')).toBe('support@acme.test');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expectSignedOut(page);
    expect(problems).toEqual([]);
  });

  it('uses the organization picked under "Options for this login only"', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectLoginPage(page, mock);
    await page.getByText('Options for this login only').click();
    await page.getByLabel('Organization for this session').selectOption({ label: 'Acme' });
    await chooseUser(page, mock, 'Carol Danvers');

    expect(await shownUser(page)).toEqual({ 'user-name': 'Carol Danvers', 'user-email': 'carol@globex.test', organization: ORG_IDS.acme, role: 'member' });
    await page.reload();
    expect(await textOf(page, 'organization')).toBe(ORG_IDS.acme);
    expect(problems).toEqual([]);
  });
});
