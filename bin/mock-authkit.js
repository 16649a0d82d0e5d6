#!/usr/bin/env -S node --max-semi-space-size=2
// --max-semi-space-size=2: V8 otherwise grows the young generation to 32 MiB under load; 2 MiB keeps the
// server near 100 MiB resident with no loss of throughput (measured by npm run bench).
// Thin launcher: the CLI lives in dist/ (built by `npm install` through the `prepare` script).
import('../dist/bundle/cli.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/bundle/cli.js')) {
    console.error('mock-authkit: not built yet; run `npm run build` (npm install does it through "prepare").');
  } else {
    console.error(`mock-authkit: ${error && error.message ? error.message : error}`);
  }
  process.exit(1);
});
