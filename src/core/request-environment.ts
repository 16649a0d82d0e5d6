/**
 * Which environment a vendor request belongs to, from the credentials it already carries: a WorkOS
 * `client_id` (query, body or JWKS path) or API key, a Stytch project id or public token (Basic user,
 * query or path), a session id (logout), or a login-page request id. Unknown → the default environment.
 *
 * @example
 * const environmentId = await environmentOfRequest(ctx, c); // 'default' or 'env_01…'
 */
import type { Context } from 'hono';
import { basicCredentials } from './basic-auth.js';
import { queryParams } from './body.js';
import type { ServerContext } from './context.js';
import { DEFAULT_ENVIRONMENT } from './store.js';

/** decodeURIComponent that answers undefined for malformed escapes instead of throwing. */
function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** A WorkOS JWKS path, `/sso/jwks/:id` or workos/emulate's `/user_management/sessions/jwks/:id`. */
const WORKOS_JWKS_PATH = /^\/(?:sso|user_management\/sessions)\/jwks\/([^/]+)$/;

/** The WorkOS `client_id` a JWKS path names (undefined for another path or a malformed escape). */
export function clientIdInPath(path: string): string | undefined {
  const match = WORKOS_JWKS_PATH.exec(path);
  return match ? decoded(match[1]) : undefined;
}

/** The Stytch public token the SDK bootstrap path names (`/sdk/v1/projects/bootstrap/:public_token`). */
export function publicTokenInPath(path: string): string | undefined {
  const match = /^\/sdk\/v1\/projects\/bootstrap\/([^/]+)$/.exec(path);
  return match ? decoded(match[1]) : undefined;
}

export function environmentOfRequest(ctx: ServerContext, c: Context, params: Record<string, unknown>): string {
  const { store } = ctx;
  const path = c.req.path;
  const query = queryParams(c);
  const byClient = (id: unknown) => (typeof id === 'string' && id ? store.findWorkosClient(id)?.environmentId : undefined);
  const byPublicToken = (token: unknown) => (typeof token === 'string' && token ? store.findStytchProjectByPublicToken(token)?.environmentId : undefined);

  const workosJwks = WORKOS_JWKS_PATH.exec(path);
  if (workosJwks) return byClient(decoded(workosJwks[1])) ?? DEFAULT_ENVIRONMENT;
  const stytchJwks = /^\/v1\/sessions\/jwks\/([^/]+)$/.exec(path);
  if (stytchJwks) {
    const projectId = decoded(stytchJwks[1]);
    return (projectId && store.findStytchProject(projectId)?.environmentId) || DEFAULT_ENVIRONMENT;
  }
  if (/^\/sdk\/v1\/projects\/bootstrap\/[^/]+$/.test(path)) return byPublicToken(publicTokenInPath(path)) ?? DEFAULT_ENVIRONMENT;
  const login = /^\/_mock\/login\/([^/]+)/.exec(path);
  if (login) return store.getLoginRequest(login[1])?.environmentId ?? DEFAULT_ENVIRONMENT;

  const authorization = c.req.header('authorization') ?? '';
  if (/^Bearer\s/i.test(authorization)) {
    const client = store.findWorkosClientByApiKey(authorization.slice(7).trim());
    if (client) return client.environmentId;
  }
  const basic = basicCredentials(authorization);
  if (basic) {
    const project = store.findStytchProject(basic.username) ?? store.findStytchProjectByPublicToken(basic.username);
    if (project) return project.environmentId;
  }
  const sessionId = query.session_id;
  if (path === '/user_management/sessions/logout' && typeof sessionId === 'string' && sessionId)
    return store.getSession(sessionId)?.environmentId ?? DEFAULT_ENVIRONMENT;
  return byClient(query.client_id) ?? byPublicToken(query.public_token) ?? byClient(params.client_id) ?? DEFAULT_ENVIRONMENT;
}
