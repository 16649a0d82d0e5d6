/**
 * `GET /user_management/authorize` — the browser's entry to a WorkOS AuthKit login.
 *
 * Checks the client and the registered redirect URI first (an unknown client or unregistered URI gets
 * an error page or JSON and never a redirect); every later problem goes back to the app as
 * `?error=…&error_description=…&state=…`, as production does. Then the shared login decision
 * (queued next-login → `login_hint` → login page / first user) and, once a user is decided, a
 * single-use code bound to the client, the redirect URI and the PKCE challenge, valid 10 minutes.
 *
 * @example
 * GET /user_management/authorize?client_id=client_…&redirect_uri=http://localhost:3000/callback
 *     &response_type=code&provider=authkit&state=xyz&code_challenge=…&code_challenge_method=S256
 * → 302 http://localhost:3000/callback?code=01J…&state=xyz
 */
import { Hono } from 'hono';
import { queryParams } from '../core/body.js';
import { browserError, redirect } from '../ui/browser.js';
import type { ServerContext } from '../core/context.js';
import { WorkOSApiError } from '../core/errors.js';
import { secretKeys, ulid } from '../core/ids.js';
import { grantDetails, loginOrganization, type LoginCompleter } from '../core/login.js';
import { appendQuery, isRegisteredRedirect } from '../core/redirect-uris.js';
import type { LoginOverride, LoginRequest, User } from '../core/store.js';
import { beginLogin } from '../ui/routes.js';

/** The validated authorize request, as kept while the login page is open. */
export interface WorkOSAuthorizeParams {
  clientId: string;
  redirectUri: string;
  state: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | 'plain' | null;
  organizationId: string | null;
  provider: string | null;
  loginHint: string | null;
}

const PKCE_CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;

function errorRedirect(params: Pick<WorkOSAuthorizeParams, 'redirectUri' | 'state'>, error: string, description?: string): string {
  return appendQuery(params.redirectUri, { error, error_description: description, state: params.state });
}

/** Issues the code for a decided login and returns the redirect back to the app. */
function completeLogin(ctx: ServerContext, environmentId: string, params: WorkOSAuthorizeParams, user: User, override: LoginOverride): string {
  const { store } = ctx;
  // Organization: the login's choice, else the authorize request's, else the first active membership.
  const wanted = override.organization_id !== undefined ? override.organization_id : (params.organizationId ?? undefined);
  const organizationId = loginOrganization(store, environmentId, user.id, wanted);
  if (organizationId === undefined) return errorRedirect(params, 'organization_invalid', `The user is not an active member of organization ${wanted}.`);
  const now = ctx.clock.now(environmentId);
  const code = ulid(now) + ulid(now).slice(10);
  store.createAuthorizationCode(
    secretKeys(code).key,
    {
      environmentId,
      clientId: params.clientId,
      redirectUri: params.redirectUri,
      codeChallenge: params.codeChallenge,
      codeChallengeMethod: params.codeChallengeMethod,
      userId: user.id,
      organizationId,
      details: grantDetails(user, override),
      expiresAt: now + ctx.options.codeTtlSeconds * 1000,
    },
    now,
  );
  return appendQuery(params.redirectUri, { code, state: params.state });
}

/**
 * The WorkOS side of the shared login page. The redirect URI was checked when the page was shown; it is
 * checked again when the form comes back, because the client may have been re-seeded (or removed) in
 * between, and the page must never send the browser to a URI that is no longer registered.
 */
export function workosCompleter(ctx: ServerContext): LoginCompleter {
  const paramsOf = (request: LoginRequest): WorkOSAuthorizeParams => {
    const params = request.params as unknown as WorkOSAuthorizeParams;
    const client = ctx.store.findWorkosClient(params.clientId);
    if (!client || client.environmentId !== request.environmentId || !isRegisteredRedirect(params.redirectUri, client.redirectUris))
      throw new WorkOSApiError(400, 'invalid_redirect_uri', `The redirect_uri '${params.redirectUri}' is no longer registered for client ${params.clientId}.`);
    return params;
  };
  return {
    complete: (request, user, override) => completeLogin(ctx, request.environmentId, paramsOf(request), user, override),
    cancel: (request) => errorRedirect(paramsOf(request), 'access_denied', 'The user cancelled the sign-in.'),
    describe: (request) => {
      const params = request.params as unknown as WorkOSAuthorizeParams;
      return { clientLabel: params.clientId, provider: params.provider ?? 'authkit', redirectTo: params.redirectUri.split('?')[0], organizationId: params.organizationId };
    },
  };
}

/** Routes: `GET /user_management/authorize`. */
export function authorizeRoutes(ctx: ServerContext, completer: LoginCompleter): Hono {
  const app = new Hono();
  app.get('/user_management/authorize', (c) => {
    const query = queryParams(c);
    const text = (name: string) => (typeof query[name] === 'string' && query[name] !== '' ? (query[name] as string) : null);
    const clientId = text('client_id');
    if (!clientId) return browserError(c, new WorkOSApiError(400, 'invalid_request', 'client_id is required.'));
    const client = ctx.store.findWorkosClient(clientId);
    if (!client) return browserError(c, new WorkOSApiError(400, 'invalid_client', `Invalid client ID '${clientId}'.`));
    const redirectUri = text('redirect_uri');
    if (!redirectUri) return browserError(c, new WorkOSApiError(400, 'invalid_request', 'redirect_uri is required.'));
    if (!isRegisteredRedirect(redirectUri, client.redirectUris))
      return browserError(c, new WorkOSApiError(400, 'invalid_redirect_uri', `The redirect_uri '${redirectUri}' is not registered for client ${clientId}.`));

    const environmentId = client.environmentId;
    const state = text('state');
    const fail = (error: string, description?: string) => redirect(errorRedirect({ redirectUri, state }, error, description));
    if (text('response_type') !== 'code') return fail('unsupported_response_type', "response_type must be 'code'.");
    const codeChallenge = text('code_challenge');
    const method = text('code_challenge_method');
    if (method && method !== 'S256' && method !== 'plain') return fail('invalid_request', "code_challenge_method must be 'S256' or 'plain'.");
    if (method && !codeChallenge) return fail('invalid_request', 'code_challenge is required with code_challenge_method.');
    if (codeChallenge && !PKCE_CHALLENGE.test(codeChallenge)) return fail('invalid_request', 'code_challenge must be 43 to 128 characters of [A-Za-z0-9-._~].');
    const organizationId = text('organization_id');
    if (organizationId && !ctx.store.getOrganization(environmentId, organizationId))
      return fail('organization_invalid', `No organization with id ${organizationId}.`);

    const params: WorkOSAuthorizeParams = {
      clientId,
      redirectUri,
      state,
      codeChallenge,
      // RFC 7636 §4.3: a challenge without a method is 'plain'.
      codeChallengeMethod: codeChallenge ? ((method as 'S256' | 'plain' | null) ?? 'plain') : null,
      organizationId,
      provider: text('provider'),
      loginHint: text('login_hint'),
    };
    return beginLogin(ctx, completer, {
      environmentId,
      vendor: 'workos',
      params: { ...params },
      hint: params.loginHint,
      complete: (user, override) => completeLogin(ctx, environmentId, params, user, override),
      fail,
      noUsers: () => fail('access_denied', 'There are no users to sign in as; seed a fixture or queue a login.'),
    });
  });
  return app;
}
