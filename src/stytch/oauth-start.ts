/**
 * `GET /v1/public/oauth/:provider/start` — the browser's entry to a Stytch consumer OAuth login, and the
 * Stytch side of the shared login page.
 *
 * Real Stytch sends the browser to the provider and, when the provider returns, 302s to the login
 * redirect URL (existing user) or the signup redirect URL (new user) with
 * `?stytch_token_type=oauth&token=<44 chars>`. The mock skips the provider: it checks the request,
 * decides the user (queued next-login → `provider_login_hint` → login page / first user, PRODUCT.md §3)
 * and redirects straight back with a single-use token bound to the project, the provider and the PKCE
 * challenge (S256 implied; the SDKs never send `code_challenge_method`), valid `codeTtlSeconds`.
 *
 * Every problem before the redirect target is settled is answered without a redirect (JSON, or an
 * escaped HTML page for a browser): Stytch has no convention for sending start errors back to the app.
 * A queued next-login `error` is answered the same way (status 400, `error_type` = the queued error),
 * since the app's redirect URL has no error parameters to carry it either.
 *
 * @example
 * GET /v1/public/oauth/google/start?public_token=public-token-test-…&code_challenge=…
 *     &login_redirect_url=http://localhost:3000/authenticate&provider_login_hint=alice@acme.test
 * → 302 http://localhost:3000/authenticate?stytch_token_type=oauth&token=rM_kw42CWBhsHLF62V75jELMbvJ87njMe3tFVj7Qupu7
 */
import { Hono } from 'hono';
import { queryParams } from '../core/body.js';
import { copyWith } from '../core/copy-with.js';
import { browserError } from '../ui/browser.js';
import type { ServerContext } from '../core/context.js';
import { StytchApiError } from '../core/errors.js';
import type { OAuthTokens } from '../core/fixtures.js';
import { hashToken, opaqueToken } from '../core/ids.js';
import { grantDetails, type LoginCompleter } from '../core/login.js';
import { appendQuery, isRegisteredRedirect } from '../core/redirect-uris.js';
import type { LoginOverride, LoginRequest, StytchProject, User } from '../core/store.js';
import { beginLogin } from '../ui/routes.js';
import { derivedProviderSubject } from './ids.js';
import { stytchProvider, type StytchProvider } from './providers.js';
import { findRegistration } from './registrations.js';

/** The validated start request, as kept while the login page is open. */
export interface StytchStartParams {
  projectId: string;
  /** Provider slug (`google`). */
  provider: string;
  loginRedirectUrl: string;
  signupRedirectUrl: string;
  codeChallenge: string | null;
  customScopes: string[];
  providerLoginHint: string | null;
  /** When the flow started: a user created after it (on the login page) is a signup. */
  startedAt: number;
}

/** A base64url SHA-256 is 43 characters; allow RFC 7636's range and charset, nothing else. */
const PKCE_CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;
/** Scopes a synthesized Google-like grant carries when the login names no provider tokens. */
const DEFAULT_SCOPES = ['openid', 'email', 'profile'];
/** Synthesized provider access tokens "expire" an hour after the login, like Google's. */
const SYNTHETIC_TOKEN_TTL_SECONDS = 3600;

/**
 * The provider tokens this login hands to the app: the override's or the user's `oauth` block (exactly),
 * else made-up ones so `provider_values.access_token` is never empty; `provider_subject` always set.
 */
function providerTokens(ctx: ServerContext, env: string, params: StytchStartParams, user: User, oauth: OAuthTokens | null, now: number): OAuthTokens {
  const provider = stytchProvider(params.provider) as StytchProvider;
  const subject = oauth?.provider_subject ?? findRegistration(ctx.store, env, user.id, provider.slug)?.providerSubject ?? derivedProviderSubject(user, provider.slug);
  if (oauth) return copyWith(oauth, { provider_subject: subject });
  return {
    provider: provider.providerType,
    access_token: `mock-${provider.slug}-access-token-${opaqueToken(24)}`,
    expires_at: Math.floor(now / 1000) + SYNTHETIC_TOKEN_TTL_SECONDS,
    scopes: [...new Set([...DEFAULT_SCOPES, ...params.customScopes])],
    provider_subject: subject,
  };
}

/** Issues the single-use OAuth token for a decided login and returns the redirect back to the app. */
function completeLogin(ctx: ServerContext, env: string, params: StytchStartParams, user: User, override: LoginOverride): string {
  const now = ctx.clock.now(env);
  const details = grantDetails(user, override);
  const token = opaqueToken(33);
  ctx.store.createStytchOAuthToken(
    hashToken(token),
    {
      environmentId: env,
      projectId: params.projectId,
      userId: user.id,
      provider: params.provider,
      codeChallenge: params.codeChallenge,
      details: copyWith(details, { oauth: providerTokens(ctx, env, params, user, details.oauth, now) }),
      expiresAt: now + ctx.options.codeTtlSeconds * 1000,
    },
    now,
  );
  // Stytch sends new users to the signup URL; here "new" means created on the login page during this flow.
  const target = user.createdAt >= params.startedAt ? params.signupRedirectUrl : params.loginRedirectUrl;
  return appendQuery(target, { stytch_token_type: 'oauth', token });
}

