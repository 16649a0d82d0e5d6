/**
 * `examples/stytch-vanilla-spa` (@stytch/vanilla-js headless client, `endpoints.testAPIURL` = the mock)
 * in Chromium: bootstrap, OAuth start with PKCE, the redirect back with a token, `oauth.authenticate`,
 * the session kept across a reload (`/sdk/v1/sessions/authenticate`), sign-out (`/revoke`); and a
 * queued next-login's provider tokens. Stytch consumer users have no organization; the app shows name
 * and email.
 */
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockAuthKit } from '../../src/server.js';
import { EXAMPLES, childEnv, chooseUser, expectLoginPage, expectSignedOut, hasChromium, launchBrowser, openPage, shownUser, startApp, startMock, stopAll, stytchEnv, textOf, type App } from './helpers.js';

describe.skipIf(!hasChromium)('example: browser SPA + @stytch/vanilla-js', () => {
  let mock: MockAuthKit;
  let app: App;
  let browser: Browser;

  beforeAll(async () => {
    mock = await startMock();
    const { STYTCH_PUBLIC_TOKEN, STYTCH_API_URL } = stytchEnv(mock);
    [app, browser] = await Promise.all([
      startApp(process.execPath, [resolve(EXAMPLES, 'stytch-vanilla-spa/serve.mjs')], {
        env: childEnv({ STYTCH_PUBLIC_TOKEN, STYTCH_API_URL, PORT: '0' }),
        ready: /listening on (http:\/\/\S+)/,
      }),
      launchBrowser(),
    ]);
  });
  afterAll(() => stopAll(browser, app, mock));

  it('signs in with Google through the login page, stays signed in after a reload, and signs out', async () => {
    const { page, problems } = await openPage(browser);
    const sdkCalls: string[] = [];
    page.on('request', (request) => {
      const { origin, pathname } = new URL(request.url());
      if (origin === mock.url && request.method() !== 'OPTIONS' && pathname !== '/sdk/v1/events') sdkCalls.push(`${request.method()} ${pathname.replace(/public-token-test-[\w-]+/, ':public_token')}`);
    });
    await page.goto(app.url);
    await expectSignedOut(page);
    await page.getByRole('button', { name: 'Sign in with Google' }).click();
    await chooseUser(page, mock, 'Carol Danvers');

    await page.waitForURL(`${app.url}/`);
    const signedIn = { 'user-name': 'Carol Danvers', 'user-email': 'carol@globex.test', factor: 'oauth_google' };
    expect(await shownUser(page, Object.keys(signedIn))).toEqual(signedIn);
    const sessionId = await textOf(page, 'session-id');
    expect(sessionId).toMatch(/^session-test-/);
    expect(sdkCalls).toEqual(expect.arrayContaining(['GET /sdk/v1/projects/bootstrap/:public_token', 'GET /v1/public/oauth/google/start', 'POST /sdk/v1/oauth/authenticate']));

    await page.reload();
    expect(await shownUser(page, Object.keys(signedIn))).toEqual(signedIn);
    expect(await textOf(page, 'session-id')).toBe(sessionId);
    await expect.poll(() => sdkCalls.includes('POST /sdk/v1/sessions/authenticate')).toBe(true);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expectSignedOut(page);
    expect(sdkCalls).toContain('POST /sdk/v1/sessions/revoke');
    await page.reload();
    await expectSignedOut(page);
    expect(problems).toEqual([]);
  });

  it('receives the provider tokens of a queued next-login', async () => {
    await mock.nextLogin({ user: 'bob@acme.test', oauth: { provider: 'GoogleOAuth', access_token: 'ya29.queued-for-bob', refresh_token: '1//queued', scopes: ['openid', 'email'] } });
    const { page, problems } = await openPage(browser);
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Sign in with Google' }).click();
    await expectLoginPage(page, mock);
    // The page pre-selects the queued user; the person still confirms.
    await chooseUser(page, mock, 'Bob Builder');

    expect(await textOf(page, 'user-name')).toBe('Bob Builder');
    expect(await textOf(page, 'provider-access-token')).toBe('ya29.queued-for-bob');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expectSignedOut(page);
    expect(problems).toEqual([]);
  });
});
