#!/usr/bin/env -S node --max-semi-space-size=2 --initial-heap-size=8
// Memory under load (measured by npm run bench), with no measurable loss of throughput:
// --max-semi-space-size=2: V8 otherwise grows the young generation to 32 MiB under load.
// --initial-heap-size=8: the first full collections come early, so the old generation settles near the
//   live data (~20 MiB) instead of first filling up with ~15 MiB of dead request objects.
// Thin launcher: the CLI lives in dist/ (built by `npm install` through the `prepare` script).
import('../dist/bundle/cli.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/bundle/cli.js')) {
    console.error('mock-authkit: not built yet; run `npm run build` (npm install does it through "prepare").');
  } else {
    console.error(`mock-authkit: ${error && error.message ? error.message : error}`);
  }
  process.exit(1);
});
