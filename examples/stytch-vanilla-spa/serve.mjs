// Bundles main.js with esbuild (filling in the public Stytch settings) and serves the app: a stand-in
// for a Vite/webpack dev server. Every path but /app.js gets index.html, so /authenticate works.
//
//   STYTCH_PUBLIC_TOKEN=public-token-test-… STYTCH_API_URL=http://127.0.0.1:4400 \
//   node examples/stytch-vanilla-spa/serve.mjs      # PORT=5174 by default
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { build } from 'esbuild';

const here = new URL('.', import.meta.url);
if (!process.env.STYTCH_PUBLIC_TOKEN) {
  console.error('Set STYTCH_PUBLIC_TOKEN and STYTCH_API_URL (mock-authkit start prints the public token and the URL).');
  process.exit(1);
}
// Only public settings reach the browser: never the project secret.
const define = Object.fromEntries(
  ['STYTCH_PUBLIC_TOKEN', 'STYTCH_API_URL'].map((name) => [`process.env.${name}`, JSON.stringify((process.env[name] ?? '').replace(/\/+$/, ''))]),
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
server.listen(Number(process.env.PORT ?? 5174), process.env.HOST ?? 'localhost', () => {
  console.log(`Example app listening on http://localhost:${server.address().port}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
