import { writeFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { renderErrorPage, renderLoginPage, type LoginPageModel } from '../../src/ui/login-page.js';

const XSS_NAME = '<script>alert(1)</script>';
const XSS_HINT = '"><img src=x onerror=alert(1)>';

function baseModel(overrides: Partial<LoginPageModel> = {}): LoginPageModel {
  return {
    action: '/_mock/login/lr_123',
    vendor: 'workos',
    provider: 'authkit',
    clientLabel: 'client_01ABC',
    environmentId: 'env_default',
    redirectTo: 'http://localhost:3000/callback?state=secret-state&code=x',
    users: [
      {
        id: 'user_01ALICE',
        email: 'alice@example.com',
        name: 'Alice Example',
        organizations: [{ id: 'org_01ACME', name: 'Acme', role: 'admin' }],
        impersonator: { email: 'support@example.com', reason: 'debugging' },
        hasProviderTokens: true,
      },
      {
        id: 'user_01BOB',
        email: 'bob@example.com',
        name: null,
        organizations: [],
        impersonator: null,
        hasProviderTokens: false,
      },
    ],
    organizations: [
      { id: 'org_01ACME', name: 'Acme' },
      { id: 'org_01GLOBEX', name: 'Globex' },
    ],
    scenarios: [
      { name: 'mfa_required', description: 'Fail with mfa_enrollment' },
      { name: 'email_unverified', description: null },
    ],
    preselectedUserId: null,
    hint: null,
    queued: null,
    error: null,
    cancelAction: null,
    ...overrides,
  };
}

function tags(page: string, tag: string): string[] {
  return page.match(new RegExp(`<${tag}\\b[^>]*>`, 'g')) ?? [];
}

function attr(tag: string, name: string): string | null {
  const m = tag.match(new RegExp(`\\s${name}="([^"]*)"`));
  return m ? m[1] : null;
}

describe('renderLoginPage', () => {
  it('returns a full HTML5 document as a plain string', () => {
    const page = renderLoginPage(baseModel());
    expect(typeof page).toBe('string');
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toMatch(/<title>[^<]*client_01ABC[^<]*<\/title>/);
    expect(page).toContain('<main>');
    expect(page).toMatch(/<h1>Sign in to client_01ABC<\/h1>/);
    expect(page).toContain('mock-authkit · WorkOS AuthKit (provider authkit)');
    expect(page).toContain('env_default');
    expect(page).not.toContain('<script');
  });

  it('shows only origin + path of redirectTo', () => {
    const page = renderLoginPage(baseModel());
    expect(page).toContain('You will return to <code>http://localhost:3000/callback</code>');
    expect(page).not.toContain('secret-state');
  });

  it('labels Stytch logins', () => {
    const page = renderLoginPage(baseModel({ vendor: 'stytch', provider: 'google', clientLabel: 'project-test-1' }));
    expect(page).toContain('mock-authkit · Stytch OAuth (google)');
    expect(page).toContain('Sign in to project-test-1');
  });

  it('escapes everything taken from the model', () => {
    const page = renderLoginPage(
      baseModel({
        clientLabel: XSS_NAME,
        environmentId: XSS_NAME,
        redirectTo: 'http://localhost:3000/"><script>alert(1)</script>',
        users: [
          {
            id: 'user_"><script>',
            email: XSS_HINT,
            name: XSS_NAME,
            organizations: [{ id: 'org_x', name: XSS_NAME, role: XSS_HINT }],
            impersonator: { email: XSS_HINT, reason: XSS_HINT },
            hasProviderTokens: true,
          },
        ],
        organizations: [{ id: '"><img src=x>', name: XSS_NAME }],
        scenarios: [{ name: XSS_NAME, description: XSS_HINT }],
        hint: XSS_HINT,
        queued: XSS_NAME,
        error: XSS_HINT,
        cancelAction: '/cancel"><img src=x>',
      }),
    );
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
  });

  it('renders each user as a submit button carrying its id', () => {
    const model = baseModel();
    const page = renderLoginPage(model);
    const buttons = tags(page, 'button').filter((b) => attr(b, 'name') === 'user_id');
    expect(buttons.map((b) => attr(b, 'value'))).toEqual(model.users.map((u) => u.id));
    for (const b of buttons) expect(attr(b, 'type')).toBe('submit');
    expect(page).toContain('Alice Example');
    expect(page).toContain('Acme (admin)');
    expect(page).toContain('impersonated by support@example.com');
    expect(page).toContain('provider tokens');
    // No name: the email is the display name.
    expect(page).toMatch(/<span class="name"><span class="sr-only">Sign in as <\/span>bob@example.com<\/span>/);
  });

  it('gives every input and select an id referenced by a label', () => {
    const page = renderLoginPage(baseModel({ cancelAction: '/_mock/login/lr_123/cancel' }));
    const controls = [...tags(page, 'input'), ...tags(page, 'select')];
    expect(controls.length).toBeGreaterThanOrEqual(14);
    const ids = controls.map((c) => attr(c, 'id'));
    expect(ids.every((id) => id !== null)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(page).toContain(`<label for="${id}">`);
    for (const c of controls) expect(attr(c, 'name')).toBe(attr(c, 'id'));
    const names = new Set(controls.map((c) => attr(c, 'name')));
    for (const n of [
      'new_email',
      'new_first_name',
      'new_last_name',
      'new_organization_id',
      'scenario',
      'organization_id',
      'impersonator_email',
      'impersonator_reason',
      'oauth_provider',
      'oauth_access_token',
      'oauth_refresh_token',
      'oauth_id_token',
      'oauth_scopes',
      'oauth_expires_at',
    ]) {
      expect(names.has(n), n).toBe(true);
    }
    expect(page).toContain('<button type="submit" name="action" value="create" class="primary">Create and sign in</button>');
    expect(page).toContain('<option value="">No organization</option>');
    expect(page).toContain('<option value="">Default (first membership)</option>');
    expect(page).toContain('<option value="mfa_required">mfa_required — Fail with mfa_enrollment</option>');
  });

  it('wraps users, new-user fields and options in a single POST form', () => {
    const page = renderLoginPage(baseModel());
    const forms = tags(page, 'form');
    expect(forms).toHaveLength(1);
    expect(attr(forms[0], 'method')).toBe('post');
    expect(attr(forms[0], 'action')).toBe('/_mock/login/lr_123');
    const start = page.indexOf('<form');
    const end = page.indexOf('</form>');
    const inner = page.slice(start, end);
    expect(inner).toContain('name="user_id"');
    expect(inner).toContain('name="new_email"');
    expect(inner).toContain('<details>');
    expect(inner).toContain('name="oauth_expires_at"');
  });

  it('highlights and autofocuses the preselected user', () => {
    const page = renderLoginPage(baseModel({ preselectedUserId: 'user_01BOB', hint: 'bob@example.com' }));
    const autofocused = [...tags(page, 'button'), ...tags(page, 'input')].filter((t) => /\sautofocus\b/.test(t));
    expect(autofocused).toHaveLength(1);
    expect(attr(autofocused[0], 'value')).toBe('user_01BOB');
    expect(autofocused[0]).toContain('suggested');
    expect(page).toContain('suggested by login_hint');
    // hint is not used to prefill when a user matched
    expect(attr(tags(page, 'input').find((t) => attr(t, 'id') === 'new_email')!, 'value')).toBe('');
  });

  it('prefills new_email with the hint when no user is preselected', () => {
    const page = renderLoginPage(baseModel({ hint: 'carol@example.com' }));
    const email = tags(page, 'input').find((t) => attr(t, 'id') === 'new_email')!;
    expect(attr(email, 'value')).toBe('carol@example.com');
    expect(attr(email, 'type')).toBe('email');
    expect(page).not.toContain('suggested by login_hint');
  });

  it('shows a friendly line when there are no users', () => {
    const page = renderLoginPage(baseModel({ users: [] }));
    expect(page).toContain('No users yet — create one below.');
    expect(page).not.toContain('name="user_id"');
  });

  it('shows error and queued notes when given', () => {
    const page = renderLoginPage(baseModel({ error: 'Pick a user', queued: 'scenario mfa_required' }));
    expect(page).toContain('role="alert">Pick a user<');
    expect(page).toContain('scenario mfa_required');
    const plain = renderLoginPage(baseModel());
    expect(plain).not.toContain('role="alert"');
  });

  it('renders the cancel form only when cancelAction is given', () => {
    const without = renderLoginPage(baseModel());
    expect(without).not.toContain('value="cancel"');
    expect(tags(without, 'form')).toHaveLength(1);

    const withCancel = renderLoginPage(baseModel({ cancelAction: '/_mock/login/lr_123/cancel' }));
    const forms = tags(withCancel, 'form');
    expect(forms).toHaveLength(2);
    expect(attr(forms[1], 'action')).toBe('/_mock/login/lr_123/cancel');
    expect(attr(forms[1], 'method')).toBe('post');
    expect(withCancel).toContain('name="action" value="cancel"');
    // The cancel form is not nested in the main form.
    expect(withCancel.indexOf('</form>')).toBeLessThan(withCancel.indexOf(forms[1]));
  });

  it('writes a sample page to /tmp/login-sample.html', () => {
    const page = renderLoginPage(
      baseModel({
        preselectedUserId: 'user_01ALICE',
        hint: 'alice@example.com',
        queued: 'scenario mfa_required (queued via control API)',
        cancelAction: '/_mock/login/lr_123/cancel',
      }),
    );
    writeFileSync('/tmp/login-sample.html', page);
    writeFileSync('/tmp/login-sample-empty.html', renderLoginPage(baseModel({ users: [], hint: 'new@example.com', error: 'Pick a user' })));
    writeFileSync(
      '/tmp/error-sample.html',
      renderErrorPage('Invalid redirect_uri', 'redirect_uri is not registered for this client', 400),
    );
  });
});

describe('renderErrorPage', () => {
  it('escapes its arguments and contains no links', () => {
    const page = renderErrorPage(XSS_NAME, `redirect_uri ${XSS_HINT} is not registered for this client`, 400);
    expect(typeof page).toBe('string');
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(page).not.toMatch(/<a\b/i);
    expect(page).not.toMatch(/http-equiv/i);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('Error 400');
    expect(page).toContain('<html lang="en">');
  });

  it('omits the status when not given', () => {
    const page = renderErrorPage('Oops', 'Something went wrong');
    expect(page).not.toContain('Error ');
    expect(page).toContain('<h1>Oops</h1>');
  });
});
