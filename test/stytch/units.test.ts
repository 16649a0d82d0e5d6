/**
 * The small pieces: provider names, derived ids, Basic parsing, origin matching, claim merging, and
 * `mintStytchSession` (what `mock-authkit token --vendor stytch` prints).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantDetails } from '../../src/core/login.js';
import { basicCredentials } from '../../src/core/basic-auth.js';
import { originMatches } from '../../src/core/cors.js';
import { derivedProviderSubject, derivedUuid, emailId, registrationId, sessionToken } from '../../src/stytch/ids.js';
import { mintStytchSession } from '../../src/stytch/index.js';
import { customClaims, mergeClaims } from '../../src/stytch/params.js';
import { PROVIDER_SLUGS, slugFromProviderName, stytchProvider } from '../../src/stytch/providers.js';
import { PROJECT_ID, STYTCH_USERS, backend, buildApp, expectStytchOk, jwtPayload, type Built } from './helpers.js';

describe('providers', () => {
  it('knows the nineteen SDK slugs and maps fixture provider names', () => {
    expect(PROVIDER_SLUGS).toHaveLength(19);
    expect(stytchProvider('twitter')).toEqual({ slug: 'twitter', providerType: 'Twitter', deliveryMethod: 'oauth_twitter', factorKey: 'twitter_oauth_factor' });
    expect(stytchProvider('__proto__')).toBeUndefined();
    expect(slugFromProviderName('GoogleOAuth')).toBe('google');
    expect(slugFromProviderName('GitHubOAuth')).toBe('github');
    expect(slugFromProviderName('XOAuth')).toBe('twitter');
    expect(slugFromProviderName('Microsoft')).toBe('microsoft');
    expect(slugFromProviderName('VercelOAuth')).toBeUndefined();
    expect(slugFromProviderName(undefined)).toBeUndefined();
  });
});

describe('derived ids', () => {
  const user = { stytchUserId: STYTCH_USERS.alice };
  it('are stable, distinct and shaped like Stytch’s', () => {
    expect(emailId(user)).toBe(emailId({ ...user }));
    expect(emailId(user)).toMatch(/^email-test-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(registrationId(user, 'google')).not.toBe(registrationId(user, 'github'));
    expect(registrationId(user, 'google')).toMatch(/^oauth-user-test-/);
    expect(derivedProviderSubject(user, 'google')).toMatch(/^1\d{20}$/);
    expect(derivedProviderSubject(user, 'google')).toBe(derivedProviderSubject(user, 'google'));
    expect(derivedUuid('a', 'b')).not.toBe(derivedUuid('ab'));
  });
});

describe('basicCredentials', () => {
  it('splits at the first colon and refuses junk', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    expect(basicCredentials(`Basic ${b64('user:pa:ss')}`)).toEqual({ username: 'user', password: 'pa:ss' });
    expect(basicCredentials(`basic ${b64('user:')}`)).toEqual({ username: 'user', password: '' });
    expect(basicCredentials(`Basic ${b64(':pw')}`)).toBeUndefined();
    expect(basicCredentials('Bearer abc')).toBeUndefined();
    expect(basicCredentials(undefined)).toBeUndefined();
  });
});

describe('originMatches', () => {
  const patterns = ['http://localhost:*', 'https://app.example.com/authenticate', 'https://*.preview.example.com/cb', 'com.example.app://oauth'];
  it('compares origins only, with wildcards', () => {
    expect(originMatches('http://localhost:3000', patterns)).toBe(true);
    expect(originMatches('https://app.example.com', patterns)).toBe(true);
    expect(originMatches('https://pr-1.preview.example.com', patterns)).toBe(true);
    expect(originMatches('https://app.example.com.evil.test', patterns)).toBe(false);
    expect(originMatches('http://app.example.com', patterns)).toBe(false);
    expect(originMatches('null', patterns)).toBe(false);
    expect(originMatches('http://localhost:3000/path', patterns)).toBe(false);
    expect(originMatches('http://user@localhost:3000', patterns)).toBe(false);
  });
});

describe('custom claims', () => {
  it('drops reserved claims, deletes on null, limits the size', () => {
    const updates = customClaims({ session_custom_claims: JSON.parse('{"a":1,"iss":"x","jti":"y","__proto__":{"polluted":true},"b":null}') });
    expect(updates).toEqual({ a: 1, b: null });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(mergeClaims({ b: 2, c: 3 }, updates)).toEqual({ a: 1, c: 3 });
    expect(() => mergeClaims({}, { big: 'x'.repeat(4097) })).toThrow(/four kilobytes/);
  });
});

describe('mintStytchSession', () => {
  let built: Built;
  beforeAll(async () => {
    built = await buildApp();
  });
  afterAll(() => built.db.close());

  it('opens a real session whose JWT the server accepts', async () => {
    const { ctx } = built;
    const project = ctx.store.stytchProjects('default')[0];
    const user = ctx.store.findUser('default', 'alice@acme.test')!;
    const jwt = await mintStytchSession(ctx, { project, user, details: grantDetails(user, { impersonator: { email: 'support@acme.test', reason: null } }) });
    const claims = jwtPayload(jwt);
    expect(claims).toMatchObject({ aud: [PROJECT_ID], iss: `stytch.com/${PROJECT_ID}`, sub: STYTCH_USERS.alice });
    const sessionId = claims['https://stytch.com/session'].id;
    expect(ctx.store.getSession(sessionId)?.impersonator).toEqual({ email: 'support@acme.test', reason: null });
    const body = await expectStytchOk(await backend(built, 'POST', '/v1/sessions/authenticate', { session_jwt: jwt }));
    expect(body.session.session_id).toBe(sessionId);
    expect(body.session_token).toBe(sessionToken(ctx.keys.forEnvironment('default'), sessionId));
    expect(body.session.authentication_factors[0].google_oauth_factor.provider_subject).toBe('104885251007036135001');
  });
});
