/**
 * `npm run bench`: starts the CLI server as a user would (`--db` on a temporary file), measures start-up,
 * memory and throughput, runs a bare node:http floor through the same client, and prints a table with
 * each figure's ratio to the floor. Each throughput figure is BENCH_PAIRS (8) pairs of short runs
 * (BENCH_SLICE_SECONDS, 0.75 s), one on each server, back to back; the ratio is the median of the pairs'
 * ratios, and each side's figures are its median run. Each side's server CPU time per code flow and per
 * refresh (all its threads, from /proc) is printed too, and kept for every figure in the JSON. Before all
 * that, each fresh server's first FIRST_SECONDS (5) seconds of 16-client code flows are measured in 1-s
 * slices taken in turns (the code not yet optimised), which also warms both up for the rest. Writes the
 * figures as JSON to bench/results/.
 * Loopback only; about 110 s. `BENCH_PAIRS=3 npm run bench` for a quick, noisier run.
 */
import { spawn } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkOS } from '@workos-inc/node';
import { HttpClient, measure } from './http-client.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const BIN = resolve(HERE, '../bin/mock-authkit.js');
/** Runs per side and throughput figure, paired with the other side's. */
const PAIRS = Number(process.env.BENCH_PAIRS ?? 8);
/** Length of one run. */
const SLICE_SECONDS = Number(process.env.BENCH_SLICE_SECONDS ?? 0.75);
/** Seconds of 16-client code flows measured on each freshly started server, before anything else. */
const FIRST_SECONDS = 5;
/** Starts per side (key stored), paired like the throughput runs. */
const START_PAIRS = 9;
/** Load on the server started through node rather than its shebang, before its RSS is read. */
const VIA_NODE_SECONDS = 10;
const REDIRECT = 'http://localhost:3000/callback';
const USERS = ['alice@acme.test', 'bob@acme.test', 'carol@globex.test', 'support@acme.test'];

/** The floor's key, made once: both servers then start with a stored key. */
const FLOOR_KEY_PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/**
 * Spawns a server process and resolves with its ready line and the time from spawn to first 200. The CLI is
 * started through its own shebang, exactly as `npx mock-authkit` does, unless `viaNode`; the floor with node.
 */
function launch(command, args, { viaNode = false } = {}) {
  const t0 = performance.now();
  const argv = command === BIN && !viaNode ? [BIN, args] : [process.execPath, [command, ...args]];
  const child = spawn(argv[0], argv[1], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FLOOR_KEY_PEM } });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk) => (err += chunk));
  return new Promise((resolveReady, reject) => {
    child.on('exit', (code) => reject(new Error(`${command} exited ${code}: ${err}`)));
    child.stdout.on('data', async (chunk) => {
      out += chunk;
      if (!out.includes('\n')) return;
      const ready = JSON.parse(out.slice(0, out.indexOf('\n')));
      const client = new HttpClient(ready.url, 1);
      while ((await client.request('GET', '/health').catch(() => ({ status: 0 }))).status !== 200);
      const startMs = performance.now() - t0;
      client.close();
      child.removeAllListeners('exit');
      resolveReady({ child, ready, startMs });
    });
  });
}

function stop(child) {
  return new Promise((done) => {
    if (child.exitCode !== null) return done();
    child.once('exit', done);
    child.kill('SIGTERM');
  });
}

function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

/** The value below which a share `q` of `values` lies (nearest rank). */
const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];
const median = (values) => quantile(values, 0.5);

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A PKCE verifier and the query of a headless WorkOS authorize for fixture user `i` (mod 4). */
function authorizeRequest(clientId, i) {
  const { verifier, challenge } = pkce();
  const query = new URLSearchParams({ client_id: clientId, redirect_uri: REDIRECT, response_type: 'code', provider: 'authkit', state: 's', code_challenge: challenge, code_challenge_method: 'S256', login_hint: USERS[i % USERS.length] });
  return { verifier, query };
}

