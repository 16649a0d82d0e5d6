/**
 * A lean keep-alive HTTP client for the benchmark (global fetch costs more CPU per request than the
 * servers being measured, and client and server share two cores).
 *
 * @example
 * const client = new HttpClient('http://127.0.0.1:4400');
 * const { status, headers, body } = await client.request('GET', '/health');
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';

/** Microseconds per clock tick of /proc/<pid>/stat: CLK_TCK, asked once (100 on Linux almost everywhere). */
let tickMicros;
function microsPerTick() {
  if (tickMicros === undefined) {
    let ticksPerSecond = 100;
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
    } catch {
      // no getconf: keep the usual 100
    }
    tickMicros = 1e6 / ticksPerSecond;
  }
  return tickMicros;
}

/**
 * CPU time (user + system, all threads) that process `pid` has used so far, in µs; undefined where there
 * is no /proc (the figure is then left out).
 */
export function processCpuMicros(pid) {
  let fields;
  try {
    fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  } catch {
    return undefined;
  }
  return (Number(fields[11]) + Number(fields[12])) * microsPerTick();
}

/**
 * The whole machine's CPU ticks so far, busy (everything but idle and I/O wait) and total, from /proc/stat;
 * undefined where there is none.
 */
export function machineCpuTicks() {
  let fields;
  try {
    fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
  } catch {
    return undefined;
  }
  const total = fields.reduce((sum, ticks) => sum + ticks, 0);
  return { busy: total - fields[3] - (fields[4] ?? 0), total };
}

export class HttpClient {
  constructor(baseUrl, sockets = 64) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  request(method, path, { headers = {}, body } = {}) {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(body);
      const req = http.request(
        { host: this.host, port: this.port, method, path, agent: this.agent, headers: payload ? { ...headers, 'content-length': payload.length } : headers },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
          res.on('error', reject);
        },
      );
      // Name the request and whether it went out on a reused keep-alive socket: a server closing idle
      // sockets shows up as "socket hang up" on reused ones only.
      req.on('error', (error) => {
        error.message = `${error.message} (${method} ${path.split('?')[0]}${req.reusedSocket ? ', reused keep-alive socket' : ', new socket'})`;
        reject(error);
      });
      if (payload) req.write(payload);
      req.end();
    });
  }

  close() {
    this.agent.destroy();
  }
}

/**
 * Runs `task` from `concurrency` workers for `seconds`; returns throughput and latency percentiles and,
 * given the server's `serverPid`, the server's CPU time per task in µs (`serverCpuUs`, all its threads). It
 * also gives this process's own CPU per task (`clientCpuUs`: the client's share of the two cores) and how
 * busy the whole machine was (`machineBusy`, 0–1), which say whether the cores, rather than the server,
 * were the limit.
 * Each worker gets its own state from `init` (e.g. a refresh token to rotate), before anything is counted.
 */
export async function measure({ seconds, concurrency, task, init = async () => ({}), serverPid }) {
  const latencies = [];
  let errors = 0;
  const states = await Promise.all(Array.from({ length: concurrency }, (_, i) => init(i)));
  const cpuBefore = serverPid === undefined ? undefined : processCpuMicros(serverPid);
  const clientBefore = process.cpuUsage();
  const machineBefore = machineCpuTicks();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    states.map(async (state) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await task(state);
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors++;
          if (errors === 1) console.error(`  first error: ${error.message}`);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpuAfter = cpuBefore === undefined ? undefined : processCpuMicros(serverPid);
  const client = process.cpuUsage(clientBefore);
  const machineAfter = machineCpuTicks();
  latencies.sort((a, b) => a - b);
  const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : NaN);
  const serverCpuUs = cpuAfter !== undefined && latencies.length ? (cpuAfter - cpuBefore) / latencies.length : undefined;
  const clientCpuUs = latencies.length ? (client.user + client.system) / latencies.length : undefined;
  const machineBusy =
    machineBefore && machineAfter && machineAfter.total > machineBefore.total
      ? (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)
      : undefined;
  return { perSecond: latencies.length / elapsed, count: latencies.length, errors, p50: pct(0.5), p99: pct(0.99), serverCpuUs, clientCpuUs, machineBusy };
}
