/**
 * `examples/node-workos` (node:http + @workos-inc/node, sealed session cookie) in Chromium: sign in on the
 * login page, reload, let the access token expire and be refreshed, sign out; and the login page's
 * "new user" form. Everything asserted is what the app renders.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockAuthKit } from '../../src/server.js';
import { chooseUser, createUser, expectSignedOut, hasChromium, launchBrowser, openPage, shownUser, signOut, startMock, startNodeExample, stopAll, textOf, type App } from './helpers.js';

describe.skipIf(!hasChromium)('example: plain Node + @workos-inc/node (sealed sessions)', () => {
  let mock: MockAuthKit;
  let app: App;
  let browser: Browser;

  beforeAll(async () => {
    // Two-second access tokens, so a test can watch the app refresh one.
    mock = await startMock({ accessTokenTtlSeconds: 2 });
    [app, browser] = await Promise.all([startNodeExample(mock), launchBrowser()]);
  });
  afterAll(() => stopAll(browser, app, mock));

  it('signs in through the login page, stays signed in across reloads and a token refresh, and signs out', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(app.url);
    await expectSignedOut(page);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await chooseUser(page, mock, 'Bob Builder');

    await page.waitForURL(`${app.url}/`);
    const signedIn = { 'user-name': 'Bob Builder', 'user-email': 'bob@acme.test', organization: 'Acme', role: 'member' };
    expect(await shownUser(page)).toEqual(signedIn);
    const sessionId = await textOf(page, 'session-id');
    expect(sessionId).toMatch(/^session_/);

    await page.reload();
    expect(await shownUser(page)).toEqual(signedIn);

    // Past the access token's lifetime: the app refreshes with the refresh token in its sealed cookie.
    await page.waitForTimeout(2_500);
    await page.reload();
    expect(await textOf(page, 'refreshed')).toBe('(refreshed just now)');
    expect(await shownUser(page)).toEqual(signedIn);
    expect(await textOf(page, 'session-id')).toBe(sessionId);

    await signOut(page, app);
    expect(problems).toEqual([]);
  });

  it('signs in a user made with the login page’s "new user" form', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(app.url);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await createUser(page, mock, { email: 'dana@globex.test', firstName: 'Dana', lastName: 'Scully', organization: 'Globex' });

    await page.waitForURL(`${app.url}/`);
    expect(await shownUser(page)).toEqual({ 'user-name': 'Dana Scully', 'user-email': 'dana@globex.test', organization: 'Globex', role: 'member' });
    await page.reload();
    expect(await textOf(page, 'user-name')).toBe('Dana Scully');

    // Signing out works after the access token expired too: the app refreshes first and ends that session.
    await page.waitForTimeout(2_500);
    // The new user is on the login page from now on.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expectSignedOut(page);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await chooseUser(page, mock, 'Dana Scully');
    expect(await textOf(page, 'user-email')).toBe('dana@globex.test');
    expect(problems).toEqual([]);
  });
});
