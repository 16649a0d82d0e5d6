// A plain Node app (node:http, no framework) that signs users in with AuthKit through @workos-inc/node,
// keeping the session in a sealed cookie: the WorkOS "Node.js" quick-start, pointed at mock-authkit.
//
//   npx mock-authkit start          # then, from the repository root:
//   npm run example:node            # loads examples/mock.env; your shell's variables win → http://localhost:3001
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { WorkOS } from '@workos-inc/node';

const env = process.env;
const missing = ['WORKOS_CLIENT_ID', 'WORKOS_API_KEY', 'WORKOS_COOKIE_PASSWORD'].filter((name) => !env[name]);
if (missing.length) {
  console.error(`Set ${missing.join(', ')} (mock-authkit start prints the WorkOS ones; the cookie password is any 32+ characters).`);
  process.exit(1);
}
if (env.WORKOS_COOKIE_PASSWORD.length < 32) {
  console.error('WORKOS_COOKIE_PASSWORD must be at least 32 characters long.');
  process.exit(1);
}

const clientId = env.WORKOS_CLIENT_ID;
const cookiePassword = env.WORKOS_COOKIE_PASSWORD;
// The Node SDK does not read WORKOS_API_HOSTNAME/PORT/HTTPS itself; pass them on as AuthKit for Next.js does.
const workos = new WorkOS(env.WORKOS_API_KEY, {
  clientId,
  apiHostname: env.WORKOS_API_HOSTNAME || undefined,
  port: env.WORKOS_API_PORT ? Number(env.WORKOS_API_PORT) : undefined,
  https: env.WORKOS_API_HTTPS ? env.WORKOS_API_HTTPS === 'true' : true,
});

const SESSION_COOKIE = 'wos-session';
const STATE_COOKIE = 'wos-state';
let baseUrl = ''; // known once listening (PORT=0 picks a free port)
let redirectUri = env.WORKOS_REDIRECT_URI ?? '';

// Where a real app would keep upstream provider tokens (a database); keyed by user id.
const providerTokens = new Map();

// ── helpers ────────────────────────────────────────────────────────────────────────────────────────

const escape = (value) =>
  String(value ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]);

function cookies(req) {
  const out = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) out[part.slice(0, at).trim()] = decodeURIComponent(part.slice(at + 1).trim());
  }
  return out;
}

function cookie(name, value, maxAge) {
  const secure = baseUrl.startsWith('https:') ? '; Secure' : '';
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`;
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(body);
}

function redirect(res, location, setCookies = []) {
  res.writeHead(302, { location, 'set-cookie': setCookies, 'cache-control': 'no-store' });
  res.end();
}

function page(title, body) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
  .banner { background: #fef3c7; border: 1px solid #d97706; padding: .5rem .75rem; border-radius: 6px; }
  dt { font-weight: 600; } dd { margin: 0 0 .5rem; }
</style></head>
<body><h1>${escape(title)}</h1>
${body}
</body></html>`;
}

/** The signed-in user of this request, refreshing an expired access token; `setCookie` carries a new cookie. */
async function currentSession(req) {
  const sessionData = cookies(req)[SESSION_COOKIE];
  if (!sessionData) return { auth: null, setCookie: [] };
  const session = workos.userManagement.loadSealedSession({ sessionData, cookiePassword });
  const auth = await session.authenticate();
  if (auth.authenticated) return { auth, session, setCookie: [] };
  if (auth.reason === 'invalid_jwt') {
    const refreshed = await session.refresh();
    if (refreshed.authenticated) {
      return { auth: { ...refreshed, refreshed: true }, session, setCookie: [cookie(SESSION_COOKIE, refreshed.sealedSession, 400 * 24 * 3600)] };
    }
  }
  // Unreadable cookie or a dead session: forget it.
  return { auth: null, setCookie: [cookie(SESSION_COOKIE, '', 0)] };
}

// ── routes ─────────────────────────────────────────────────────────────────────────────────────────

