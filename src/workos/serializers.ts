/**
 * WorkOS wire objects (snake_case, ISO timestamps), as `@workos-inc/node`'s deserializers read them.
 *
 * @example
 * c.json(userJson(user));   // {"object":"user","id":"user_01…",…}
 */
import { createHash } from 'node:crypto';
import { isoTime } from '../core/clock.js';
import type { Membership, Organization, Page, Session, User } from '../core/store.js';

/** The User object (OAS `UserlandUser` plus the `name`, `locale`, `metadata` the SDK maps). */
export function userJson(user: User) {
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ') || null;
  return {
    object: 'user' as const,
    id: user.id,
    email: user.email,
    email_verified: user.emailVerified,
    first_name: user.firstName,
    last_name: user.lastName,
    name,
    profile_picture_url: null,
    last_sign_in_at: user.lastSignInAt == null ? null : isoTime(user.lastSignInAt),
    locale: null,
    external_id: null,
    metadata: {},
    created_at: isoTime(user.createdAt),
    updated_at: isoTime(user.updatedAt),
  };
}

/** A stable id for an organization's domain (`org_domain_…`), derived so it never changes. */
function domainId(organizationId: string, domain: string): string {
  return `org_domain_${createHash('sha256').update(`${organizationId}/${domain}`).digest('hex').slice(0, 26).toUpperCase()}`;
}

/** The Organization object; `domains` is required by the SDK's deserializer. */
export function organizationJson(org: Organization) {
  return {
    object: 'organization' as const,
    id: org.id,
    name: org.name,
    allow_profiles_outside_organization: false,
    domains: org.domains.map((domain) => ({
      object: 'organization_domain' as const,
      id: domainId(org.id, domain),
      domain,
      organization_id: org.id,
      state: 'verified',
      verification_strategy: 'manual',
      created_at: isoTime(org.createdAt),
      updated_at: isoTime(org.updatedAt),
    })),
    external_id: null,
    metadata: {},
    created_at: isoTime(org.createdAt),
    updated_at: isoTime(org.updatedAt),
  };
}

/** The OrganizationMembership object, with `organization_name` (which workos/emulate omits). */
export function membershipJson(membership: Membership) {
  return {
    object: 'organization_membership' as const,
    id: membership.id,
    user_id: membership.userId,
    organization_id: membership.organizationId,
    organization_name: membership.organizationName,
    role: { slug: membership.role },
    roles: [{ slug: membership.role }],
    status: membership.status,
    directory_managed: false,
    custom_attributes: {},
    created_at: isoTime(membership.createdAt),
    updated_at: isoTime(membership.updatedAt),
  };
}

/** WorkOS session `auth_method` values, from the `authentication_method` of the login. */
export function authMethodOf(authenticationMethod: string | null): string {
  if (!authenticationMethod) return 'unknown';
  if (authenticationMethod.endsWith('OAuth')) return 'oauth';
  const map: Record<string, string> = {
    SSO: 'sso',
    Password: 'password',
    Passkey: 'passkey',
    MagicAuth: 'magic_code',
    Impersonation: 'impersonation',
    MigratedSession: 'migrated_session',
    CrossAppAuth: 'cross_app_auth',
    ExternalAuth: 'external_auth',
  };
  return map[authenticationMethod] ?? 'unknown';
}

/** The Session object of `GET /user_management/users/:id/sessions`. */
export function sessionJson(session: Session, now: number) {
  const expired = session.status === 'active' && session.expiresAt <= now;
  return {
    object: 'session' as const,
    id: session.id,
    user_id: session.userId,
    organization_id: session.organizationId,
    ...(session.impersonator ? { impersonator: session.impersonator } : {}),
    ip_address: session.ipAddress,
    user_agent: session.userAgent,
    auth_method: authMethodOf(session.authenticationMethod),
    status: expired ? 'expired' : session.status,
    expires_at: isoTime(session.expiresAt),
    ended_at: session.endedAt == null ? null : isoTime(session.endedAt),
    created_at: isoTime(session.createdAt),
    updated_at: isoTime(session.updatedAt),
  };
}

/** The list envelope every WorkOS list endpoint uses. */
export function listJson<T, U>(page: Page<T>, map: (item: T) => U) {
  return { object: 'list' as const, data: page.data.map(map), list_metadata: { before: page.before, after: page.after } };
}
