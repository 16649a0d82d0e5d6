/**
 * `grant_type=password`: email and password of a fixture user that has a `password`.
 * Wrong credentials answer `400 {"code":"invalid_credentials"}` like production (→ `GenericServerException`);
 * an unverified email answers `403 email_verification_required`.
 *
 * @example
 * {"grant_type":"password","client_id":"client_…","client_secret":"sk_…","email":"alice@acme.test","password":"…"}
 */
import type { Params } from '../../core/body.js';
import { requiredString } from '../../core/body.js';
import type { ServerContext } from '../../core/context.js';
import { copyWith } from '../../core/copy-with.js';
import { OAuthError, WorkOSApiError } from '../../core/errors.js';
import { opaqueToken, safeEqual } from '../../core/ids.js';
import { grantDetails, loginOrganization } from '../../core/login.js';
import { authenticationResponse, issueRefreshToken, openSession } from '../tokens.js';
import { authenticateClient, invalidRequest } from './client-auth.js';

export async function passwordGrant(ctx: ServerContext, params: Params, request: { ipAddress: string | null; userAgent: string | null }) {
  const { client, confidential } = authenticateClient(ctx, params);
  if (!confidential) throw new OAuthError(400, 'invalid_client', 'client_secret is required for the password grant.');
  const email = requiredString(params, 'email', invalidRequest, 320);
  const password = requiredString(params, 'password', invalidRequest, 500);
  const user = ctx.store.findUser(client.environmentId, email);
  if (!user || user.password === null || !safeEqual(user.password, password))
    throw new WorkOSApiError(400, 'invalid_credentials', `Invalid credentials for '${email}'.`);
  if (!user.emailVerified)
    throw new WorkOSApiError(403, 'email_verification_required', 'Email ownership must be verified before authentication.', {
      pending_authentication_token: opaqueToken(18),
      email: user.email,
    });
  const details = copyWith(grantDetails(user, {}), { authenticationMethod: 'Password' });
  const organizationId = loginOrganization(ctx.store, client.environmentId, user.id, undefined) ?? null;
  const session = openSession(ctx, { environmentId: client.environmentId, clientId: client.clientId, user, organizationId, details, ...request });
  return authenticationResponse(ctx, session, copyWith(user, { lastSignInAt: session.createdAt }), { refreshToken: issueRefreshToken(ctx, session, client.clientId) });
}
