/**
 * Redeeming an OAuth token: `POST /v1/oauth/authenticate` (backend, Basic `project_id:secret`, flat body)
 * and the shared logic `/sdk/v1/oauth/authenticate` wraps in `{data}`.
 *
 * Mirrors stytch-node's `OAuthAuthenticateRequest`/`Response` (`types/lib/b2c/oauth.d.ts`):
 * - the token is single-use (one conditional UPDATE: of racing redemptions exactly one wins), of this
 *   project only, and expires; unknown, used, expired or foreign tokens are all `404 oauth_token_not_found`;
 * - PKCE: a token started with a `code_challenge` needs a `code_verifier` hashing to it
 *   (`pkce_expected_code_verifier`, `pkce_mismatch`); a verifier for a token started without a challenge
 *   is `pkce_did_not_expect_code_verifier` (Stytch's own error for that case). A failed check does not
 *   burn the token;
 * - `session_duration_minutes` absent → no session: `session_token: ""`, `session_jwt: ""`, no `user_session`;
 * - `session_token` / `session_jwt` → the OAuth factor is added to that session (when it belongs to the
 *   same user; a session of another user is ignored, as the d.ts documents);
 * - `provider_values` strings are never null (`""` when the provider gave none), which the old Android
 *   SDK's non-null decoder requires.
 *
 * @example
 * POST /v1/oauth/authenticate {"token":"…","session_duration_minutes":60,"code_verifier":"…"}
 * → {status_code, request_id, user_id, provider_subject, provider_type, session_token, session_jwt,
 *    provider_values, user, reset_sessions, oauth_user_registration_id, user_session}
 */
import { Hono } from 'hono';
import type { Params } from '../core/body.js';
import { isoSeconds } from '../core/clock.js';
import type { ServerContext } from '../core/context.js';
import { StytchApiError, jsonResponse } from '../core/errors.js';
import type { OAuthTokens } from '../core/fixtures.js';
import { hashToken, s256, safeEqual, stytchId } from '../core/ids.js';
import type { Session, StytchProject } from '../core/store.js';
import { requireSecret } from './auth.js';
import { badRequest, oauthTokenNotFound } from './errors.js';
import { derivedProviderSubject, emailId, registrationId } from './ids.js';
import { customClaims, mergeClaims, readStytchBody, sessionArguments, sessionDuration, stringField } from './params.js';
import { stytchProvider } from './providers.js';
import { registrationsOf, upsertRegistration } from './registrations.js';
import { detailsOf, userJson } from './serializers.js';
import { findByToken, newFactor, openSession, requireSession, sessionParts, touchSession } from './session-service.js';

/** The parsed body of an OAuth authenticate call. */
export interface OAuthAuthenticateInput {
  token: string;
  codeVerifier?: string;
  minutes?: number;
  claims?: Record<string, unknown>;
  sessionToken?: string;
  sessionJwt?: string;
}

/** Parses and validates the body (every 400 before the token is looked at). */
export function parseOAuthAuthenticate(params: Params): OAuthAuthenticateInput {
  const token = stringField(params, 'token', 200);
  if (token === undefined) throw badRequest('token is required.');
  return {
    token,
    codeVerifier: stringField(params, 'code_verifier', 512),
    minutes: sessionDuration(params),
    claims: customClaims(params),
    ...sessionArguments(params),
  };
}

/** `provider_values`: strings never null, `expires_at` only when the provider said when. */
function providerValues(oauth: OAuthTokens): Record<string, unknown> {
  const values: Record<string, unknown> = {
    access_token: oauth.access_token ?? '',
    refresh_token: oauth.refresh_token ?? '',
    id_token: oauth.id_token ?? '',
    scopes: oauth.scopes ?? [],
  };
  if (typeof oauth.expires_at === 'number') values.expires_at = isoSeconds(oauth.expires_at * 1000);
  return values;
}

/**
 * Redeems the token and builds the flat response body. `ambientSessionToken` is the SDK caller's current
 * session (from its Basic password): used like `session_token` when live, ignored when stale.
 */
