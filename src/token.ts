/**
 * `mock-authkit token`: a real session for a user and its signed token, verifiable with the server's
 * JWKS (same key, same kid), without going through a browser login.
 *
 * @example
 * await mintToken(ctx, { environmentId: 'default', vendor: 'workos', user: 'alice@acme.test' });
 */
import type { ServerContext } from './core/context.js';
import { UserFacingError } from './core/user-facing-error.js';
import { grantDetails, loginOrganization } from './core/login.js';
import { openSession, signAccessToken } from './workos/tokens.js';
import { mintStytchSession } from './stytch/index.js';

export async function mintToken(
  ctx: ServerContext,
  input: { environmentId: string; vendor: 'workos' | 'stytch'; user: string; organizationId?: string; impersonatorEmail?: string },
): Promise<string> {
  const { store } = ctx;
  if (!store.environmentExists(input.environmentId)) throw new UserFacingError(`no environment '${input.environmentId}'`);
  const user = store.findUser(input.environmentId, input.user);
  if (!user) throw new UserFacingError(`no user with email or id '${input.user}' in environment '${input.environmentId}'`);
  const override = input.impersonatorEmail ? { impersonator: { email: input.impersonatorEmail, reason: null } } : {};
  const details = grantDetails(user, override);
  if (input.vendor === 'stytch') {
    const project = store.stytchProjects(input.environmentId)[0];
    if (!project) throw new UserFacingError(`environment '${input.environmentId}' has no Stytch project`);
    return mintStytchSession(ctx, { project, user, details });
  }
  const client = store.workosClients(input.environmentId)[0];
  if (!client) throw new UserFacingError(`environment '${input.environmentId}' has no WorkOS client`);
  const organizationId = loginOrganization(store, input.environmentId, user.id, input.organizationId);
  if (organizationId === undefined) throw new UserFacingError(`${user.email} is not an active member of organization '${input.organizationId}'`);
  const session = openSession(ctx, { environmentId: input.environmentId, clientId: client.clientId, user, organizationId, details });
  return signAccessToken(ctx, session);
}
