import { defineConfig } from 'vitest/config';

/**
 * The browser suite (`npm run test:browser`): the example apps in `examples/` and the login page,
 * driven in Debian's Chromium through playwright-core. Slow by nature (it builds the Next.js example
 * once), so it is kept out of the default `vitest.config.ts`.
 */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['test/browser/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 240_000,
    // Each file starts its own mock (port 0, in-memory database), app and browser: files may run in
    // parallel, but two at a time is what two cores carry with a Next.js build in flight.
    pool: 'forks',
    maxWorkers: 2,
  },
});
