/**
 * The login decision both vendors share (PRODUCT.md §3): a queued next-login wins, then a
 * `login_hint` / `provider_login_hint` naming a user, otherwise nobody (login page, or the first user in
 * headless mode). Also turns the decided login into the details a code or OAuth token carries.
 *
 * @example
 * const decision = decideLogin(store, 'default', { hint: 'alice@acme.test', queued: store.takeNextLogin('default') });
 * if (decision.user) issueCode(decision.user, grantDetails(decision.user, decision.override));
 */
import type { Impersonator, OAuthTokens } from './fixtures.js';
import { AUTHENTICATION_METHODS } from './vocabulary.js';
import type { GrantDetails, LoginOverride, LoginRequest, Store, User } from './store.js';

export interface LoginDecision {
  /** The user, when the queue or the hint decided one. */
  user?: User;
  /** The scenario and queued overrides merged (queued fields win). */
  override: LoginOverride;
  /** A queued failure: answer the app with this OAuth error instead of logging in. */
  error?: { error: string; error_description?: string };
  /** How the user was decided, for the login page. */
  source?: 'queued' | 'hint';
}

/** Expands `override.scenario` into its fields; explicit fields of the override win over the scenario's. */
export function applyScenario(store: Store, environmentId: string, override: LoginOverride): LoginOverride {
  if (!override.scenario) return override;
  const scenario = store.getScenario(environmentId, override.scenario);
  if (!scenario) return override;
  const { name: _name, description: _description, ...fields } = scenario;
  const merged: LoginOverride = { ...fields };
  for (const [key, value] of Object.entries(override)) if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  return merged;
}

/** Decides the user for one login from the (already taken) queued override and the hint. */
export function decideLogin(store: Store, environmentId: string, input: { hint?: string | null; queued?: LoginOverride | null }): LoginDecision {
  const override = input.queued ? applyScenario(store, environmentId, input.queued) : {};
  if (override.error) return { override, error: override.error };
  if (override.user) {
    const user = store.findUser(environmentId, override.user);
    if (user) return { user, override, source: 'queued' };
  }
  if (input.hint) {
    const user = store.findUser(environmentId, input.hint.trim());
    if (user) return { user, override, source: 'hint' };
  }
  return { override };
}

const METHODS = new Set<string>(AUTHENTICATION_METHODS);

/**
 * What the login grants: impersonator and provider tokens from the override (an explicit `null` removes
 * the user's own), else the user's; and WorkOS's `authentication_method` (Impersonation when
 * impersonated, the OAuth provider when provider tokens came along, Password otherwise).
 */
export function grantDetails(user: User, override: LoginOverride): GrantDetails {
  const impersonator: Impersonator | null = override.impersonator === undefined ? user.impersonator : override.impersonator;
  const oauth: OAuthTokens | null = override.oauth === undefined ? user.oauth : override.oauth;
  const authenticationMethod =
    override.authentication_method ?? (impersonator ? 'Impersonation' : oauth && METHODS.has(oauth.provider) ? oauth.provider : 'Password');
  return { authenticationMethod, impersonator: impersonator ?? null, oauth: oauth ?? null };
}

/** What a vendor plugs into the shared login page: how to finish, cancel and describe its requests. */
export interface LoginCompleter {
  /** Finishes the login for `user`; returns where to send the browser (the app, with a code or an error). */
  complete(request: LoginRequest, user: User, override: LoginOverride): string;
  /** The user pressed Cancel: where to send the browser (the app, with `access_denied`). */
  cancel(request: LoginRequest): string;
  /** What the page shows about the request. */
  describe(request: LoginRequest): { clientLabel: string; provider: string | null; redirectTo: string; organizationId?: string | null };
}

/**
 * The organization a WorkOS login is scoped to: `wanted` when the user is an active member of it (else
 * `undefined`, the caller's error), none when `wanted` is `null`, and otherwise the first active
 * membership — hosted AuthKit settles organization selection before it issues a code.
 */
export function loginOrganization(store: Store, environmentId: string, userId: string, wanted: string | null | undefined): string | null | undefined {
  const memberships = store.membershipsOfUser(environmentId, userId).filter((m) => m.status === 'active');
  if (wanted) return memberships.some((m) => m.organizationId === wanted) ? wanted : undefined;
  return wanted === null ? null : (memberships[0]?.organizationId ?? null);
}
