/**
 * The domain records the store reads and writes, in the words of the product (users, sessions,
 * authorization codes, …), and their mapping from SQLite rows. Times are epoch milliseconds.
 *
 * @example
 * const user: User = toUser(db.prepare('SELECT * FROM users WHERE id = ?').get(id));
 */
import type { Impersonator, OAuthTokens } from './fixtures.js';

export interface WorkOSClient {
  environmentId: string;
  clientId: string;
  apiKey: string;
  redirectUris: string[];
  /** Where logout goes without a `return_to`; null shows a "signed out" page. */
  logoutRedirectUri: string | null;
}

export interface StytchProject {
  environmentId: string;
  projectId: string;
  secret: string;
  publicToken: string;
  redirectUrls: string[];
}

export interface Organization {
  id: string;
  name: string;
  domains: string[];
  createdAt: number;
  updatedAt: number;
}

export interface User {
  environmentId: string;
  id: string;
  stytchUserId: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  emailVerified: boolean;
  password: string | null;
  oauth: OAuthTokens | null;
  impersonator: Impersonator | null;
  createdAt: number;
  updatedAt: number;
  lastSignInAt: number | null;
}

export interface Membership {
  id: string;
  userId: string;
  organizationId: string;
  organizationName: string;
  role: string;
  permissions: string[];
  status: 'active' | 'inactive' | 'pending';
  createdAt: number;
  updatedAt: number;
}

/** What decides one login beyond the user: from a scenario, a queued next-login or the login page. */
export interface LoginOverride {
  user?: string;
  scenario?: string;
  organization_id?: string | null;
  impersonator?: Impersonator | null;
  oauth?: OAuthTokens | null;
  authentication_method?: string;
  error?: { error: string; error_description?: string };
}

/** What an issued code / OAuth token carries into the token response. */
export interface GrantDetails {
  authenticationMethod: string;
  impersonator: Impersonator | null;
  oauth: OAuthTokens | null;
}

export interface AuthorizationCode {
  environmentId: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  userId: string;
  organizationId: string | null;
  details: GrantDetails;
  expiresAt: number;
  usedAt: number | null;
}

export interface Session {
  id: string;
  environmentId: string;
  vendor: 'workos' | 'stytch';
  audience: string;
  userId: string;
  organizationId: string | null;
  authenticationMethod: string | null;
  impersonator: Impersonator | null;
  details: Record<string, unknown>;
  ipAddress: string | null;
  userAgent: string | null;
  status: 'active' | 'revoked';
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  endedAt: number | null;
}

export interface RefreshToken {
  environmentId: string;
  sessionId: string;
  clientId: string;
  expiresAt: number;
  usedAt: number | null;
}

export interface StytchOAuthToken {
  environmentId: string;
  projectId: string;
  userId: string;
  provider: string;
  codeChallenge: string | null;
  details: GrantDetails;
  expiresAt: number;
  usedAt: number | null;
}

export interface LoginRequest {
  id: string;
  environmentId: string;
  vendor: 'workos' | 'stytch';
  params: Record<string, unknown>;
  override: LoginOverride | null;
  expiresAt: number;
}

/** A page of a WorkOS-style list. */
export interface Page<T> {
  data: T[];
  before: string | null;
  after: string | null;
}

export interface PageQuery {
  limit?: number;
  before?: string;
  after?: string;
  order?: 'asc' | 'desc';
}

export const json = <T>(text: string | null): T | null => (text == null ? null : (JSON.parse(text) as T));

export type Row = Record<string, any>;

export function toUser(row: Row): User {
  return {
    environmentId: row.environment_id,
    id: row.id,
    stytchUserId: row.stytch_user_id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    emailVerified: row.email_verified === 1,
    password: row.password,
    oauth: json(row.oauth),
    impersonator: json(row.impersonator),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastSignInAt: row.last_sign_in_at,
  };
}

export function toSession(row: Row): Session {
  return {
    id: row.id,
    environmentId: row.environment_id,
    vendor: row.vendor,
    audience: row.audience,
    userId: row.user_id,
    organizationId: row.organization_id,
    authenticationMethod: row.authentication_method,
    impersonator: json(row.impersonator),
    details: json(row.details) ?? {},
    ipAddress: row.ip_address,
    userAgent: row.user_agent,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    endedAt: row.ended_at,
  };
}

export function toMembership(row: Row): Membership {
  return {
    id: row.id,
    userId: row.user_id,
    organizationId: row.organization_id,
    organizationName: row.organization_name ?? '',
    role: row.role,
    permissions: JSON.parse(row.permissions),
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toOrganization(row: Row): Organization {
  return { id: row.id, name: row.name, domains: JSON.parse(row.domains), createdAt: row.created_at, updatedAt: row.updated_at };
}

/** Typed access to every table; statements are prepared once. */
