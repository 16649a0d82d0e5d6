// A single-page app that signs in with Google through @stytch/vanilla-js (headless client): OAuth start
// → redirect back with a token → oauth.authenticate → session. `serve.mjs` bundles this file and fills
// in the process.env values below.
import { createStytchClient } from '@stytch/vanilla-js/headless';

const apiUrl = process.env.STYTCH_API_URL;
// `customBaseUrl` would force https:// and drop the port; `endpoints` keeps an http:// URL with a port.
const stytch = createStytchClient(process.env.STYTCH_PUBLIC_TOKEN, apiUrl ? { endpoints: { testAPIURL: apiUrl, liveAPIURL: apiUrl } } : {});

const app = document.getElementById('app');
const redirectUrl = `${location.origin}/authenticate`;
let providerValues = null; // the upstream provider's tokens, returned once by oauth.authenticate
let error = null;

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
  const user = stytch.user.getSync();
  const session = stytch.session.getSync();
  app.replaceChildren();
  if (error) app.append(text('p', error, { role: 'alert' }));
  if (!user || !session) {
    app.append(
      text('p', 'You are signed out.', { 'data-testid': 'signed-out' }),
      button('Sign in with Google', () => stytch.oauth.google.start({ login_redirect_url: redirectUrl, signup_redirect_url: redirectUrl })),
    );
    return;
  }
  const name = [user.name?.first_name, user.name?.last_name].filter(Boolean).join(' ') || user.emails[0]?.email;
  const line = text('p', 'Signed in as ');
  line.append(text('strong', name, { 'data-testid': 'user-name' }), ' (', text('span', user.emails[0]?.email ?? '', { 'data-testid': 'user-email' }), ')');
  const details = document.createElement('dl');
  const factor = session.authentication_factors?.[0];
  details.append(
    text('dt', 'Signed in with'),
    text('dd', factor?.delivery_method ?? '', { 'data-testid': 'factor' }),
    text('dt', 'Session'),
    text('dd', session.session_id, { 'data-testid': 'session-id' }),
    text('dt', 'Session expires'),
    text('dd', new Date(session.expires_at).toLocaleString()),
  );
  if (providerValues?.access_token) {
    details.append(text('dt', 'Provider access token'), text('dd', providerValues.access_token, { 'data-testid': 'provider-access-token' }));
  }
  app.append(
    line,
    details,
    button('Sign out', async () => {
      await stytch.session.revoke();
      providerValues = null;
      render();
    }),
  );
}

stytch.session.onChange(() => render());

// Back from the OAuth start: exchange the token (PKCE verifier included by the SDK) for a session.
const params = new URLSearchParams(location.search);
if (location.pathname === '/authenticate' && params.get('stytch_token_type') === 'oauth' && params.get('token')) {
  try {
    const response = await stytch.oauth.authenticate(params.get('token'), { session_duration_minutes: 60 });
    providerValues = response.provider_values;
  } catch (caught) {
    error = `Sign-in failed: ${caught.message}`;
  }
  history.replaceState(null, '', '/');
}
render();
