/**
 * The frontend SDK API (`/sdk/v1/*`) that `@stytch/vanilla-js`, stytch-android and the KMP SDK call from
 * the user's browser or device. Authentication is `Basic public_token:<session_token or public_token>`;
 * successes are wrapped in `{"data": …}` (vanilla-js returns `(await resp.json()).data`; Android/KMP
 * decode `StytchDataResponse<T>`), errors are Stytch's plain envelope.
 *
 * - `POST /sdk/v1/oauth/authenticate` `{token, session_duration_minutes, code_verifier}` → data with the
 *   session under both `session` (what every SDK reads) and `user_session`. The SDK OpenAPI marks the
 *   duration required; when absent the mock opens a 30-minute session (the SDKs' default) instead of
 *   failing. The caller's current session (Basic password) gets the factor when it is the same user's
 *   and alive; a stale one is ignored, as a fresh sign-in should still work.
 * - `POST /sdk/v1/sessions/authenticate` `{session_duration_minutes?}` (vanilla-js heartbeat every 3 min):
 *   the session is the Basic password; none or dead → `404 session_not_found` (clients then clear state).
 * - `POST /sdk/v1/sessions/revoke` (no body) → revokes the caller's session.
 * - `GET /sdk/v1/projects/bootstrap/:public_token` → the minimal bootstrap every client accepts, with
 *   `pkce_required_for_oauth: true` (vanilla-js only sends a challenge then), `cname_domain: null` (else
 *   clients move the start URL to that host) and `password_config: null` (vanilla-js dereferences it when
 *   present and silently falls back to defaults, PKCE off, when the key is missing).
 * - `POST /sdk/v1/events` (telemetry, no auth) → `200 {}`.
 *
 * @example
 * POST /sdk/v1/oauth/authenticate  Authorization: Basic base64(public-token-test-…:public-token-test-…)
 *      {"token":"…","session_duration_minutes":30,"code_verifier":"…"}
 * → {"data":{"status_code":200,…,"session":{…},"user_session":{…},"session_token":"…","session_jwt":"…"}}
 */
import { Hono } from 'hono';
import type { ServerContext } from '../core/context.js';
import { copyWith } from '../core/copy-with.js';
import { StytchApiError, jsonResponse } from '../core/errors.js';
import { stytchId } from '../core/ids.js';
import { requirePublicToken } from './auth.js';
import { sessionNotFound } from './errors.js';
import { parseOAuthAuthenticate, redeemOAuthToken } from './oauth-authenticate.js';
import { customClaims, readStytchBody, sessionDuration } from './params.js';
import { authenticateSession } from './sessions.js';
import { findByToken } from './session-service.js';

/** The SDKs' default session length when the caller gives none. */
const DEFAULT_SDK_SESSION_MINUTES = 30;

/** `{"data": {request_id, …, status_code}}`. */
function data(fields: Record<string, unknown>): Response {
  return jsonResponse({ data: { request_id: stytchId('request-id'), ...fields, status_code: 200 } });
}

export function sdkRoutes(ctx: ServerContext): Hono {
  const app = new Hono();

  app.post('/sdk/v1/oauth/authenticate', async (c) => {
    const { project, sessionToken } = requirePublicToken(ctx, c);
    const input = parseOAuthAuthenticate(await readStytchBody(c));
    const userAgent = c.req.header('user-agent')?.slice(0, 512) ?? null;
    const { body, session } = await redeemOAuthToken(ctx, project, input, { ambientSessionToken: sessionToken, defaultMinutes: DEFAULT_SDK_SESSION_MINUTES, userAgent });
    return jsonResponse({ data: copyWith(body, { session }) });
  });

  app.post('/sdk/v1/sessions/authenticate', async (c) => {
    const { project, sessionToken } = requirePublicToken(ctx, c);
    const params = await readStytchBody(c);
    const minutes = sessionDuration(params);
    const claims = customClaims(params);
    const session = sessionToken ? findByToken(ctx, project, sessionToken) : undefined;
    if (!session) throw sessionNotFound();
    return data(await authenticateSession(ctx, project, session, { minutes, claims }));
  });

  app.post('/sdk/v1/sessions/revoke', (c) => {
    const { project, sessionToken } = requirePublicToken(ctx, c);
    const session = sessionToken ? findByToken(ctx, project, sessionToken) : undefined;
    if (!session) throw sessionNotFound();
    ctx.store.revokeSession(session.id, ctx.clock.now(project.environmentId));
    return data({});
  });

  app.get('/sdk/v1/projects/bootstrap/:public_token', (c) => {
    const project = ctx.store.findStytchProjectByPublicToken(c.req.param('public_token'));
    if (!project) throw new StytchApiError(404, 'public_token_not_found', 'The public token could not be found.');
    return data({
      project_name: `mock-authkit ${project.projectId}`,
      disable_sdk_watermark: true,
      cname_domain: null,
      email_domains: ['stytch.com'],
      captcha_settings: { enabled: false },
      pkce_required_for_email_magic_links: false,
      pkce_required_for_password_resets: false,
      pkce_required_for_oauth: true,
      pkce_required_for_sso: false,
      create_organization_enabled: false,
      dfp_protected_auth_enabled: false,
      siwe_required_for_crypto_wallets: false,
      opaque_errors: false,
      password_config: null,
      // A policy (not null) with Stytch's default consumer role: with null, vanilla-js logs
      // "Unable to retrieve RBAC policy from servers" as a console error on every page load.
      rbac_policy: { roles: [{ role_id: 'stytch_user', description: 'Granted to every user.', permissions: [] }], resources: [], scopes: [] },
      slug_pattern: null,
      vertical: 'CONSUMER',
    });
  });

  // Telemetry: the body (a JSON array) is not even read; errors here are ignored by the SDK anyway.
  app.post('/sdk/v1/events', () => jsonResponse({}));

  return app;
}
