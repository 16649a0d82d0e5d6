/**
 * Backend session endpoints (stytch-node `client.sessions.*`, `lib/b2c/sessions.ts`):
 *
 * - `POST /v1/sessions/authenticate` — by `session_token` or `session_jwt` (exactly one: none is
 *   `no_session_arguments`, both `too_many_session_arguments`). An expired JWT with a valid signature is
 *   accepted while its session lives (that is how `authenticateJwt` refreshes after local verification
 *   fails on `exp`). Answers `{request_id, session, session_token, session_jwt, user, status_code}` with
 *   the same opaque token and a fresh JWT; `session_duration_minutes` moves the expiry to now + minutes.
 *   `authorization_check` is accepted and ignored (the mock has no RBAC policy).
 * - `POST /v1/sessions/revoke` — by exactly one of `session_id`, `session_token`, `session_jwt`; a revoked
 *   session stays dead (its JWTs still verify locally until their 5-minute `exp`, as with Stytch).
 * - `GET /v1/sessions?user_id=` — the user's live sessions for this project.
 * - `GET /v1/sessions/jwks/:project_id` — no authentication (jose sends none); `{keys, request_id, status_code}`.
 *
 * @example
 * POST /v1/sessions/authenticate {"session_jwt":"eyJ…"} → {session, session_token, session_jwt: <fresh>, user, …}
 * GET  /v1/sessions/jwks/project-test-… → {"keys":[{"kty":"RSA","kid":"jwk-test-…",…}],"request_id":"…","status_code":200}
 */
import { Hono } from 'hono';
import { queryParams } from '../core/body.js';
import type { ServerContext } from '../core/context.js';
import { StytchApiError, jsonResponse } from '../core/errors.js';
import { stytchId } from '../core/ids.js';
import type { Session, StytchProject } from '../core/store.js';
import { requireSecret } from './auth.js';
import { sessionNotFound, userNotFound } from './errors.js';
import { customClaims, readStytchBody, sessionArguments, sessionDuration, stringField } from './params.js';
import { registrationsOf } from './registrations.js';
import { sessionJson, userJson } from './serializers.js';
import { isLive, requireSession, sessionParts, sessionUser, touchSession } from './session-service.js';

/** `{request_id, …fields, status_code: 200}`, the envelope of every Stytch success. */
export function ok(fields: Record<string, unknown>): Response {
  return jsonResponse({ request_id: stytchId('request-id'), ...fields, status_code: 200 });
}

/** Authenticates (and refreshes) a live session; the body of both the backend and the SDK answer. */
export async function authenticateSession(
  ctx: ServerContext,
  project: StytchProject,
  session: Session,
  change: { minutes?: number; claims?: Record<string, unknown> },
): Promise<Record<string, unknown>> {
  const user = sessionUser(ctx, session);
  const refreshed = touchSession(ctx, session, change);
  const parts = await sessionParts(ctx, project, refreshed, user);
  return {
    session: parts.session,
    session_token: parts.session_token,
    session_jwt: parts.session_jwt,
    user: userJson(user, registrationsOf(ctx.store, project.environmentId, user.id)),
  };
}

export function sessionRoutes(ctx: ServerContext): Hono {
  const app = new Hono();

  app.post('/v1/sessions/authenticate', async (c) => {
    const project = requireSecret(ctx, c);
    const params = await readStytchBody(c);
    const args = sessionArguments(params);
    const minutes = sessionDuration(params);
    const claims = customClaims(params);
    if (args.sessionToken === undefined && args.sessionJwt === undefined)
      throw new StytchApiError(400, 'no_session_arguments', 'One of session_token or session_jwt is required.');
    const session = requireSession(ctx, project, args);
    return ok(await authenticateSession(ctx, project, session, { minutes, claims }));
  });

  app.post('/v1/sessions/revoke', async (c) => {
    const project = requireSecret(ctx, c);
    const params = await readStytchBody(c);
    const sessionId = stringField(params, 'session_id', 200);
    const given = [sessionId, params.session_token, params.session_jwt].filter((value) => value !== undefined && value !== null && value !== '').length;
    if (given === 0) throw new StytchApiError(400, 'no_session_revoke_arguments', 'One of session_id, session_token or session_jwt is required.');
    if (given > 1) throw new StytchApiError(400, 'too_many_session_revoke_arguments', 'Only one of session_id, session_token or session_jwt may be provided.');
    let session: Session | undefined;
    if (sessionId !== undefined) {
      session = ctx.store.getSession(sessionId);
      if (!isLive(ctx, project, session)) throw sessionNotFound();
    } else {
      session = requireSession(ctx, project, sessionArguments(params));
    }
    ctx.store.revokeSession(session.id, ctx.clock.now(project.environmentId));
    return ok({});
  });

  app.get('/v1/sessions', (c) => {
    const project = requireSecret(ctx, c);
    const userId = stringField(queryParams(c), 'user_id', 200);
    if (!userId) throw new StytchApiError(400, 'invalid_user_id', 'user_id is required.');
    const user = ctx.store.getUserByStytchId(project.environmentId, userId);
    if (!user) throw userNotFound(userId);
    const sessions = ctx.store
      .listSessionsOfUser(project.environmentId, user.id, 'stytch', { limit: 100 })
      .data.filter((session) => isLive(ctx, project, session))
      .map((session) => sessionJson(session, user));
    return ok({ sessions });
  });

  app.get('/v1/sessions/jwks/:project_id', (c) => {
    const projectId = c.req.param('project_id');
    const project = ctx.store.findStytchProject(projectId);
    if (!project) throw new StytchApiError(404, 'project_not_found', 'The project could not be found.');
    return ok({ keys: [ctx.keys.forEnvironment(project.environmentId).stytchJwk] });
  });

  return app;
}
