/**
 * Sessions: logout (browser), revoke and list (API key).
 *
 * Logout ends the session for good (its refresh tokens stop working) and redirects to `return_to` only
 * when it is registered for the session's client (for an unknown session id, which is otherwise ignored
 * as in production: for any client).
 *
 * @example
 * GET  /user_management/sessions/logout?session_id=session_…&return_to=http://localhost:3000/
 * POST /user_management/sessions/revoke {"session_id":"session_…"}
 * GET  /user_management/users/user_…/sessions?limit=10
 */
import { Hono } from 'hono';
import { optionalString, queryParams, readParams, requiredString } from '../core/body.js';
import { browserError, redirect, wantsHtml } from '../ui/browser.js';
import type { ServerContext } from '../core/context.js';
import { WorkOSApiError, jsonResponse } from '../core/errors.js';
import { isRegisteredRedirect } from '../core/redirect-uris.js';
import { renderErrorPage } from '../ui/login-page.js';
import { requireApiKey } from './api-key.js';
import { pageQuery } from './list-query.js';
import { listJson, sessionJson } from './serializers.js';

const unprocessable = (message: string) => new WorkOSApiError(422, 'invalid_request', message);

export function sessionRoutes(ctx: ServerContext): Hono {
  const app = new Hono();

  app.get('/user_management/sessions/logout', (c) => {
    const query = queryParams(c);
    let sessionId: string;
    let returnTo: string | undefined;
    try {
      sessionId = requiredString(query, 'session_id', unprocessable, 200);
      returnTo = optionalString(query, 'return_to', unprocessable, 2000);
    } catch (error) {
      return browserError(c, error as WorkOSApiError);
    }
    const session = ctx.store.getSession(sessionId);
    const mine = session && session.vendor === 'workos' ? session : undefined;
    if (returnTo !== undefined) {
      // A known session answers to its own client's URIs. An unknown one (already purged, or from before
      // a reset) is ignored as production does, and the app still has to land somewhere: any URI
      // registered for a client here will do — it is still never a URI nobody registered.
      const patterns = mine
        ? (ctx.store.findWorkosClient(mine.audience)?.redirectUris ?? [])
        : ctx.store.allWorkosClients().flatMap((client) => client.redirectUris);
      if (!isRegisteredRedirect(returnTo, patterns))
        return browserError(c, new WorkOSApiError(400, 'invalid_return_to', `The return_to '${returnTo}' is not a registered redirect URI.`), 'Sign-out cannot redirect there');
    }
    if (mine) ctx.store.revokeSession(mine.id, ctx.clock.now(mine.environmentId));
    if (returnTo !== undefined) return redirect(returnTo);
    // No return_to: production sends the browser to the client's configured sign-out redirect.
    const fallback = mine ? ctx.store.findWorkosClient(mine.audience)?.logoutRedirectUri : undefined;
    if (fallback) return redirect(fallback);
    if (wantsHtml(c)) return new Response(renderErrorPage('Signed out', 'The session has ended. You can close this tab.', 200), { headers: { 'content-type': 'text/html; charset=utf-8' } });
    return jsonResponse({ success: true });
  });

  app.post('/user_management/sessions/revoke', async (c) => {
    const client = requireApiKey(ctx, c);
    const invalid = (message: string) => new WorkOSApiError(400, 'invalid_request', message);
    const params = await readParams(c, invalid);
    const sessionId = requiredString(params, 'session_id', invalid, 200);
    const session = ctx.store.getSession(sessionId);
    if (!session || session.environmentId !== client.environmentId || session.vendor !== 'workos')
      throw new WorkOSApiError(404, 'entity_not_found', `Session not found: '${sessionId}'.`, { entity_id: sessionId });
    ctx.store.revokeSession(session.id, ctx.clock.now(session.environmentId));
    return jsonResponse({});
  });

  app.get('/user_management/users/:id/sessions', (c) => {
    const client = requireApiKey(ctx, c);
    const user = ctx.store.getUser(client.environmentId, c.req.param('id'));
    if (!user) throw new WorkOSApiError(404, 'entity_not_found', `User not found: '${c.req.param('id')}'.`, { entity_id: c.req.param('id') });
    const page = ctx.store.listSessionsOfUser(client.environmentId, user.id, 'workos', pageQuery(queryParams(c)));
    const now = ctx.clock.now(client.environmentId);
    return jsonResponse(listJson(page, (session) => sessionJson(session, now)));
  });

  return app;
}
