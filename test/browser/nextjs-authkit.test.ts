/**
 * `examples/nextjs-authkit` (@workos-inc/authkit-nextjs on Next.js 16) in Chromium, built once for this
 * run (`next build`, then `next start`) with only the banner's environment variables: sign in on the
 * login page, reload, sign out; and a queued next-login (impersonation + provider tokens) whose data
 * the app shows.
 *
 * Next.js inlines `NEXT_PUBLIC_*` variables at build time, so the app's port is chosen before the build.
 * The example has its own package.json (authkit-nextjs wants @workos-inc/node 9 or 10; the root has 11):
 * `npm ci --prefix examples/nextjs-authkit` installs it. Without it the file skips, except under CI.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockAuthKit } from '../../src/server.js';
import { isCI } from './env.js';
import { COOKIE_PASSWORD, EXAMPLES, childEnv, chooseUser, expectLoginPage, expectSignedOut, hasChromium, launchBrowser, openPage, reservePort, shownUser, signOut, startApp, startMock, stopAll, textOf, workosEnv, type App } from './helpers.js';

const DIR = resolve(EXAMPLES, 'nextjs-authkit');
const NEXT = resolve(DIR, 'node_modules/next/dist/bin/next');
const installed = existsSync(NEXT);
if (!installed) {
  const message = `examples/nextjs-authkit has no node_modules: run \`npm ci --prefix examples/nextjs-authkit\`.`;
  if (isCI()) throw new Error(message);
  console.warn(`\n  ⚠ ${message} Skipping its browser tests.\n`);
}

describe.skipIf(!hasChromium || !installed)('example: Next.js + @workos-inc/authkit-nextjs', () => {
  let mock: MockAuthKit;
  let app: App;
  let browser: Browser;

  beforeAll(async () => {
    mock = await startMock();
    const held = await reservePort();
    const port = held.port;
    const env = childEnv({
      ...workosEnv(mock),
      WORKOS_COOKIE_PASSWORD: COOKIE_PASSWORD,
      NEXT_PUBLIC_WORKOS_REDIRECT_URI: `http://localhost:${port}/callback`,
      NEXT_TELEMETRY_DISABLED: '1',
    });
    const launching = launchBrowser();
    const started = Date.now();
    try {
      await promisify(execFile)(process.execPath, [NEXT, 'build'], { cwd: DIR, env, maxBuffer: 16 * 1024 * 1024 });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`next build failed:\n${stdout ?? ''}\n${stderr ?? ''}`);
    } finally {
      await held.release();
    }
    console.log(`  next build: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    [app, browser] = await Promise.all([
      startApp(process.execPath, [NEXT, 'start', '--port', String(port), '--hostname', 'localhost'], { cwd: DIR, env, ready: /Ready in/, url: `http://localhost:${port}` }),
      launching,
    ]);
  });
  afterAll(() => stopAll(browser, app, mock));

  it('signs in through the login page, shows the user and organization, stays signed in after a reload, and signs out', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(app.url);
    await expectSignedOut(page);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await chooseUser(page, mock, 'Carol Danvers');

    await page.waitForURL(`${app.url}/`);
    // Carol belongs to Globex (admin) and Acme (member): the login goes to her first membership.
    const signedIn = { 'user-name': 'Carol Danvers', 'user-email': 'carol@globex.test', organization: 'Globex', role: 'admin' };
    expect(await shownUser(page)).toEqual(signedIn);
    expect(await page.getByTestId('impersonation').count()).toBe(0);
    const sessionId = await textOf(page, 'session-id');

    await page.reload();
    expect(await shownUser(page)).toEqual(signedIn);
    expect(await textOf(page, 'session-id')).toBe(sessionId);

    await signOut(page, app);
    expect(problems).toEqual([]);
  });

  it('shows the impersonation banner and provider tokens of a queued next-login', async () => {
    await mock.nextLogin({
      scenario: 'support-impersonates-alice',
      oauth: { provider: 'GoogleOAuth', access_token: 'ya29.queued-for-alice', refresh_token: '1//queued', scopes: ['openid', 'email'] },
    });
    const { page, problems } = await openPage(browser);
    await page.goto(app.url);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await expectLoginPage(page, mock);
    expect(await page.getByRole('status').textContent()).toContain('scenario support-impersonates-alice');
    await chooseUser(page, mock, 'Alice Liddell');

    await page.waitForURL(`${app.url}/`);
    expect(await textOf(page, 'impersonation')).toBe('You are signed in as alice@acme.test, impersonated by support@acme.test (reason: ticket 42).');
    expect(await textOf(page, 'impersonator-email')).toBe('support@acme.test');
    expect(await textOf(page, 'impersonator-reason')).toBe('ticket 42');
    expect(await shownUser(page)).toEqual({ 'user-name': 'Alice Liddell', 'user-email': 'alice@acme.test', organization: 'Acme', role: 'admin' });
    expect(await textOf(page, 'provider-access-token')).toBe('ya29.queued-for-alice');

    // The impersonation belongs to the session: it is still there after a reload.
    await page.reload();
    expect(await textOf(page, 'impersonator-email')).toBe('support@acme.test');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expectSignedOut(page);
    expect(await page.getByTestId('impersonation').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
