/**
 * `POST /user_management/authenticate`: JSON or form body, one handler per grant.
 *
 * @example
 * POST /user_management/authenticate {"grant_type":"refresh_token",…} → 200 {"user":…,"access_token":…}
 */
import { Hono } from 'hono';
import { readParams, requiredString } from '../core/body.js';
import type { ServerContext } from '../core/context.js';
import { OAuthError, jsonResponse } from '../core/errors.js';
import { authorizationCodeGrant } from './grants/authorization-code.js';
import { invalidRequest } from './grants/client-auth.js';
import { passwordGrant } from './grants/password.js';
import { refreshTokenGrant } from './grants/refresh-token.js';

export function authenticateRoutes(ctx: ServerContext): Hono {
  const app = new Hono();
  app.post('/user_management/authenticate', async (c) => {
    const params = await readParams(c, invalidRequest);
    const grantType = requiredString(params, 'grant_type', invalidRequest, 200);
    const request = {
      ipAddress: typeof params.ip_address === 'string' ? params.ip_address.slice(0, 100) : null,
      userAgent: typeof params.user_agent === 'string' ? params.user_agent.slice(0, 1000) : (c.req.header('user-agent')?.slice(0, 1000) ?? null),
    };
    switch (grantType) {
      case 'authorization_code':
        return jsonResponse(await authorizationCodeGrant(ctx, params, request));
      case 'refresh_token':
        return jsonResponse(await refreshTokenGrant(ctx, params));
      case 'password':
        return jsonResponse(await passwordGrant(ctx, params, request));
      default:
        throw new OAuthError(400, 'invalid_request', `The grant type is not supported: ${grantType}`);
    }
  });
  return app;
}
