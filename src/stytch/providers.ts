/**
 * The OAuth providers Stytch's frontend SDKs can start a flow for, and how Stytch names each one on the
 * wire: the lowercase URL slug (`/v1/public/oauth/google/start`), the capitalised `provider_type`
 * (`"Google"`, as in `user.providers[]`), the factor's `delivery_method` (`oauth_google`) and the factor's
 * key inside a session's `authentication_factors[]` (`google_oauth_factor`).
 *
 * The slugs are the ones vanilla-js (`OAuthProviders`), the old Android SDK (`OAuthImpl.kt`) and the KMP
 * SDK (`OAuthClient.kt`) build. Three factor keys are irregular in Stytch's API (and in stytch-node's
 * `AuthenticationFactor` type): `git_lab_oauth_factor`, `linked_in_oauth_factor`, `tik_tok_oauth_factor`.
 *
 * @example
 * stytchProvider('gitlab');            // { slug: 'gitlab', providerType: 'GitLab', factorKey: 'git_lab_oauth_factor', … }
 * stytchProvider('myspace');           // undefined → 400 invalid_oauth_provider
 * slugFromProviderName('GoogleOAuth'); // 'google' (fixture tokens use WorkOS-style names)
 */

export interface StytchProvider {
  /** The URL slug, lowercase: `google`. */
  slug: string;
  /** `provider_type` as Stytch capitalises it: `Google`, `GitHub`. */
  providerType: string;
  /** `delivery_method` of the session factor: `oauth_google`. */
  deliveryMethod: string;
  /** The factor's key in `authentication_factors[]`: `google_oauth_factor`. */
  factorKey: string;
}

/** slug → [provider_type, factor key when irregular]. */
const TABLE: Record<string, [string, string?]> = {
  google: ['Google'],
  microsoft: ['Microsoft'],
  apple: ['Apple'],
  github: ['GitHub'],
  gitlab: ['GitLab', 'git_lab_oauth_factor'],
  facebook: ['Facebook'],
  discord: ['Discord'],
  salesforce: ['Salesforce'],
  slack: ['Slack'],
  amazon: ['Amazon'],
  bitbucket: ['Bitbucket'],
  linkedin: ['LinkedIn', 'linked_in_oauth_factor'],
  coinbase: ['Coinbase'],
  twitch: ['Twitch'],
  twitter: ['Twitter'],
  tiktok: ['TikTok', 'tik_tok_oauth_factor'],
  snapchat: ['Snapchat'],
  figma: ['Figma'],
  yahoo: ['Yahoo'],
};

const PROVIDERS = new Map<string, StytchProvider>(
  Object.entries(TABLE).map(([slug, [providerType, factorKey]]) => [
    slug,
    { slug, providerType, deliveryMethod: `oauth_${slug}`, factorKey: factorKey ?? `${slug}_oauth_factor` },
  ]),
);

/** The provider for a start-URL slug (exact, lowercase), or undefined when Stytch would not know it. */
export function stytchProvider(slug: string): StytchProvider | undefined {
  return PROVIDERS.get(slug);
}

/** Every slug the SDKs can start a flow for. */
export const PROVIDER_SLUGS: readonly string[] = [...PROVIDERS.keys()];

/**
 * Maps a provider name as fixtures write it (WorkOS style, `GoogleOAuth`, `GitHubOAuth`, `XOAuth`) or as
 * Stytch writes it (`Google`) to a Stytch slug; undefined when there is no Stytch equivalent.
 */
export function slugFromProviderName(name: string | null | undefined): string | undefined {
  if (!name) return undefined;
  const bare = name.replace(/OAuth$/i, '').toLowerCase();
  if (bare === 'x') return 'twitter';
  return PROVIDERS.has(bare) ? bare : undefined;
}
