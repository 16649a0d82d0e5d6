/**
 * A lean keep-alive HTTP client for the benchmark (global fetch costs more CPU per request than the
 * servers being measured, and client and server share two cores).
 *
 * @example
 * const client = new HttpClient('http://127.0.0.1:4400');
 * const { status, headers, body } = await client.request('GET', '/health');
 */
import http from 'node:http';

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
 * Runs `task` from `concurrency` workers for `seconds`; returns throughput and latency percentiles.
 * Each worker gets its own state from `init` (e.g. a refresh token to rotate).
 */
export async function measure({ seconds, concurrency, task, init = async () => ({}) }) {
  const latencies = [];
  let errors = 0;
  const states = await Promise.all(Array.from({ length: concurrency }, (_, i) => init(i)));
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
  latencies.sort((a, b) => a - b);
  const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : NaN);
  return { perSecond: latencies.length / elapsed, count: latencies.length, errors, p50: pct(0.5), p99: pct(0.99) };
}