async function home(req, res) {
  const { auth, setCookie } = await currentSession(req);
  if (!auth) {
    return send(res, 200, page('Example app', '<p data-testid="signed-out">You are signed out.</p>\n<p><a href="/login">Sign in</a></p>'), { 'set-cookie': setCookie });
  }
  const { user, organizationId, role, impersonator, sessionId } = auth;
  const organization = organizationId ? await workos.organizations.getOrganization(organizationId) : null;
  const tokens = providerTokens.get(user.id);
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email;
  const body = `${
    impersonator
      ? `<p class="banner" role="status" data-testid="impersonation">You are signed in as ${escape(user.email)}, impersonated by <strong data-testid="impersonator-email">${escape(impersonator.email)}</strong>${impersonator.reason ? ` (reason: <span data-testid="impersonator-reason">${escape(impersonator.reason)}</span>)` : ''}.</p>`
      : ''
  }
<p>Signed in as <strong data-testid="user-name">${escape(name)}</strong> (<span data-testid="user-email">${escape(user.email)}</span>)</p>
<dl>
<dt>Organization</dt><dd data-testid="organization">${organization ? escape(organization.name) : 'None'}</dd>
<dt>Role</dt><dd data-testid="role">${escape(role ?? 'none')}</dd>
<dt>Session</dt><dd><code data-testid="session-id">${escape(sessionId)}</code>${auth.refreshed ? ' <span data-testid="refreshed">(refreshed just now)</span>' : ''}</dd>
${tokens ? `<dt>Provider tokens</dt><dd data-testid="provider-tokens">access token <code data-testid="provider-access-token">${escape(tokens.accessToken)}</code>${tokens.scopes?.length ? `, scopes ${escape(tokens.scopes.join(' '))}` : ''}</dd>` : ''}
</dl>
<form method="post" action="/logout"><button type="submit">Sign out</button></form>`;
  send(res, 200, page('Example app', body), { 'set-cookie': setCookie });
}

function login(req, res) {
  const state = randomBytes(16).toString('base64url');
  const url = workos.userManagement.getAuthorizationUrl({ provider: 'authkit', clientId, redirectUri, state });
  redirect(res, url, [cookie(STATE_COOKIE, state, 600)]);
}

async function callback(req, res, query) {
  const clearState = cookie(STATE_COOKIE, '', 0);
  if (query.get('error')) {
    return send(res, 400, page('Sign-in failed', `<p role="alert">${escape(query.get('error'))}: ${escape(query.get('error_description') ?? '')}</p><p><a href="/">Home</a></p>`), { 'set-cookie': [clearState] });
  }
  const expected = Buffer.from(cookies(req)[STATE_COOKIE] ?? '');
  const got = Buffer.from(query.get('state') ?? '');
  if (!query.get('code') || expected.length === 0 || expected.length !== got.length || !timingSafeEqual(expected, got)) {
    return send(res, 400, page('Sign-in failed', '<p role="alert">The sign-in did not start here (missing code or state).</p><p><a href="/">Home</a></p>'), { 'set-cookie': [clearState] });
  }
  const auth = await workos.userManagement.authenticateWithCode({
    clientId,
    code: query.get('code'),
    session: { sealSession: true, cookiePassword },
  });
  if (auth.oauthTokens) providerTokens.set(auth.user.id, auth.oauthTokens);
  redirect(res, '/', [clearState, cookie(SESSION_COOKIE, auth.sealedSession, 400 * 24 * 3600)]);
}

async function logout(req, res) {
  const { auth } = await currentSession(req);
  const clear = cookie(SESSION_COOKIE, '', 0);
  if (!auth) return redirect(res, '/', [clear]);
  // The session id of the check just made. `session.getLogoutUrl()` would verify the access token once more
  // and throw if it expired in between, which a short-lived token does now and then.
  const url = workos.userManagement.getLogoutUrl({ sessionId: auth.sessionId, returnTo: `${baseUrl}/` });
  redirect(res, url, [clear]);
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  try {
    if (req.method === 'GET' && url.pathname === '/') return await home(req, res);
    if (req.method === 'GET' && url.pathname === '/login') return login(req, res);
    if (req.method === 'GET' && url.pathname === new URL(redirectUri).pathname) return await callback(req, res, url.searchParams);
    if (req.method === 'POST' && url.pathname === '/logout') return await logout(req, res);
    if (url.pathname === '/favicon.ico') return res.writeHead(204).end();
    send(res, 404, page('Not found', '<p><a href="/">Home</a></p>'));
  } catch (error) {
    console.error(error);
    send(res, 500, page('Something went wrong', `<pre role="alert">${escape(error?.message ?? error)}</pre>`));
  }
});

server.listen(Number(env.PORT ?? 3001), env.HOST ?? 'localhost', () => {
  const { port } = server.address();
  baseUrl = `http://localhost:${port}`;
  if (!redirectUri) redirectUri = `${baseUrl}/callback`;
  console.log(`Example app listening on ${baseUrl}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
