/**
 * The browser suite's toolbox: the mock in process, the example apps as child processes configured only
 * through the environment variables a developer would paste from the banner, Debian's Chromium through
 * playwright-core, and a page watcher that turns console errors, failed requests and any request that
 * leaves the machine into test failures.
 *
 * @example
 * const mock = await startMock();
 * const app = await startNodeExample(mock);
 * const browser = await launchBrowser();
 * const { page, problems } = await openPage(browser);
 * await page.goto(app.url);
 * await page.getByRole('link', { name: 'Sign in' }).click();
 * await chooseUser(page, mock, 'Bob Builder');
 * expect(problems).toEqual([]);
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startMockAuthKit, type MockAuthKit, type MockAuthKitOptions } from '../../src/server.js';
import { CHROMIUM_PATH, chromiumAvailable } from './env.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const EXAMPLES = resolve(ROOT, 'examples');
/** Any 32+ characters (what the examples' READMEs tell a developer to pick). */
export const COOKIE_PASSWORD = 'example-cookie-password-at-least-32-characters';
/** False when there is no Chromium: the global setup has said so (and failed under CI). */
export const hasChromium = chromiumAvailable();

export const FIXTURE_USERS = ['Alice Liddell', 'Bob Builder', 'Carol Danvers', 'Sam Support'] as const;
export const ORG_IDS = { acme: 'org_01MOCKACME0000000000000000', globex: 'org_01MOCKGLOBEX00000000000000' } as const;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** The mock on a free port with an in-memory database; `page` login mode so the login page always shows. */
export function startMock(options: MockAuthKitOptions = {}): Promise<MockAuthKit> {
  return startMockAuthKit({ port: 0, db: ':memory:', login: 'page', log: () => {}, ...options });
}

/** The WorkOS lines of the banner (`mock-authkit start`), as an app's environment. */
export function workosEnv(mock: MockAuthKit): Record<string, string> {
  const url = new URL(mock.url);
  return {
    WORKOS_API_HOSTNAME: url.hostname,
    WORKOS_API_PORT: url.port,
    WORKOS_API_HTTPS: 'false',
    WORKOS_CLIENT_ID: mock.workos.client_id,
    WORKOS_API_KEY: mock.workos.api_key,
  };
}

/** The Stytch facts of the banner, as an app's environment. */
export function stytchEnv(mock: MockAuthKit): Record<string, string> {
  return {
    STYTCH_PROJECT_ID: mock.stytch.project_id,
    STYTCH_SECRET: mock.stytch.secret,
    STYTCH_PUBLIC_TOKEN: mock.stytch.public_token,
    STYTCH_API_URL: mock.url,
  };
}

/** A child's environment: ours without what vitest adds (a child Next.js must not see NODE_ENV=test). */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key === 'NODE_ENV' || key === 'TEST' || key.startsWith('VITEST')) delete env[key];
  return { ...env, ...extra };
}

/**
 * A port held for an app that must know it long before it listens (Next.js inlines its redirect URI at
 * build time): a listener keeps it until `release()`, just before the app starts. It is drawn from below
 * the kernel's ephemeral range (from 32768 on Linux), where the other files' servers on port 0 and every
 * outgoing connection get theirs, so nothing takes it in the moment between release and the app's listen.
 * A port picked by listening on 0 was once taken by another socket during the ~30 s build (EADDRINUSE).
 *
 * @example
 * const held = await reservePort(); // … build with held.port …
 * await held.release(); startApp(…, ['--port', String(held.port)]);
 */
export async function reservePort(): Promise<{ port: number; release(): Promise<void> }> {
  for (let attempt = 0; ; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const server = createServer();
    const listening = await new Promise<boolean>((done) => {
      server.once('error', () => done(false));
      server.listen(port, '127.0.0.1', () => done(true));
    });
    if (listening) return { port, release: () => new Promise<void>((done) => server.close(() => done())) };
    if (attempt === 20) throw new Error('no free port between 20000 and 32000');
  }
}

export interface App {
  url: string;
  /** Everything the process printed (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `command args` in its own process group and resolves once its output matches `ready`; the
 * app's URL is `url` or `ready`'s first group.
 */
export function startApp(command: string, args: string[], options: { cwd?: string; env: NodeJS.ProcessEnv; ready: RegExp; url?: string; timeoutMs?: number }): Promise<App> {
  const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
    });
  return new Promise((resolveApp, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${args.join(' ')} not ready in ${options.timeoutMs ?? 30_000} ms:\n${output}`));
    }, options.timeoutMs ?? 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code}:\n${output}`));
    });
    let ready = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready ? null : options.ready.exec(output);
      if (!match) return;
      ready = true;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolveApp({ url: options.url ?? match[1], output: () => output, stop });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
  });
}

