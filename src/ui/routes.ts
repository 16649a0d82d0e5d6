/**
 * The login page's two halves: showing it for a pending login request (WorkOS authorize or Stytch OAuth
 * start), and `POST /_mock/login/:id`, which applies the person's choices and hands the login back to
 * the vendor that asked. The page works without JavaScript; the request id is single-use.
 *
 * @example
 * app.route('/', loginPageRoutes(ctx, { workos: workosCompleter(ctx), stytch: stytchCompleter(ctx) }));
 * return showLoginPage(ctx, completers.workos, request, { preselectedUserId: user?.id });
 */
import { Hono } from 'hono';
import { copyWith } from '../core/copy-with.js';
import { redirect } from './browser.js';
import { ApiError } from '../core/errors.js';
import type { ServerContext } from '../core/context.js';
import { AUTHENTICATION_METHODS } from '../core/vocabulary.js';
import { schemas } from '../core/validation.js';
import { opaqueToken } from '../core/ids.js';
import { applyScenario, decideLogin, type LoginCompleter } from '../core/login.js';
import type { LoginOverride, LoginRequest, User } from '../core/store.js';
import { renderErrorPage, renderLoginPage } from './login-page.js';

/** Pending login requests live this long (the person has to click within it). */
const LOGIN_REQUEST_TTL_MS = 30 * 60_000;

export type Completers = Record<LoginRequest['vendor'], LoginCompleter>;

function html(body: string, status = 200): Response {
  return new Response(body, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // The page has no script; forbid any, and framing (clickjacking a one-click login).
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; frame-ancestors 'none'; base-uri 'none'",
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    },
  });
}

/** Stores a pending login request; the page's form posts back to it. */
export function createLoginRequest(
  ctx: ServerContext,
  input: { environmentId: string; vendor: LoginRequest['vendor']; params: Record<string, unknown>; override: LoginOverride | null },
): LoginRequest {
  const now = ctx.clock.now(input.environmentId);
  const request: LoginRequest = { id: `lr_${opaqueToken(18)}`, ...input, expiresAt: now + LOGIN_REQUEST_TTL_MS };
  ctx.store.createLoginRequest(request, now);
  return request;
}

function describeQueued(override: LoginOverride | null): string | null {
  if (!override || Object.keys(override).length === 0) return null;
  const parts: string[] = [];
  if (override.scenario) parts.push(`scenario ${override.scenario}`);
  if (override.impersonator) parts.push(`impersonated by ${override.impersonator.email}`);
  if (override.oauth) parts.push(`${override.oauth.provider} tokens`);
  if (override.organization_id) parts.push(`organization ${override.organization_id}`);
  if (override.authentication_method) parts.push(`method ${override.authentication_method}`);
  return parts.length ? `A queued login applies: ${parts.join(', ')}.` : null;
}

/** Renders the login page for `request`. */
export function showLoginPage(
  ctx: ServerContext,
  completer: LoginCompleter,
  request: LoginRequest,
  extras: { preselectedUserId?: string | null; hint?: string | null; error?: string | null; status?: number } = {},
): Response {
  const env = request.environmentId;
  const described = completer.describe(request);
  const users = ctx.store.allUsers(env).map((user) => ({
    id: user.id,
    email: user.email,
    name: [user.firstName, user.lastName].filter(Boolean).join(' ') || null,
    organizations: ctx.store.membershipsOfUser(env, user.id).map((m) => ({ id: m.organizationId, name: m.organizationName, role: m.role })),
    impersonator: user.impersonator,
    hasProviderTokens: user.oauth != null,
  }));
  const page = renderLoginPage({
    action: `/_mock/login/${request.id}`,
    cancelAction: `/_mock/login/${request.id}/cancel`,
    vendor: request.vendor,
    provider: described.provider,
    clientLabel: described.clientLabel,
    environmentId: env,
    redirectTo: described.redirectTo,
    users,
    organizations: ctx.store.listOrganizations(env).map((org) => ({ id: org.id, name: org.name })),
    scenarios: ctx.store.listScenarios(env).map((s) => ({ name: s.name, description: s.description ?? null })),
    preselectedUserId: extras.preselectedUserId ?? null,
    hint: extras.hint ?? null,
    queued: describeQueued(request.override),
    error: extras.error ?? null,
  });
  return html(page, extras.status ?? 200);
}

