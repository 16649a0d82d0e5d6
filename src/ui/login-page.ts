/**
 * The mock login page: server-rendered HTML, no JavaScript, no external assets.
 *
 * One `<form method="post">` carries both the chosen user (the submit button that was pressed:
 * `user_id=<id>` or `action=create`) and the "options for this login only" fields, so a single
 * submission describes the whole login. Everything taken from the model is HTML-escaped by
 * hono's `html` tagged template; `raw` is used only for markup built here.
 */
import { html, raw } from 'hono/html';

export interface LoginPageUser {
  id: string;
  email: string;
  name: string | null;
  organizations: Array<{ id: string; name: string; role: string }>;
  impersonator?: { email: string; reason?: string | null } | null;
  hasProviderTokens: boolean;
}

export interface LoginPageModel {
  /** Form action URL (POST), e.g. '/_mock/login/lr_123'. */
  action: string;
  /** Which vendor asked. */
  vendor: 'workos' | 'stytch';
  /** e.g. 'authkit', 'GoogleOAuth' (WorkOS) or 'google' (Stytch). */
  provider?: string | null;
  /** WorkOS client_id or Stytch project_id. */
  clientLabel: string;
  /** Which environment this serves (shown small). */
  environmentId: string;
  /** Where the app will be sent back; only origin + path are shown. */
  redirectTo: string;
  users: LoginPageUser[];
  organizations: Array<{ id: string; name: string }>;
  scenarios: Array<{ name: string; description?: string | null }>;
  /** Highlight (and autofocus) this user, e.g. from login_hint. */
  preselectedUserId?: string | null;
  /** login_hint / provider_login_hint: prefills the "new user" email when no user is preselected. */
  hint?: string | null;
  /** Short text describing a queued next-login override being applied, if any. */
  queued?: string | null;
  /** A message shown at the top, e.g. "Pick a user". */
  error?: string | null;
  /** Optional URL (POST form) for "Cancel", which sends access_denied back to the app. */
  cancelAction?: string | null;
}

type Markup = ReturnType<typeof raw>;

/** `html` is typed as possibly async; with only sync values it never is. Fail loudly if that changes. */
function sync(value: Markup | Promise<Markup>): Markup {
  if (value instanceof Promise) {
    throw new Error('login-page: unexpected async value in html template');
  }
  return value;
}

