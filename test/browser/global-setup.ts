/**
 * Runs once before the browser suite: without a Chromium the suite skips with one clear message, except
 * under CI (`CI` set), where a missing browser is a failure. No browser is ever downloaded.
 */
import { CHROMIUM_PATH, chromiumAvailable, isCI } from './env.js';

export default function setup(): void {
  if (chromiumAvailable()) return;
  const message = `No Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH, or: apt-get install -y chromium).`;
  if (isCI()) throw new Error(`${message} CI needs it: the browser tests cannot be skipped there.`);
  console.warn(`\n  ⚠ ${message}\n    Skipping the browser tests. (With CI=true they fail instead.)\n`);
}