/**
 * The Stytch side of the shared login page. Cancel goes back to the login redirect URL with
 * `error=access_denied&error_description=…` and deliberately without `stytch_token_type`: Stytch has no
 * cancel convention, and the SDKs' URL handlers (vanilla-js `parseAuthenticateUrl`) then see no token to
 * authenticate instead of calling authenticate with none.
 *
 * The redirect URLs were checked when the page was shown; they are checked again when the form comes
 * back (the project may have been re-seeded or removed meanwhile), so the page never sends the browser
 * to a URL that is no longer registered: the login page then shows the error instead.
 */
export function stytchCompleter(ctx: ServerContext): LoginCompleter {
  const paramsOf = (request: LoginRequest): StytchStartParams => {
    const params = request.params as unknown as StytchStartParams;
    const project = ctx.store.findStytchProject(params.projectId);
    if (!project || project.environmentId !== request.environmentId)
      throw new StytchApiError(404, 'project_not_found', `The project ${params.projectId} no longer exists.`);
    if (!isRegisteredRedirect(params.loginRedirectUrl, project.redirectUrls))
      throw new StytchApiError(400, 'invalid_login_redirect_url', 'The login redirect URL is no longer registered for this project.');
    if (!isRegisteredRedirect(params.signupRedirectUrl, project.redirectUrls))
      throw new StytchApiError(400, 'invalid_signup_redirect_url', 'The signup redirect URL is no longer registered for this project.');
    return params;
  };
  return {
    complete: (request, user, override) => completeLogin(ctx, request.environmentId, paramsOf(request), user, override),
    cancel: (request) => appendQuery(paramsOf(request).loginRedirectUrl, { error: 'access_denied', error_description: 'The user cancelled the sign-in.' }),
    describe: (request) => {
      const params = request.params as unknown as StytchStartParams;
      return { clientLabel: params.projectId, provider: params.provider, redirectTo: params.loginRedirectUrl.split('?')[0] };
    },
  };
}

/** The project's default redirect URL: the first registered one without a wildcard (a pattern cannot be a target). */
function defaultRedirectUrl(project: StytchProject): string | undefined {
  return project.redirectUrls.find((url) => !url.includes('*'));
}

/** Routes: `GET /v1/public/oauth/:provider/start`. */
export function oauthStartRoutes(ctx: ServerContext, completer: LoginCompleter): Hono {
  const app = new Hono();
  app.get('/v1/public/oauth/:provider/start', (c) => {
    const query = queryParams(c);
    const text = (name: string) => (typeof query[name] === 'string' && query[name] !== '' ? (query[name] as string) : null);
    const fail = (status: number, type: string, message: string) => browserError(c, new StytchApiError(status, type, message));

    const publicToken = text('public_token');
    if (!publicToken) return fail(400, 'public_token_required', 'public_token is required.');
    const project = publicToken.length <= 200 ? ctx.store.findStytchProjectByPublicToken(publicToken) : undefined;
    if (!project) return fail(404, 'public_token_not_found', 'The public token could not be found.');
    const provider = stytchProvider(c.req.param('provider'));
    if (!provider) return fail(400, 'invalid_oauth_provider', 'The OAuth provider is not supported.');

    const loginUrl = text('login_redirect_url');
    if (loginUrl && !isRegisteredRedirect(loginUrl, project.redirectUrls))
      return fail(400, 'invalid_login_redirect_url', 'login_redirect_url is not one of the redirect URLs registered for this project.');
    const signupUrl = text('signup_redirect_url');
    if (signupUrl && !isRegisteredRedirect(signupUrl, project.redirectUrls))
      return fail(400, 'invalid_signup_redirect_url', 'signup_redirect_url is not one of the redirect URLs registered for this project.');
    // Each falls back to the project's default, then to the other one the app did send (the mock keeps one list of URLs per project).
    const fallback = defaultRedirectUrl(project);
    const loginRedirectUrl = loginUrl ?? fallback ?? signupUrl;
    if (!loginRedirectUrl)
      return fail(400, 'no_login_redirect_urls_set', 'No login_redirect_url was given and the project has no default redirect URL (one without a *).');

    const codeChallenge = text('code_challenge');
    if (codeChallenge && !PKCE_CHALLENGE.test(codeChallenge))
      return fail(400, 'invalid_pkce_code_challenge', 'code_challenge must be the base64url SHA-256 of the code verifier.');
    const hint = text('provider_login_hint');
    const env = project.environmentId;
    const params: StytchStartParams = {
      projectId: project.projectId,
      provider: provider.slug,
      loginRedirectUrl,
      signupRedirectUrl: signupUrl ?? fallback ?? loginRedirectUrl,
      codeChallenge,
      // URLSearchParams already turned vanilla-js's `+` into spaces; Android sends %20.
      customScopes: (text('custom_scopes') ?? '').split(/\s+/).filter((scope) => scope && scope.length <= 200).slice(0, 50),
      providerLoginHint: hint && hint.length <= 320 ? hint : null,
      startedAt: ctx.clock.now(env),
    };

    return beginLogin(ctx, completer, {
      environmentId: env,
      vendor: 'stytch',
      params: { ...params },
      hint: params.providerLoginHint,
      complete: (user, override) => completeLogin(ctx, env, params, user, override),
      fail: (error, description) => fail(400, error, description || 'The OAuth provider reported an error.'),
      noUsers: () => fail(404, 'user_not_found', 'There are no users to sign in as; seed a fixture or queue a login.'),
    });
  });
  return app;
}
