// A single-page app that signs in with @workos-inc/authkit-js: PKCE from the browser, no secret, no
// backend. `serve.mjs` bundles this file and fills in the process.env values below.
import { createClient, getClaims } from '@workos-inc/authkit-js';

const app = document.getElementById('app');
let session = null; // the latest authentication response (user, organizationId, impersonator, …)

let authkit = null;
authkit = await createClient(process.env.WORKOS_CLIENT_ID, {
  apiHostname: process.env.WORKOS_API_HOSTNAME || undefined,
  port: process.env.WORKOS_API_PORT ? Number(process.env.WORKOS_API_PORT) : undefined,
  https: process.env.WORKOS_API_HTTPS ? process.env.WORKOS_API_HTTPS === 'true' : true,
  redirectUri: `${location.origin}/callback`,
  // Called after the code exchange and after every refresh (also the one on page load).
  onRefresh: (response) => {
    session = response;
    if (authkit) render(); // (the first one comes before createClient resolves)
  },
});

// Back from the sign-in page: authkit-js has exchanged the code; leave /callback.
if (location.pathname === '/callback') history.replaceState(null, '', '/');
render();

function text(tag, value, attributes = {}) {
  const element = document.createElement(tag);
  element.textContent = value;
  for (const [name, attribute] of Object.entries(attributes)) element.setAttribute(name, attribute);
  return element;
}

function button(label, onClick) {
  const element = text('button', label, { type: 'button' });
  element.addEventListener('click', onClick);
  return element;
}

function render() {
  const user = authkit.getUser();
  app.replaceChildren();
  if (!user) {
    app.append(text('p', 'You are signed out.', { 'data-testid': 'signed-out' }), button('Sign in', () => authkit.signIn()));
    return;
  }
  const claims = session?.accessToken ? getClaims(session.accessToken) : {};
  const impersonator = session?.impersonator;
  if (impersonator) {
    const banner = text('p', `You are signed in as ${user.email}, impersonated by `, { class: 'banner', role: 'status', 'data-testid': 'impersonation' });
    banner.append(text('strong', impersonator.email, { 'data-testid': 'impersonator-email' }));
    if (impersonator.reason) banner.append(' (reason: ', text('span', impersonator.reason, { 'data-testid': 'impersonator-reason' }), ')');
    app.append(banner);
  }
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email;
  const line = text('p', 'Signed in as ');
  line.append(text('strong', name, { 'data-testid': 'user-name' }), ' (', text('span', user.email, { 'data-testid': 'user-email' }), ')');
  const details = document.createElement('dl');
  details.append(
    text('dt', 'Organization'),
    text('dd', session?.organizationId ?? 'None', { 'data-testid': 'organization' }),
    text('dt', 'Role'),
    text('dd', claims.role ?? 'none', { 'data-testid': 'role' }),
    text('dt', 'Session'),
    text('dd', claims.sid ?? '', { 'data-testid': 'session-id' }),
  );
  app.append(line, details, button('Sign out', () => authkit.signOut({ returnTo: `${location.origin}/` })));
}