/**
 * What both vendors' authorize endpoints do once the request is valid: take the queued login, decide
 * who signs in (queued → hint → nobody), then complete at once (`auto` with a decided user, `headless`)
 * or show the login page. All in one transaction: one commit, no separate read locks, and a queued login
 * is never used up without its code or token.
 *
 * @example
 * return beginLogin(ctx, completer, { environmentId, vendor: 'workos', params, hint, complete, fail, noUsers });
 */
export function beginLogin(
  ctx: ServerContext,
  completer: LoginCompleter,
  input: {
    environmentId: string;
    vendor: LoginRequest['vendor'];
    params: Record<string, unknown>;
    hint: string | null;
    /** Issues the code or token for `user`; returns where to redirect. */
    complete: (user: User, override: LoginOverride) => string;
    /** The vendor's answer to a queued `error`. */
    fail: (error: string, description: string | undefined) => Response;
    /** The vendor's answer when headless has nobody to sign in. */
    noUsers: () => Response;
  },
): Response {
  const { environmentId: env } = input;
  return ctx.store.transaction(() => {
    const queued = ctx.store.takeNextLogin(env) ?? null;
    const decision = decideLogin(ctx.store, env, { hint: input.hint, queued });
    if (decision.error) return input.fail(decision.error.error, decision.error.error_description);
    const mode = ctx.options.loginMode;
    if (decision.user && mode !== 'page') return redirect(input.complete(decision.user, decision.override));
    if (mode === 'headless') {
      const user = ctx.store.firstUser(env);
      return user ? redirect(input.complete(user, decision.override)) : input.noUsers();
    }
    const request = createLoginRequest(ctx, { environmentId: env, vendor: input.vendor, params: { ...input.params }, override: queued });
    return showLoginPage(ctx, completer, request, { preselectedUserId: decision.user?.id, hint: input.hint });
  });
}

class FormProblem extends Error {}

