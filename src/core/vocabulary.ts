/**
 * Small shared vocabulary with no dependencies: the values both the schemas (schemas.ts, loaded on first
 * need) and the always-loaded modules use, so that neither side imports the other.
 *
 * @example
 * AUTHENTICATION_METHODS.includes('GoogleOAuth'); // true
 * jsonPath(['users', 0, 'email']);                // '$.users[0].email'
 */

/** WorkOS's `authentication_method` values (workos-node `AuthenticationMethod`). */
export const AUTHENTICATION_METHODS = [
  'SSO', 'Password', 'Passkey', 'MagicAuth', 'Impersonation', 'MigratedSession', 'CrossAppAuth', 'ExternalAuth',
  'AppleOAuth', 'BitbucketOAuth', 'DiscordOAuth', 'GitHubOAuth', 'GitLabOAuth', 'GoogleOAuth', 'GrokOAuth', 'XOAuth',
  'IntuitOAuth', 'LinkedInOAuth', 'MicrosoftOAuth', 'SalesforceOAuth', 'SlackOAuth', 'VercelOAuth',
  'VercelMarketplaceOAuth', 'XeroOAuth',
] as const;

/** The kinds of defective tokens a token fault makes. */
export const TOKEN_FAULTS = ['expired', 'bad_signature', 'unknown_kid', 'wrong_issuer'] as const;
export type TokenFault = (typeof TOKEN_FAULTS)[number];

/** One problem in a fixture: where (a JSON path such as `$.users[0].email`) and what. */
export interface FixtureProblem {
  path: string;
  message: string;
}

/** Renders a zod issue path as `$.a[0].b`. */
export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '$';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : /^[A-Za-z_$][\w$]*$/.test(String(part)) ? `.${String(part)}` : `[${JSON.stringify(String(part))}]`;
  return out;
}