export async function redeemOAuthToken(
  ctx: ServerContext,
  project: StytchProject,
  input: OAuthAuthenticateInput,
  extras: { ambientSessionToken?: string; defaultMinutes?: number; userAgent?: string | null } = {},
): Promise<{ body: Record<string, unknown>; session?: Record<string, unknown> }> {
  const env = project.environmentId;
  const tokenHash = hashToken(input.token);
  const stored = ctx.store.findStytchOAuthToken(tokenHash);
  const now = ctx.clock.now(env);
  if (!stored || stored.projectId !== project.projectId || stored.environmentId !== env || stored.usedAt !== null || stored.expiresAt <= now) throw oauthTokenNotFound();

  if (stored.codeChallenge) {
    if (input.codeVerifier === undefined)
      throw new StytchApiError(400, 'pkce_expected_code_verifier', 'This OAuth flow was started with a code_challenge; a code_verifier is required.');
    if (!safeEqual(s256(input.codeVerifier), stored.codeChallenge))
      throw new StytchApiError(400, 'pkce_mismatch', 'The submitted code_verifier does not match the code_challenge sent at the start of the flow.');
  } else if (input.codeVerifier !== undefined) {
    throw new StytchApiError(400, 'pkce_did_not_expect_code_verifier', 'This OAuth flow was started without a code_challenge; do not send a code_verifier.');
  }

  const user = ctx.store.getUser(env, stored.userId);
  if (!user) throw oauthTokenNotFound();
  // The session to add the factor to: named in the body (must be live), else the SDK caller's own (if live).
  let existing: Session | undefined;
  if (input.sessionToken !== undefined || input.sessionJwt !== undefined) existing = requireSession(ctx, project, input);
  else if (extras.ambientSessionToken) existing = findByToken(ctx, project, extras.ambientSessionToken);
  if (existing && existing.userId !== user.id) existing = undefined;
  // Claims past 4 KB are refused before the token is spent: a rejected request must change nothing.
  if (existing || (input.minutes ?? extras.defaultMinutes) !== undefined) mergeClaims(existing ? detailsOf(existing).customClaims : {}, input.claims);

  const provider = stytchProvider(stored.provider);
  const slug = provider?.slug ?? stored.provider;
  const oauth: OAuthTokens = stored.details.oauth ?? { provider: slug, access_token: '' };
  const providerSubject = oauth.provider_subject ?? derivedProviderSubject(user, slug);
  const registration = registrationId(user, slug);
  const factor = newFactor({ provider: slug, registrationId: registration, providerSubject, emailId: emailId(user) }, now);
  const minutes = input.minutes ?? (existing ? undefined : extras.defaultMinutes);

  // Spend the token and record everything it grants in one transaction: one commit, and a crash can
  // never leave a spent token without its session.
  const session: Session | undefined = ctx.store.transaction(() => {
    if (!ctx.store.consumeStytchOAuthToken(tokenHash, now)) throw oauthTokenNotFound();
    upsertRegistration(ctx.store, { environmentId: env, userId: user.id, provider: slug, providerSubject }, now);
    ctx.store.recordSignIn(env, user.id, now);
    if (existing) return touchSession(ctx, existing, { minutes, claims: input.claims, factor });
    if (minutes !== undefined)
      return openSession(ctx, { project, user, factor, minutes, impersonator: stored.details.impersonator, claims: input.claims, userAgent: extras.userAgent });
    return undefined;
  });
  const parts = session ? await sessionParts(ctx, project, session, user) : undefined;

  const body: Record<string, unknown> = {
    status_code: 200,
    request_id: stytchId('request-id'),
    user_id: user.stytchUserId,
    provider_subject: providerSubject,
    provider_type: provider?.providerType ?? slug,
    session_token: parts?.session_token ?? '',
    session_jwt: parts?.session_jwt ?? '',
    provider_values: providerValues(oauth),
    user: userJson(ctx.store.getUser(env, user.id) ?? user, registrationsOf(ctx.store, env, user.id)),
    reset_sessions: false,
    oauth_user_registration_id: registration,
  };
  if (parts) body.user_session = parts.session;
  return { body, session: parts?.session };
}

/** Routes: `POST /v1/oauth/authenticate`. */
export function oauthAuthenticateRoutes(ctx: ServerContext): Hono {
  const app = new Hono();
  app.post('/v1/oauth/authenticate', async (c) => {
    const project = requireSecret(ctx, c);
    const input = parseOAuthAuthenticate(await readStytchBody(c));
    const { body } = await redeemOAuthToken(ctx, project, input);
    return jsonResponse(body);
  });
  return app;
}