/** One WorkOS flow: headless authorize (PKCE) → authenticate. Returns the authenticate body. */
async function workosFlow(client, clientId, apiKey, i = 0) {
  const { verifier, query } = authorizeRequest(clientId, i);
  const authorize = await client.request('GET', `/user_management/authorize?${query}`);
  if (authorize.status !== 302) throw new Error(`authorize ${authorize.status} ${authorize.body}`);
  const code = new URL(authorize.headers.location).searchParams.get('code');
  const auth = await client.request('POST', '/user_management/authenticate', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'authorization_code', client_id: clientId, client_secret: apiKey, code, code_verifier: verifier }),
  });
  if (auth.status !== 200) throw new Error(`authenticate ${auth.status} ${auth.body}`);
  return JSON.parse(auth.body);
}

/**
 * The same flow the way an app's tests drive it: authorize through `fetch` (a headless browser step), the
 * code redeemed by the official SDK (`authenticateWithCode`, over `fetch` too). The client then does
 * several times the work per login of the lean one above, on the same two cores.
 */
async function sdkFlow(workos, baseUrl, clientId, i) {
  const { verifier, query } = authorizeRequest(clientId, i);
  const authorize = await fetch(`${baseUrl}/user_management/authorize?${query}`, { redirect: 'manual' });
  await authorize.arrayBuffer();
  if (authorize.status !== 302) throw new Error(`authorize ${authorize.status}`);
  const code = new URL(authorize.headers.get('location')).searchParams.get('code');
  const auth = await workos.userManagement.authenticateWithCode({ clientId, code, codeVerifier: verifier });
  if (!auth.accessToken) throw new Error('authenticateWithCode returned no access token');
}

async function refreshOnce(client, clientId, apiKey, state) {
  const res = await client.request('POST', '/user_management/authenticate', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'refresh_token', client_id: clientId, client_secret: apiKey, refresh_token: state.refreshToken }),
  });
  if (res.status !== 200) throw new Error(`refresh ${res.status} ${res.body}`);
  state.refreshToken = JSON.parse(res.body).refresh_token;
}

async function stytchFlow(client, stytch) {
  const { verifier, challenge } = pkce();
  const query = new URLSearchParams({ public_token: stytch.public_token, code_challenge: challenge, login_redirect_url: 'http://localhost:3000/authenticate', provider_login_hint: 'alice@acme.test' });
  const start = await client.request('GET', `/v1/public/oauth/google/start?${query}`);
  if (start.status !== 302) throw new Error(`start ${start.status} ${start.body}`);
  const token = new URL(start.headers.location).searchParams.get('token');
  const auth = await client.request('POST', '/v1/oauth/authenticate', {
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${stytch.project_id}:${stytch.secret}`).toString('base64')}` },
    body: JSON.stringify({ token, code_verifier: verifier, session_duration_minutes: 60 }),
  });
  if (auth.status !== 200) throw new Error(`stytch authenticate ${auth.status} ${auth.body}`);
}

/**
 * The throughput figures, each measured the same way against mock-authkit and the floor, with the CPU
 * time the server process (`pid`) spends per flow or request.
 */
function throughputFigures(ready, { stytch, pid }) {
  const client = new HttpClient(ready.url);
  const { client_id: clientId, api_key: apiKey } = ready.workos ?? { client_id: 'client_floor', api_key: 'sk_floor' };
  const url = new URL(ready.url);
  const workos = new WorkOS(apiKey, { apiHostname: url.hostname, port: Number(url.port), https: false });
  let n = 0;
  const run = (options) => measure({ seconds: SLICE_SECONDS, serverPid: pid, ...options });
  const nextFlow = () => workosFlow(client, clientId, apiKey, n++);
  const figures = {
    flows_c1: () => run({ concurrency: 1, task: () => workosFlow(client, clientId, apiKey) }),
    flows_c16: () => run({ concurrency: 16, task: nextFlow }),
    flows_sdk_c16: () => run({ concurrency: 16, task: () => sdkFlow(workos, ready.url, clientId, n++) }),
    refresh_c16: () =>
      run({
        concurrency: 16,
        init: async (i) => ({ refreshToken: (await workosFlow(client, clientId, apiKey, i)).refresh_token }),
        task: (state) => refreshOnce(client, clientId, apiKey, state),
      }),
    jwks_c16: () =>
      run({
        concurrency: 16,
        task: async () => {
          const res = await client.request('GET', `/sso/jwks/${clientId}`);
          if (res.status !== 200) throw new Error(`jwks ${res.status}`);
        },
      }),
  };
  if (stytch) figures.stytch_c16 = () => run({ concurrency: 16, task: () => stytchFlow(client, ready.stytch) });
  return {
    figures,
    firstSecond: () => run({ seconds: 1, concurrency: 16, task: nextFlow }),
    warmUp: async () => {
      for (let i = 0; i < 20; i++) await workosFlow(client, clientId, apiKey, i);
      for (let i = 0; i < 20; i++) await sdkFlow(workos, ready.url, clientId, i);
    },
    close: () => client.close(),
  };
}

