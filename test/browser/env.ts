/** Where the browser suite finds Chromium and whether it runs under CI (shared by the global setup and the tests). */
import { existsSync } from 'node:fs';

/** Debian's chromium (playwright-core never downloads a browser here). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumAvailable = (): boolean => existsSync(CHROMIUM_PATH);

export const isCI = (): boolean => Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';