const field = (form: Record<string, unknown>, name: string): string | undefined => {
  const value = form[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

/** The per-login options of the form as an override (empty fields change nothing). */
function formOverride(form: Record<string, unknown>): LoginOverride {
  const override: LoginOverride = {};
  const scenario = field(form, 'scenario');
  if (scenario) override.scenario = scenario;
  const organizationId = field(form, 'organization_id');
  if (organizationId) override.organization_id = organizationId;
  const impersonatorEmail = field(form, 'impersonator_email');
  if (impersonatorEmail) {
    const parsed = schemas().impersonatorSchema.safeParse({ email: impersonatorEmail, reason: field(form, 'impersonator_reason') ?? null });
    if (!parsed.success) throw new FormProblem('The impersonator email is not an email address.');
    override.impersonator = parsed.data;
  }
  const provider = field(form, 'oauth_provider');
  const accessToken = field(form, 'oauth_access_token');
  if (provider || accessToken) {
    const expires = field(form, 'oauth_expires_at');
    const parsed = schemas().oauthTokensSchema.safeParse({
      provider: provider ?? 'GoogleOAuth',
      access_token: accessToken ?? '',
      refresh_token: field(form, 'oauth_refresh_token'),
      id_token: field(form, 'oauth_id_token'),
      scopes: field(form, 'oauth_scopes')?.split(/[\s,]+/).filter(Boolean),
      expires_at: expires === undefined ? undefined : Number(expires),
    });
    if (!parsed.success) throw new FormProblem('The provider tokens are not valid (expires_at must be a whole number of seconds).');
    override.oauth = parsed.data;
  }
  const method = field(form, 'authentication_method');
  if (method && (AUTHENTICATION_METHODS as readonly string[]).includes(method)) override.authentication_method = method;
  return override;
}

/** The routes behind the login page's forms. */
export function loginPageRoutes(ctx: ServerContext, completers: Completers): Hono {
  const app = new Hono();

  const expired = () =>
    html(renderErrorPage('This sign-in page has expired', 'The login request was already used or is too old. Start the sign-in again from the app.', 400), 400);

  // A completer refuses with an ApiError when it cannot redirect back (e.g. the redirect URI is no
  // longer registered): the person sees an error page, never a redirect and never JSON.
  const finish = (locate: () => string): Response => {
    try {
      return redirect(locate());
    } catch (error) {
      if (error instanceof ApiError) return html(renderErrorPage('This sign-in request cannot continue', error.message, error.status), error.status);
      throw error;
    }
  };

  app.post('/_mock/login/:id/cancel', (c) => {
    const pending = ctx.store.getLoginRequest(c.req.param('id'));
    if (!pending) return expired();
    const request = ctx.store.takeLoginRequest(pending.id, ctx.clock.now(pending.environmentId));
    if (!request) return expired();
    return finish(() => completers[request.vendor].cancel(request));
  });

  app.post('/_mock/login/:id', async (c) => {
    const pending = ctx.store.getLoginRequest(c.req.param('id'));
    if (!pending || pending.expiresAt <= ctx.clock.now(pending.environmentId)) return expired();
    const env = pending.environmentId;
    const completer = completers[pending.vendor];
    let form: Record<string, unknown>;
    try {
      form = Object.fromEntries(new URLSearchParams(await c.req.text()));
    } catch {
      form = {};
    }
    let user: User | undefined;
    let newUser: { email: string; firstName: string | null; lastName: string | null; organizationId?: string } | undefined;
    let override: LoginOverride;
    try {
      const chosen = formOverride(form);
      if (chosen.scenario && !ctx.store.getScenario(env, chosen.scenario)) throw new FormProblem('That scenario does not exist.');
      if (chosen.organization_id && !ctx.store.getOrganization(env, chosen.organization_id)) throw new FormProblem('That organization does not exist.');
      // The queued login is stored as queued (`scenario` unexpanded): expand it here too, or a queued
      // scenario's impersonator and tokens would be lost whenever the page is shown (`--login page`).
      override = copyWith(applyScenario(ctx.store, env, pending.override ?? {}), applyScenario(ctx.store, env, chosen));
      delete override.scenario;
      if (field(form, 'action') === 'create') {
        const email = field(form, 'new_email');
        if (!email || !/^[^\s@<>"]+@[^\s@<>"]+$/.test(email) || email.length > 320) throw new FormProblem('Enter an email address for the new user.');
        if (ctx.store.findUser(env, email)) throw new FormProblem(`A user with the email ${email} already exists; pick them from the list.`);
        const organizationId = field(form, 'new_organization_id');
        if (organizationId && !ctx.store.getOrganization(env, organizationId)) throw new FormProblem('That organization does not exist.');
        // Created only once the request is taken, so an expired or raced request leaves no stray user.
        newUser = { email, firstName: field(form, 'new_first_name')?.slice(0, 200) ?? null, lastName: field(form, 'new_last_name')?.slice(0, 200) ?? null, organizationId };
      } else {
        const ref = field(form, 'user_id') ?? override.user;
        user = ref ? (ctx.store.getUser(env, ref) ?? ctx.store.findUser(env, ref)) : undefined;
        if (!user) throw new FormProblem('Pick a user to sign in as, or create a new one.');
      }
    } catch (error) {
      if (error instanceof FormProblem) return showLoginPage(ctx, completer, pending, { error: error.message, status: 400 });
      throw error;
    }
    const now = ctx.clock.now(env);
    const request = ctx.store.takeLoginRequest(pending.id, now);
    if (!request) return expired();
    if (newUser) {
      const spec = newUser;
      user = ctx.store.transaction(() => {
        // Two pages may create the same email at once: the second signs in the first one's user.
        const existing = ctx.store.findUser(env, spec.email);
        if (existing) return existing;
        const created = ctx.store.createUser(env, spec, now);
        if (spec.organizationId) ctx.store.addMembership(env, created.id, spec.organizationId, 'member', now);
        return created;
      });
    }
    const signedIn = user!;
    return finish(() => completer.complete(request, signedIn, override));
  });

  return app;
}