/**
 * Measures every figure in PAIRS pairs of short runs, one on each server back to back (the order flips
 * from pair to pair), after one unmeasured run each. This machine's speed drifts by a third within
 * seconds; a pair's two runs share the drift, so the median of the pairs' ratios is steady where each
 * side's best run was not (identical builds measured 0.64–0.93× that way).
 */
async function throughput(mock, floor) {
  const sides = {
    mock: throughputFigures(mock.ready, { stytch: true, pid: mock.child.pid }),
    floor: throughputFigures(floor.ready, { stytch: false, pid: floor.child.pid }),
  };
  const result = { mock: {}, floor: {}, ratios: {} };
  // First, each server's first seconds of 16-client load, in 1-s slices taken in turns: how fast it is before
  // V8 has optimised its hot code (where a CI suite's logins mostly fall), and the warm-up of what follows.
  const first = { mock: [], floor: [] };
  for (let slice = 0; slice < FIRST_SECONDS; slice++) {
    for (const name of slice % 2 ? ['floor', 'mock'] : ['mock', 'floor']) first[name].push(await sides[name].firstSecond());
  }
  const sum = (runs, of) => runs.reduce((total, run) => total + of(run), 0);
  for (const name of ['mock', 'floor']) {
    const runs = first[name];
    const count = sum(runs, (run) => run.count);
    result[name].flows_c16_first = {
      perSecond: count / FIRST_SECONDS,
      count,
      errors: sum(runs, (run) => run.errors),
      serverCpuUs: sum(runs, (run) => run.serverCpuUs * run.count) / count,
      runs: runs.map((run) => Math.round(run.perSecond)),
    };
  }
  result.ratios.flows_c16_first = {
    total: result.mock.flows_c16_first.count / result.floor.flows_c16_first.count,
    slices: first.mock.map((run, i) => run.perSecond / first.floor[i].perSecond),
  };
  for (const side of Object.values(sides)) await side.warmUp();
  for (const key of Object.keys(sides.mock.figures)) {
    const names = sides.floor.figures[key] ? ['mock', 'floor'] : ['mock'];
    const runs = { mock: [], floor: [] };
    const ratios = [];
    for (const name of names) await sides[name].figures[key]();
    for (let pair = 0; pair < PAIRS; pair++) {
      const order = pair % 2 ? [...names].reverse() : names;
      const got = {};
      for (const name of order) got[name] = await sides[name].figures[key]();
      for (const name of names) runs[name].push(got[name]);
      if (got.floor) ratios.push(got.mock.perSecond / got.floor.perSecond);
    }
    for (const name of names) result[name][key] = medianRun(runs[name]);
    if (ratios.length) result.ratios[key] = { median: median(ratios), pairs: ratios };
  }
  for (const side of Object.values(sides)) side.close();
  return result;
}

/**
 * The run of median throughput (its latencies with it), with the errors of all runs and the medians of the
 * server's and the client's CPU per task and of how busy the machine was.
 */
function medianRun(runs) {
  const sorted = [...runs].sort((a, b) => a.perSecond - b.perSecond);
  const medianOf = (field) => {
    const values = runs.map((run) => run[field]).filter((value) => value !== undefined);
    return values.length ? median(values) : undefined;
  };
  return {
    ...sorted[Math.floor(sorted.length / 2)],
    serverCpuUs: medianOf('serverCpuUs'),
    clientCpuUs: medianOf('clientCpuUs'),
    machineBusy: medianOf('machineBusy'),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    runs: runs.map((run) => Math.round(run.perSecond)),
  };
}