/** `examples/node-workos` on a free port, configured like the README says. */
export function startNodeExample(mock: MockAuthKit): Promise<App> {
  return startApp(process.execPath, [resolve(EXAMPLES, 'node-workos/server.mjs')], {
    env: childEnv({ ...workosEnv(mock), WORKOS_COOKIE_PASSWORD: COOKIE_PASSWORD, PORT: '0' }),
    ready: /listening on (http:\/\/\S+)/,
  });
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught exceptions, HTTP errors, failed requests and requests that left the machine. */
  problems: string[];
}

/** A fresh context (own cookies and storage) whose page reports problems; nothing may leave localhost. */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<WatchedPage> {
  const context = await browser.newContext(options);
  const problems: string[] = [];
  await context.route(
    (url) => /^(https?|wss?):$/.test(url.protocol) && !LOCAL_HOSTS.has(url.hostname),
    (route) => {
      problems.push(`request left the machine: ${route.request().url()}`);
      return route.abort();
    },
  );
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    // HTTP errors are reported below with their URL (a missing favicon is not a problem).
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console error: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && new URL(response.url()).pathname !== '/favicon.ico') problems.push(`HTTP ${response.status()} ${response.request().method()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? '';
    // A navigation that replaces a page aborts what that page still had in flight.
    if (reason !== 'net::ERR_ABORTED' && LOCAL_HOSTS.has(new URL(request.url()).hostname)) problems.push(`request failed (${reason}): ${request.method()} ${request.url()}`);
  });
  return { context, page, problems };
}

/** Waits for the mock's login page and checks it is the real thing: the heading and every fixture user. */
export async function expectLoginPage(page: Page, mock: MockAuthKit): Promise<void> {
  const origin = new URL(mock.url).origin;
  await page.waitForURL((url) => url.origin === origin);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Sign in to /);
  for (const name of FIXTURE_USERS) await page.getByRole('button', { name: new RegExp(`Sign in as ${name}`) }).waitFor();
}

/** On the login page, clicks a fixture user. */
export async function chooseUser(page: Page, mock: MockAuthKit, name: string): Promise<void> {
  await expectLoginPage(page, mock);
  await page.getByRole('button', { name: new RegExp(`Sign in as ${name}`) }).click();
}

/** Fills the login page's "Create a new user" form and submits it. */
export async function createUser(page: Page, mock: MockAuthKit, user: { email: string; firstName: string; lastName: string; organization?: string }): Promise<void> {
  await expectLoginPage(page, mock);
  await page.getByLabel('Email', { exact: true }).fill(user.email);
  await page.getByLabel('First name').fill(user.firstName);
  await page.getByLabel('Last name').fill(user.lastName);
  if (user.organization) await page.getByLabel('Organization', { exact: true }).selectOption({ label: user.organization });
  await page.getByRole('button', { name: 'Create and sign in' }).click();
}

/** The trimmed text of `[data-testid=id]`, waiting for it to appear. */
export async function textOf(page: Page, testId: string): Promise<string> {
  const locator = page.getByTestId(testId);
  await locator.waitFor();
  return ((await locator.textContent()) ?? '').trim();
}

/** What the app shows about the signed-in user (the fields it has). */
export async function shownUser(page: Page, fields: string[] = ['user-name', 'user-email', 'organization', 'role']): Promise<Record<string, string>> {
  const shown: Record<string, string> = {};
  for (const field of fields) shown[field] = await textOf(page, field);
  return shown;
}

/** Waits for the app's signed-out view and checks no user is shown. */
export async function expectSignedOut(page: Page): Promise<void> {
  await page
    .getByTestId('signed-out')
    .waitFor()
    .catch(async (error: Error) => {
      // Say what the page shows instead (an error page, a login page…), not just that the wait ran out.
      const shown = await page.locator('body').innerText().catch(() => '(unreadable)');
      throw new Error(`${error.message}\n${page.url()} shows: ${shown.slice(0, 500)}`);
    });
  expect(await page.getByTestId('user-name').count()).toBe(0);
}

/** Clicks "Sign out", waits for the app's home page and checks the signed-out view, also after a reload. */
export async function signOut(page: Page, app: App): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${app.url}/`);
  await expectSignedOut(page);
  await page.reload();
  await expectSignedOut(page);
}

/** Closes what a file's `beforeAll` started, in reverse order (each may be missing if it failed). */
export async function stopAll(browser: Browser | undefined, app: App | undefined, mock: MockAuthKit | undefined): Promise<void> {
  await browser?.close();
  await app?.stop();
  await mock?.close();
}
