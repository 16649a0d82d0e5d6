#!/usr/bin/env -S node --max-semi-space-size=2 --initial-heap-size=8
// Memory under load (measured by npm run bench), with no measurable loss of throughput:
// --max-semi-space-size=2: V8 otherwise grows the young generation to 32 MiB under load.
// --initial-heap-size=8: the first full collections come early, so the old generation settles near the
//   live data (~20 MiB) instead of first filling up with ~15 MiB of dead request objects.
//
// This file is CommonJS (bin/package.json): Node reads it synchronously, where an ES module entry is read
// through the thread pool, which fixes the pool's size before the first line below could set it (and
// costs ~7 ms of start).

// One thread-pool thread: the pool signs tokens while several clients are connected, and on a two-core
// machine shared with the test suite four signing threads mostly preempt the event loop (code flows/s at
// 16 clients rose ~8% with one thread in alternating A/B runs). A size the user set wins.
process.env.UV_THREADPOOL_SIZE ??= '1';

// V8 sizes the heap once, when the process starts. After that the two flags only feed the hash that Node's
// built-in code cache is checked against: left set, every built-in module (http, crypto, …) is compiled from
// source instead of read from the cache, ~25 ms of start and ~10% CPU per login. Back to their defaults,
// the cache matches again and the heap keeps the sizes it was created with.
// The setter is taken from the binding that node:v8 wraps: importing node:v8 itself, while the flags are
// still set, compiles it and its dependencies (streams, heap utilities) from source, ~8 ms. The binding is
// a deprecated door (DEP0111), so its warning is held back for this one call; should a later Node close
// it, node:v8 it is.
const warnings = process.noDeprecation;
let setFlagsFromString;
try {
  process.noDeprecation = true;
  setFlagsFromString = process.binding('v8').setFlagsFromString;
} catch {
  // fall through to node:v8
} finally {
  process.noDeprecation = warnings;
}
if (typeof setFlagsFromString !== 'function') setFlagsFromString = require('node:v8').setFlagsFromString;
setFlagsFromString('--max-semi-space-size=0');
setFlagsFromString('--initial-heap-size=0');

// Started as `node bin/mock-authkit.js …` (a harness that spawns node itself rather than the file), the
// flags of the first line are missing: V8 grows the young generation to 16 MiB per semi-space under load
// and lets the old one swing between 15 and 37 MiB, RSS after 40 s of logins 116–122 MiB instead of ~90.
// Two flags V8 reads each time it sizes a generation hold both, to ~93 MiB flat: a young-generation growth
// factor of 1 (once it has reached the shebang's 2 MiB per semi-space) and an old generation that may grow
// 30% past what a full collection left live. They are set again every 100 ms, because V8 puts the growth
// factor back to 2 whenever an isolate starts (the checkpoint worker's). Only once the server answers: a
// changed flag keeps the built-in modules loaded after it from compiling out of Node's code cache (see
// above), and the build's own start must not make the bundle's cache under changed flags (V8 would reject
// it). A size the user chose (NODE_OPTIONS) wins.
/** True when the user gave V8 flag `flag` on node's command line or in NODE_OPTIONS. */
function givenByUser(flag) {
  return [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) => arg.includes(flag));
}
function holdHeap() {
  if (givenByUser('--max-semi-space-size')) return;
  let holding = false;
  setInterval(() => {
    if (!holding) {
      const newSpace = require('node:v8').getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
      if (newSpace && newSpace.space_size < 4 * 1024 * 1024) return; // both semi-spaces together
      holding = true;
    }
    setFlagsFromString('--semi-space-growth-factor=1');
    setFlagsFromString('--heap-growing-percent=30');
  }, 100).unref();
}

// V8 optimises a function once it has run bytecode worth its "interrupt budget" (67 584 by default). The
// server runs a lot of code per login (HTTP, router, SQLite, tokens), so at the default a fresh server took
// ~6–10 s of 16-client load to reach its steady speed, against ~3 s for a bare node:http server: the first
// seconds of a test suite's logins ran at ~0.6× of what follows. At 24 000, hot functions reach the
// optimising compiler sooner: +10–17% code flows in the first 6 s and no loss after (interleaved runs of
// fresh servers, six rounds, 16 clients). Set once the server answers, for the same reason as above (Node's
// code cache); a budget the user chose wins.
function tierUpSooner() {
  if (givenByUser('--interrupt-budget')) return;
  setFlagsFromString('--interrupt-budget=24000');
}

// Thin launcher: the CLI lives in dist/bundle/cli.cjs (built by `npm install` through the `prepare` script),
// one CommonJS file, so no ES module loader is set up (~15 ms of Node 20's start). It is compiled here with
// the V8 code cache the build made from a start of its own (cli.cjs.v8cache): V8 then neither parses the
// ~320 KB nor compiles the functions a start and a first login run (~8 ms less start → first 200, paired
// starts; the build's start logs in once of each kind, scripts/bundle.mjs). The cache opens with the
// SHA-256 of the source it belongs to: V8 checks its own version and flags but only the source's length, so
// a cache for another source is never handed over. Without a usable cache, V8 compiles as usual.
const { readFileSync, writeFileSync } = require('node:fs');
const { createHash } = require('node:crypto');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const bundle = join(__dirname, '..', 'dist', 'bundle', 'cli.cjs');
let source;
try {
  source = readFileSync(bundle, 'utf8');
} catch {
  console.error('mock-authkit: not built yet; run `npm run build` (npm install does it through "prepare").');
  process.exit(1);
}
const sourceHash = createHash('sha256').update(source).digest();
let cachedData;
try {
  const cache = readFileSync(`${bundle}.v8cache`);
  if (cache.subarray(0, 32).equals(sourceHash)) cachedData = cache.subarray(32);
} catch {
  // no cache: compile as usual
}
try {
  const script = new Script(Module.wrap(source), { filename: bundle, cachedData });
  // The build's own start (scripts/bundle.mjs) asks for the cache, made when that start ends.
  const cacheOut = process.env.MOCK_AUTHKIT_CODE_CACHE_OUT;
  if (cacheOut) process.once('exit', () => writeFileSync(cacheOut, Buffer.concat([sourceHash, script.createCachedData()])));
  const cli = new Module(bundle, module);
  script.runInThisContext().call(cli.exports, cli.exports, Module.createRequire(bundle), cli, bundle, dirname(bundle));
  Promise.resolve(cli.exports.finished).then(
    () => {
      // Both change V8 flags: not in the build's own start, which makes the cache (see above).
      if (cacheOut) return;
      tierUpSooner();
      holdHeap();
    },
    () => undefined,
  );
} catch (error) {
  console.error(`mock-authkit: ${error && error.message ? error.message : error}`);
  process.exit(1);
}