function signingRate() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const data = Buffer.from('x'.repeat(400));
  let count = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 1000) {
    sign('sha256', data, privateKey);
    count++;
  }
  return count / ((performance.now() - t0) / 1000);
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'mock-authkit-bench-'));
  const db = join(dir, 'bench.sqlite');
  const args = ['start', '--port', '0', '--json', '--db', db, '--login', 'headless'];
  console.log(`mock-authkit benchmark — ${cpus().length} cores, node ${process.version}, ${PAIRS} paired runs of ${SLICE_SECONDS} s per figure (medians)`);

  const empty = await launch(BIN, args);
  await stop(empty.child);
  // In pairs, like the throughput figures (the order flips from pair to pair): the machine's speed drifts.
  const starts = [];
  const floorStarts = [];
  const startRatios = [];
  for (let i = 0; i < START_PAIRS; i++) {
    const pair = {};
    for (const side of i % 2 ? ['floor', 'mock'] : ['mock', 'floor']) {
      const run = side === 'mock' ? await launch(BIN, args) : await launch(join(HERE, 'floor.mjs'), []);
      pair[side] = run.startMs;
      await stop(run.child);
    }
    starts.push(pair.mock);
    floorStarts.push(pair.floor);
    startRatios.push(pair.mock / pair.floor);
  }

  const server = await launch(BIN, args);
  const floorServer = await launch(join(HERE, 'floor.mjs'), []);
  const rssReady = rssMiB(server.child.pid);
  const floorRssReady = rssMiB(floorServer.child.pid);
  const { mock, floor, ratios } = await throughput(server, floorServer);
  const rssAfter = rssMiB(server.child.pid);
  const floorRssAfter = rssMiB(floorServer.child.pid);
  await stop(server.child);
  await stop(floorServer.child);

  // A harness may spawn `node bin/mock-authkit.js` itself, without the shebang's heap flags: the launcher
  // then holds the heap by other means (bin/mock-authkit.js); its RSS after load is measured here.
  const viaNode = await launch(BIN, args, { viaNode: true });
  const viaNodeClient = new HttpClient(viaNode.ready.url);
  const { client_id: viaNodeClientId, api_key: viaNodeApiKey } = viaNode.ready.workos;
  let flow = 0;
  await measure({ seconds: VIA_NODE_SECONDS, concurrency: 16, task: () => workosFlow(viaNodeClient, viaNodeClientId, viaNodeApiKey, flow++) });
  viaNodeClient.close();
  const rssAfterViaNode = rssMiB(viaNode.child.pid);
  await stop(viaNode.child);

  const signatures = signingRate();
  const figures = {
    date: new Date().toISOString(),
    cores: cpus().length,
    node: process.version,
    pairs_per_figure: PAIRS,
    seconds_per_run: SLICE_SECONDS,
    start_ms_empty_db: empty.startMs,
    start_ms_median: median(starts),
    floor_start_ms_median: median(floorStarts),
    start_ratio_median: median(startRatios),
    start_ms: starts,
    floor_start_ms: floorStarts,
    rss_mib_ready: rssReady,
    rss_mib_after_load: rssAfter,
    rss_mib_after_load_via_node: rssAfterViaNode,
    floor_rss_mib_ready: floorRssReady,
    floor_rss_mib_after_load: floorRssAfter,
    rs256_signatures_per_s_one_core: signatures,
    mock,
    floor,
    ratios,
  };

  const fmt = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
  const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b ? `${(a / b).toFixed(2)}×` : '');
  const rows = [
    [`start → first 200, median of ${START_PAIRS} (key stored)`, `${fmt(figures.start_ms_median)} ms`, `${fmt(figures.floor_start_ms_median)} ms`, `${figures.start_ratio_median.toFixed(2)}×`],
    ['start → first 200, empty database (key generated)', `${fmt(figures.start_ms_empty_db)} ms`, '', ''],
    ['RSS at ready', `${fmt(rssReady, 1)} MiB`, `${fmt(floorRssReady, 1)} MiB`, ratio(rssReady, floorRssReady)],
    ['RSS after load', `${fmt(rssAfter, 1)} MiB`, `${fmt(floorRssAfter, 1)} MiB`, ratio(rssAfter, floorRssAfter)],
    [`RSS after ${VIA_NODE_SECONDS} s of code flows, started as \`node bin/mock-authkit.js\``, `${fmt(rssAfterViaNode, 1)} MiB`, '', ''],
  ];
  for (const [key, label] of [
    ['flows_c1', 'WorkOS code flows/s, 1 client'],
    ['flows_c16', 'WorkOS code flows/s, 16 clients'],
    ['flows_c16_first', `WorkOS code flows/s, 16 clients, first ${FIRST_SECONDS} s after start`],
    ['flows_sdk_c16', 'WorkOS code flows/s, 16 clients, official SDK + fetch'],
    ['refresh_c16', 'WorkOS refresh grants/s, 16 clients'],
    ['stytch_c16', 'Stytch start+authenticate flows/s, 16 clients'],
    ['jwks_c16', 'JWKS GET req/s, 16 clients'],
  ]) {
    const m = mock[key];
    const f = floor[key];
    // The middle half of the pairs' ratios beside their median: how far this machine's drift moved them.
    const pairs = ratios[key]?.pairs;
    const spread = pairs?.length >= 4 ? ` (${quantile(pairs, 0.25).toFixed(2)}–${quantile(pairs, 0.75).toFixed(2)})` : '';
    const paired = ratios[key] ? `${(ratios[key].median ?? ratios[key].total).toFixed(2)}×${spread}` : '';
    const latency = (run) => (run.p50 === undefined ? (run.errors ? ` (${run.errors} errors)` : '') : ` (p50 ${fmt(run.p50, 1)} / p99 ${fmt(run.p99, 1)} ms${run.errors ? `, ${run.errors} errors` : ''})`);
    rows.push([label, m ? `${fmt(m.perSecond)}${latency(m)}` : '—', f ? `${fmt(f.perSecond)}${latency(f)}` : '', paired]);
  }
  // Where throughput depends on the machine's moment, the CPU each side spends per flow says more: a client
  // heavier than the benchmark's leaves the server only what it does not itself use of the two cores. The
  // client shares those cores: how much of them it took, and how busy they were altogether, tells a server
  // limited by the cores (busy near 100%) from one limited by its own event loop.
  for (const [field, key, label] of [
    ['serverCpuUs', 'flows_c16', 'server CPU per code flow, 16 clients (all threads)'],
    ['serverCpuUs', 'flows_sdk_c16', 'server CPU per code flow, SDK + fetch'],
    ['serverCpuUs', 'refresh_c16', 'server CPU per refresh grant, 16 clients'],
    ['clientCpuUs', 'flows_c16', 'client CPU per code flow, 16 clients (this benchmark)'],
    ['clientCpuUs', 'flows_sdk_c16', 'client CPU per code flow, SDK + fetch'],
  ]) {
    const m = mock[key]?.[field];
    const f = floor[key]?.[field];
    if (m !== undefined) rows.push([label, `${fmt(m)} µs`, f !== undefined ? `${fmt(f)} µs` : '', ratio(m, f)]);
  }
  const busy = (run) => (run?.machineBusy === undefined ? '' : `${fmt(100 * run.machineBusy)}%`);
  for (const [key, label] of [
    ['flows_c16', 'both cores busy, 16-client code flows'],
    ['flows_sdk_c16', 'both cores busy, SDK + fetch'],
  ]) {
    if (mock[key]?.machineBusy !== undefined) rows.push([label, busy(mock[key]), busy(floor[key]), '']);
  }
  rows.push(['RS256 signatures/s, one core (node:crypto)', fmt(signatures), '', '']);
  const header = ['figure', 'mock-authkit', 'bare node:http floor', 'ratio (middle half of the pairs)'];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...[header, ...rows].map((row) => row[i].length)));
  const line = (row) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(row));

  const resultsDir = join(HERE, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `bench-${figures.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`\nfigures written to ${file}`);
  rmSync(dir, { recursive: true, force: true });
}

await main();
