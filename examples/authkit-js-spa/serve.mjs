// Bundles main.js with esbuild (filling in the public WorkOS settings) and serves the app: a stand-in
// for a Vite/webpack dev server. Every path but /app.js gets index.html, so /callback works.
//
//   WORKOS_API_HOSTNAME=127.0.0.1 WORKOS_API_PORT=4400 WORKOS_API_HTTPS=false WORKOS_CLIENT_ID=client_… \
//   node examples/authkit-js-spa/serve.mjs          # PORT=5173 by default
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { build } from 'esbuild';

const here = new URL('.', import.meta.url);
if (!process.env.WORKOS_CLIENT_ID) {
  console.error('Set WORKOS_CLIENT_ID (and WORKOS_API_HOSTNAME, WORKOS_API_PORT, WORKOS_API_HTTPS=false for mock-authkit).');
  process.exit(1);
}
// Only public settings reach the browser: never the API key.
const define = Object.fromEntries(
  ['WORKOS_CLIENT_ID', 'WORKOS_API_HOSTNAME', 'WORKOS_API_PORT', 'WORKOS_API_HTTPS'].map((name) => [`process.env.${name}`, JSON.stringify(process.env[name] ?? '')]),
);
const bundle = await build({
  entryPoints: [new URL('main.js', here).pathname],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  define,
  write: false,
  logLevel: 'warning',
});
const js = bundle.outputFiles[0].contents;
const html = await readFile(new URL('index.html', here));

const server = createServer((req, res) => {
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  if (pathname === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(js);
  else if (pathname === '/favicon.ico') res.writeHead(204).end();
  else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
});
server.listen(Number(process.env.PORT ?? 5173), process.env.HOST ?? 'localhost', () => {
  console.log(`Example app listening on http://localhost:${server.address().port}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
