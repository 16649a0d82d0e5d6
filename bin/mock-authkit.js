#!/usr/bin/env -S node --max-semi-space-size=2 --initial-heap-size=8
// Memory under load (measured by npm run bench), with no measurable loss of throughput:
// --max-semi-space-size=2: V8 otherwise grows the young generation to 32 MiB under load.
// --initial-heap-size=8: the first full collections come early, so the old generation settles near the
//   live data (~20 MiB) instead of first filling up with ~15 MiB of dead request objects.

// V8 sizes the heap once, when the process starts. After that the two flags only feed the hash that Node's
// built-in code cache is checked against: left set, every built-in module (http, crypto, …) is compiled from
// source instead of read from the cache, ~25 ms of start and ~10% CPU per login. Back to their defaults,
// the cache matches again and the heap keeps the sizes it was created with.
// The setter is taken from the binding that node:v8 wraps: importing node:v8 itself, while the flags are
// still set, compiles it and its dependencies (streams, heap utilities) from source, ~8 ms. The binding is
// a deprecated door (DEP0111), so its warning is held back for this one call.
process.noDeprecation = true;
const { setFlagsFromString } = process.binding('v8');
process.noDeprecation = false;
setFlagsFromString('--max-semi-space-size=0');
setFlagsFromString('--initial-heap-size=0');

// Thin launcher: the CLI lives in dist/ (built by `npm install` through the `prepare` script).
import('../dist/bundle/cli.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/bundle/cli.js')) {
    console.error('mock-authkit: not built yet; run `npm run build` (npm install does it through "prepare").');
  } else {
    console.error(`mock-authkit: ${error && error.message ? error.message : error}`);
  }
  process.exit(1);
});
