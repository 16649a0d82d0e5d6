/**
 * The login page as a person meets it, in Chromium: the fixture users with their organizations (for
 * both vendors), a label on every form control, a keyboard-only sign-in (Tab to a user, Enter), and a
 * clean layout at 390 px and 1280 px.
 *
 * Screenshots of both widths go to a temporary folder; with `UPDATE_SCREENSHOTS=1` they replace
 * `docs/login-page-390.png` and `docs/login-page-1280.png` (the README shows one), so a normal run never
 * dirties the tree.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockAuthKit } from '../../src/server.js';
import { FIXTURE_USERS, ROOT, expectLoginPage, hasChromium, launchBrowser, openPage, startMock, startNodeExample, stopAll, textOf, type App } from './helpers.js';

/** A fixed redirect URI, so the screenshots do not change from run to run (nothing listens there). */
const SCREENSHOT_REDIRECT = 'http://localhost:3000/callback';
const UPDATE = process.env.UPDATE_SCREENSHOTS === '1' || process.env.UPDATE_SCREENSHOTS === 'true';
const SHOTS = UPDATE ? resolve(ROOT, 'docs') : join(tmpdir(), 'mock-authkit-screenshots');

const EXPECTED_USERS: Record<(typeof FIXTURE_USERS)[number], { email: string; organizations: string }> = {
  'Alice Liddell': { email: 'alice@acme.test', organizations: 'Acme (admin)' },
  'Bob Builder': { email: 'bob@acme.test', organizations: 'Acme (member)' },
  'Carol Danvers': { email: 'carol@globex.test', organizations: 'Globex (admin), Acme (member)' },
  'Sam Support': { email: 'support@acme.test', organizations: 'No organization' },
};

describe.skipIf(!hasChromium)('the login page in Chromium', () => {
  let mock: MockAuthKit;
  let app: App;
  let browser: Browser;

  const workosLogin = (redirectUri = SCREENSHOT_REDIRECT) =>
    `${mock.url}/user_management/authorize?${new URLSearchParams({ client_id: mock.workos.client_id, redirect_uri: redirectUri, response_type: 'code', provider: 'authkit' })}`;
  const stytchLogin = () =>
    `${mock.url}/v1/public/oauth/google/start?${new URLSearchParams({ public_token: mock.stytch.public_token, login_redirect_url: 'http://localhost:3000/authenticate' })}`;

  beforeAll(async () => {
    mock = await startMock();
    [app, browser] = await Promise.all([startNodeExample(mock), launchBrowser()]);
  });
  afterAll(() => stopAll(browser, app, mock));

  it('lists every fixture user with email and organizations, for WorkOS and for Stytch', async () => {
    const { page, problems } = await openPage(browser);
    for (const [url, vendor] of [
      [workosLogin(), 'WorkOS AuthKit'],
      [stytchLogin(), 'Stytch OAuth'],
    ] as const) {
      await page.goto(url);
      await expectLoginPage(page, mock);
      expect(await page.locator('.brand').textContent()).toContain(vendor);
      const buttons = page.locator('ul.users button[name="user_id"]');
      expect(await buttons.count()).toBe(FIXTURE_USERS.length);
      for (const [name, { email, organizations }] of Object.entries(EXPECTED_USERS)) {
        const button = page.getByRole('button', { name: new RegExp(`Sign in as ${name}`) });
        expect(await button.locator('.email').textContent()).toBe(email);
        expect(((await button.locator('.orgs').textContent()) ?? '').replace('Organizations: ', '')).toBe(organizations);
        expect(await button.isVisible()).toBe(true);
      }
    }
    expect(problems).toEqual([]);
  });

  it('labels every form control and names every button', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(workosLogin());
    await expectLoginPage(page, mock);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.title()).toMatch(/^Sign in to /);
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);

    const controls = await page.locator('input:not([type=hidden]), select, textarea').evaluateAll((elements) =>
      elements.map((element) => {
        const control = element as HTMLInputElement;
        return { id: control.id, label: control.labels?.[0]?.textContent?.trim() ?? control.getAttribute('aria-label') ?? '' };
      }),
    );
    expect(controls.length).toBeGreaterThanOrEqual(14);
    for (const { id, label } of controls) {
      expect(label, `#${id} has no label`).not.toBe('');
      // The label is what assistive technology announces: it finds this very control.
      expect(await page.getByLabel(label, { exact: true }).getAttribute('id'), `label "${label}"`).toBe(id);
    }
    const unnamed = await page.locator('button').evaluateAll((elements) =>
      elements.filter((element) => element.getAttribute('aria-hidden') !== 'true' && !(element.textContent ?? '').trim() && !element.getAttribute('aria-label')).length,
    );
    expect(unnamed).toBe(0);
    expect(problems).toEqual([]);
  });

  it('signs in with the keyboard alone: Tab to a user, Enter', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(app.url);
    // The app's own "Sign in" link, by keyboard too.
    await tabTo(page, (element) => element.tagName === 'A' && element.textContent === 'Sign in');
    await page.keyboard.press('Enter');
    await expectLoginPage(page, mock);

    const bob = await tabTo(page, (element) => element.getAttribute('name') === 'user_id' && (element.textContent ?? '').includes('Bob Builder'));
    // A keyboard user can see where focus is.
    expect(bob.outline).toMatch(/solid/);
    await page.keyboard.press('Enter');

    await page.waitForURL(`${app.url}/`);
    expect(await textOf(page, 'user-name')).toBe('Bob Builder');
    expect(await textOf(page, 'organization')).toBe('Acme');
    expect(problems).toEqual([]);
  });

  for (const width of [390, 1280]) {
    it(`looks clean at ${width} px wide`, async () => {
      const mobile = width < 600;
      const { page, problems } = await openPage(browser, {
        viewport: { width, height: mobile ? 844 : 900 },
        deviceScaleFactor: 1,
        isMobile: mobile,
        hasTouch: mobile,
        colorScheme: 'light',
      });
      await page.goto(workosLogin());
      await expectLoginPage(page, mock);
      expect(await layoutProblems(page)).toEqual([]);

      const card = await page.locator('main').boundingBox();
      if (mobile) {
        expect(card!.width).toBe(width); // edge to edge on a phone
      } else {
        expect(card!.width).toBeLessThanOrEqual(600);
        expect(Math.abs(card!.x - (width - card!.x - card!.width))).toBeLessThanOrEqual(2); // centred
      }

      mkdirSync(SHOTS, { recursive: true });
      const file = join(SHOTS, `login-page-${width}.png`);
      await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
      console.log(`  screenshot: ${file}`);

      // The per-login options, unfolded, fit as well.
      await page.getByText('Options for this login only').click();
      expect(await page.getByLabel('Impersonator email').isVisible()).toBe(true);
      expect(await layoutProblems(page)).toEqual([]);
      expect(problems).toEqual([]);
    });
  }
});