function present(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** Origin + path of a redirect URI (never the query/fragment, which carry state/codes). */
function displayRedirect(redirectTo: string): string {
  try {
    const url = new URL(redirectTo);
    const base = url.origin !== 'null' ? url.origin : `${url.protocol}${url.host ? `//${url.host}` : ''}`;
    return `${base}${url.pathname}`;
  } catch {
    const cut = redirectTo.split(/[?#]/, 1)[0] ?? '';
    return cut.length > 200 ? `${cut.slice(0, 200)}…` : cut;
  }
}

function vendorLine(model: LoginPageModel): string {
  const provider = present(model.provider) ? model.provider : null;
  if (model.vendor === 'stytch') {
    return provider ? `Stytch OAuth (${provider})` : 'Stytch OAuth';
  }
  return provider ? `WorkOS AuthKit (provider ${provider})` : 'WorkOS AuthKit';
}

const STYLE = `
:root {
  color-scheme: light dark;
  --bg: #f4f4f5; --card: #ffffff; --fg: #18181b; --muted: #52525b; --border: #d4d4d8;
  --accent: #2563eb; --accent-fg: #ffffff; --accent-soft: #eff6ff; --focus: #2563eb;
  --danger: #b91c1c; --danger-soft: #fef2f2; --note: #92400e; --note-soft: #fffbeb;
  --badge: #f4f4f5;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #09090b; --card: #18181b; --fg: #f4f4f5; --muted: #a1a1aa; --border: #3f3f46;
    --accent: #3b82f6; --accent-fg: #ffffff; --accent-soft: #172554; --focus: #60a5fa;
    --danger: #fca5a5; --danger-soft: #450a0a; --note: #fcd34d; --note-soft: #422006;
    --badge: #27272a;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
main {
  max-width: 560px; margin: 32px auto; padding: 24px;
  background: var(--card); border: 1px solid var(--border); border-radius: 12px;
}
@media (max-width: 600px) {
  main { margin: 0; border-radius: 0; border-left: 0; border-right: 0; padding: 16px; min-height: 100vh; }
}
h1 { font-size: 1.35rem; line-height: 1.3; margin: 4px 0 8px; overflow-wrap: anywhere; }
h2 { font-size: 1rem; margin: 0 0 8px; }
p { margin: 0 0 4px; }
code { font: 0.9em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.brand { font-size: 0.8rem; color: var(--muted); letter-spacing: 0.01em; }
.meta { font-size: 0.85rem; color: var(--muted); overflow-wrap: anywhere; }
header { margin-bottom: 16px; }
section, fieldset, details { margin: 20px 0 0; }
.alert, .note { padding: 10px 12px; border-radius: 8px; margin: 12px 0 0; overflow-wrap: anywhere; }
.alert { background: var(--danger-soft); color: var(--danger); border: 1px solid currentColor; }
.note { background: var(--note-soft); color: var(--note); border: 1px solid currentColor; font-size: 0.9rem; }
.empty { color: var(--muted); font-style: italic; }
ul.users { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
button, input, select { font: inherit; color: inherit; }
.user {
  display: block; width: 100%; text-align: left; cursor: pointer; padding: 10px 12px;
  background: var(--card); border: 1px solid var(--border); border-radius: 8px;
}
.user:hover { border-color: var(--accent); }
.user.suggested { border: 2px solid var(--accent); background: var(--accent-soft); padding: 9px 11px; }
.user > span { display: block; overflow-wrap: anywhere; }
.user .name { font-weight: 600; }
.user .email, .user .orgs { font-size: 0.85rem; color: var(--muted); }
.user .badges { margin-top: 4px; }
.badge {
  display: inline-block; font-size: 0.75rem; line-height: 1.4; padding: 1px 8px; margin: 2px 4px 0 0;
  border-radius: 999px; background: var(--badge); border: 1px solid var(--border); color: var(--fg);
}
.badge.hint { background: var(--accent); border-color: var(--accent); color: var(--accent-fg); }
fieldset { border: 1px solid var(--border); border-radius: 8px; padding: 12px 14px 14px; min-width: 0; }
legend { padding: 0 6px; }
legend h2, summary h2 { display: inline; margin: 0; }
fieldset fieldset { margin-top: 14px; }
fieldset fieldset legend { font-weight: 600; font-size: 0.9rem; }
.field { margin-top: 10px; }
.field:first-of-type { margin-top: 0; }
.row { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; margin-top: 10px; }
.row .field { margin-top: 0; }
@media (max-width: 480px) { .row { grid-template-columns: 1fr; } }
label { display: block; font-size: 0.85rem; font-weight: 500; margin-bottom: 3px; }
.help { font-size: 0.8rem; color: var(--muted); margin-top: 2px; }
input, select {
  width: 100%; min-height: 38px; padding: 7px 10px; background: var(--card);
  border: 1px solid var(--border); border-radius: 6px;
}
.primary, .secondary {
  min-height: 38px; padding: 8px 16px; border-radius: 6px; cursor: pointer; font-weight: 600;
}
.primary { margin-top: 14px; background: var(--accent); color: var(--accent-fg); border: 1px solid var(--accent); }
.secondary { background: transparent; color: var(--muted); border: 1px solid var(--border); font-weight: 500; }
details { border: 1px solid var(--border); border-radius: 8px; padding: 0 14px; }
details[open] { padding-bottom: 14px; }
summary { cursor: pointer; padding: 12px 0; }
.cancel { margin-top: 20px; padding-top: 16px; border-top: 1px solid var(--border); display: flex; justify-content: flex-end; }
:focus { outline: none; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
input:focus-visible, select:focus-visible { outline-offset: 0; }
.sr-only {
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
`;

function document(title: string, body: Markup): string {
  return sync(html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${title}</title>
<style>${raw(STYLE)}</style>
</head>
<body>
${body}
</body>
</html>
`).toString();
}

function renderUser(user: LoginPageUser, suggested: boolean): Markup {
  const display = present(user.name) ? user.name : user.email;
  const orgs =
    user.organizations.length === 0
      ? 'No organization'
      : user.organizations.map((o) => `${o.name} (${o.role})`).join(', ');
  const imp = user.impersonator && present(user.impersonator.email) ? user.impersonator : null;
  const badges: Markup[] = [];
  if (suggested) badges.push(sync(html`<span class="badge hint">suggested by login_hint</span>`));
  if (imp) {
    badges.push(
      sync(
        html`<span class="badge"${present(imp.reason) ? html` title="${imp.reason}"` : ''}>impersonated by ${imp.email}</span>`,
      ),
    );
  }
  if (user.hasProviderTokens) badges.push(sync(html`<span class="badge">provider tokens</span>`));
  return sync(html`<li><button type="submit" name="user_id" value="${user.id}" class="user${suggested ? ' suggested' : ''}"${suggested ? raw(' autofocus') : ''}>
<span class="name"><span class="sr-only">Sign in as </span>${display}</span>
<span class="email">${user.email}</span>
<span class="orgs"><span class="sr-only">Organizations: </span>${orgs}</span>
${badges.length > 0 ? html`<span class="badges">${badges}</span>` : ''}
</button></li>
`);
}

function orgOptions(organizations: LoginPageModel['organizations']): Markup[] {
  return organizations.map((o) => sync(html`<option value="${o.id}">${o.name}</option>`));
}

/** Render the full HTML5 login page. */
export function renderLoginPage(model: LoginPageModel): string {
  const preselectedId = present(model.preselectedUserId) ? model.preselectedUserId : null;
  const preselectedFound = preselectedId !== null && model.users.some((u) => u.id === preselectedId);
  const prefillEmail = !preselectedFound && present(model.hint) ? model.hint : '';
  const tokenPlaceholder = model.vendor === 'stytch' ? 'google' : 'GoogleOAuth';

  const users =
    model.users.length === 0
      ? sync(html`<p class="empty">No users yet — create one below.</p>`)
      : sync(html`<ul class="users">
${model.users.map((u) => renderUser(u, u.id === preselectedId))}</ul>`);

  const scenarioOptions = model.scenarios.map((s) =>
    sync(html`<option value="${s.name}">${s.name}${present(s.description) ? ` — ${s.description}` : ''}</option>`),
  );

  const body = sync(html`<main>
<header>
<p class="brand">mock-authkit · ${vendorLine(model)}</p>
<h1>Sign in to ${model.clientLabel}</h1>
<p class="meta">Environment <code>${model.environmentId}</code></p>
<p class="meta">You will return to <code>${displayRedirect(model.redirectTo)}</code></p>
</header>
${present(model.error) ? html`<p class="alert" role="alert">${model.error}</p>` : ''}
${present(model.queued) ? html`<p class="note" role="status"><strong>Queued override:</strong> ${model.queued}</p>` : ''}
<form method="post" action="${model.action}">
<button type="submit" hidden disabled aria-hidden="true" tabindex="-1"></button>
<section aria-labelledby="users-heading">
<h2 id="users-heading">Choose a user</h2>
${users}
</section>
<fieldset>
<legend><h2>Create a new user</h2></legend>
<div class="field">
<label for="new_email">Email</label>
<input type="email" id="new_email" name="new_email" autocomplete="off" spellcheck="false" value="${prefillEmail}"${!preselectedFound && prefillEmail !== '' ? raw(' autofocus') : ''}>
</div>
<div class="row">
<div class="field">
<label for="new_first_name">First name</label>
<input type="text" id="new_first_name" name="new_first_name" autocomplete="off">
</div>
<div class="field">
<label for="new_last_name">Last name</label>
<input type="text" id="new_last_name" name="new_last_name" autocomplete="off">
</div>
</div>
<div class="field">
<label for="new_organization_id">Organization</label>
<select id="new_organization_id" name="new_organization_id">
<option value="">No organization</option>
${orgOptions(model.organizations)}
</select>
</div>
<button type="submit" name="action" value="create" class="primary">Create and sign in</button>
</fieldset>
<details>
<summary><h2>Options for this login only</h2></summary>
<div class="field">
<label for="scenario">Scenario</label>
<select id="scenario" name="scenario">
<option value="">None</option>
${scenarioOptions}
</select>
</div>
<div class="field">
<label for="organization_id">Organization for this session</label>
<select id="organization_id" name="organization_id">
<option value="">Default (first membership)</option>
${orgOptions(model.organizations)}
</select>
</div>
<fieldset>
<legend>Impersonation</legend>
<div class="field">
<label for="impersonator_email">Impersonator email</label>
<input type="email" id="impersonator_email" name="impersonator_email" autocomplete="off" spellcheck="false">
</div>
<div class="field">
<label for="impersonator_reason">Impersonation reason</label>
<input type="text" id="impersonator_reason" name="impersonator_reason" autocomplete="off">
</div>
</fieldset>
<fieldset>
<legend>Provider tokens</legend>
<div class="field">
<label for="oauth_provider">Provider</label>
<input type="text" id="oauth_provider" name="oauth_provider" placeholder="${tokenPlaceholder}" autocomplete="off" spellcheck="false">
</div>
<div class="field">
<label for="oauth_access_token">Access token</label>
<input type="text" id="oauth_access_token" name="oauth_access_token" autocomplete="off" spellcheck="false">
</div>
<div class="field">
<label for="oauth_refresh_token">Refresh token</label>
<input type="text" id="oauth_refresh_token" name="oauth_refresh_token" autocomplete="off" spellcheck="false">
</div>
<div class="field">
<label for="oauth_id_token">ID token</label>
<input type="text" id="oauth_id_token" name="oauth_id_token" autocomplete="off" spellcheck="false">
</div>
<div class="field">
<label for="oauth_scopes">Scopes</label>
<input type="text" id="oauth_scopes" name="oauth_scopes" placeholder="openid email profile" aria-describedby="oauth_scopes_help" autocomplete="off" spellcheck="false">
<p class="help" id="oauth_scopes_help">Space or comma separated.</p>
</div>
<div class="field">
<label for="oauth_expires_at">Expires at</label>
<input type="number" id="oauth_expires_at" name="oauth_expires_at" min="0" step="1" inputmode="numeric" aria-describedby="oauth_expires_at_help" autocomplete="off">
<p class="help" id="oauth_expires_at_help">Unix time in seconds.</p>
</div>
</fieldset>
</details>
</form>
${
  present(model.cancelAction)
    ? html`<form method="post" action="${model.cancelAction}" class="cancel">
<button type="submit" name="action" value="cancel" class="secondary">Cancel</button>
</form>`
    : ''
}
</main>`);

  return document(`Sign in to ${model.clientLabel} · mock-authkit`, body);
}

/**
 * A minimal error page (same style). Deliberately contains no link or redirect to anything the
 * request supplied: it is used for e.g. "redirect_uri is not registered for this client".
 */
export function renderErrorPage(title: string, message: string, status?: number): string {
  const body = sync(html`<main>
<header>
<p class="brand">mock-authkit${typeof status === 'number' ? ` · Error ${status}` : ''}</p>
<h1>${title}</h1>
</header>
<p class="alert" role="alert">${message}</p>
</main>`);
  return document(`${title} · mock-authkit`, body);
}