/** Presses Tab (at most 30 times) until the focused element matches; returns its focus outline. */
async function tabTo(page: Page, matches: (element: Element) => boolean): Promise<{ outline: string }> {
  const source = `(${matches.toString()})`;
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    const found = await page.evaluate((fn) => {
      const element = document.activeElement;
      // eslint-disable-next-line no-eval
      if (!element || !(0, eval)(fn)(element)) return null;
      const style = getComputedStyle(element);
      return { outline: `${style.outlineStyle} ${style.outlineWidth}` };
    }, source);
    if (found) return found;
  }
  throw new Error('Tab never reached the element');
}

/**
 * What a person would notice: sideways scrolling, anything sticking out of the viewport or out of its
 * box, text under 12 px, controls too small to hit, user cards overlapping.
 */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    const name = (element: Element) => `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.className && typeof element.className === 'string' ? `.${element.className.split(' ')[0]}` : ''}`;
    if (document.documentElement.scrollWidth > width) problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${width})`);
    for (const element of document.querySelectorAll('main, main *')) {
      if (element.closest('.sr-only')) continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue; // not rendered (e.g. folded options)
      if (box.left < -0.5 || box.right > width + 0.5) problems.push(`${name(element)} sticks out of the viewport (${Math.round(box.left)}..${Math.round(box.right)})`);
      const style = getComputedStyle(element);
      const ownText = [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent!.trim() !== '');
      if (ownText && parseFloat(style.fontSize) < 12) problems.push(`${name(element)} text is ${style.fontSize}`);
      const tag = element.tagName;
      if (!['INPUT', 'SELECT', 'TEXTAREA'].includes(tag) && style.display !== 'inline' && element.clientWidth > 0 && element.scrollWidth > element.clientWidth + 1)
        problems.push(`${name(element)} content overflows its box (${element.scrollWidth} > ${element.clientWidth})`);
      if (['BUTTON', 'INPUT', 'SELECT', 'SUMMARY'].includes(tag) && box.height < 36) problems.push(`${name(element)} is only ${Math.round(box.height)} px high`);
    }
    const cards = [...document.querySelectorAll('ul.users button')].map((button) => button.getBoundingClientRect());
    for (let i = 1; i < cards.length; i++) if (cards[i].top < cards[i - 1].bottom) problems.push(`user cards ${i} and ${i + 1} overlap`);
    return problems;
  });
}
