/**
 * Every zod schema: the fixture document, a queued next-login, a fault and a clock change. zod costs about
 * 30 ms to load and evaluate, a fifth of `mock-authkit start`, so this module is loaded on first need
 * (`loadSchemas()` in validation.ts), never on the start path when the start fixture was already
 * validated once (see fixture-cache.ts).
 *
 * @example
 * const { fixtureSchema } = await loadSchemas();
 * fixtureSchema.safeParse(doc);
 */
import { z } from 'zod';
import { copyWith } from './copy-with.js';
import { AUTHENTICATION_METHODS, TOKEN_FAULTS, jsonPath, type FixtureProblem } from './vocabulary.js';

const email = z.string().trim().min(3).max(320).regex(/^[^\s@<>"]+@[^\s@<>"]+$/, 'must be an email address');
const shortText = z.string().max(500);
const id = z.string().min(1).max(200).regex(/^[A-Za-z0-9_\-.:]+$/, 'may only contain letters, digits, _ - . :');

/** A redirect URI or a pattern with `*` (e.g. `http://127.0.0.1:*`), http(s) only. */
const redirectUri = z
  .string()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value.replace(/:\*/g, ':1').replace(/\*/g, 'x'));
      return url.protocol === 'http:' || url.protocol === 'https:' || /^[a-z][a-z0-9+.-]*:$/.test(url.protocol);
    } catch {
      return false;
    }
  }, 'must be an absolute URL (a * may stand for a port, a host label or a path segment)');

/** Upstream provider tokens (WorkOS `oauth_tokens`, Stytch `provider_values`). */
export const oauthTokensSchema = z
  .object({
    provider: z.string().min(1).max(100),
    access_token: z.string().max(8192),
    refresh_token: z.string().max(8192).optional(),
    expires_at: z.number().int().nonnegative().optional(),
    scopes: z.array(z.string().max(500)).max(100).optional(),
    id_token: z.string().max(16384).optional(),
    provider_subject: z.string().max(500).optional(),
  })
  .strict();

export const impersonatorSchema = z
  .object({ email, reason: shortText.nullable().optional() })
  .strict();

const membershipSchema = z
  .object({
    organization_id: id,
    role: z.string().min(1).max(100).optional(),
    permissions: z.array(z.string().max(200)).max(200).optional(),
    status: z.enum(['active', 'inactive', 'pending']).optional(),
  })
  .strict();

export const userSchema = z
  .object({
    id: id.optional(),
    stytch_user_id: id.optional(),
    email,
    first_name: shortText.nullable().optional(),
    last_name: shortText.nullable().optional(),
    email_verified: z.boolean().optional(),
    password: z.string().max(500).optional(),
    memberships: z.array(membershipSchema).max(100).optional(),
    oauth: oauthTokensSchema.optional(),
    impersonator: impersonatorSchema.optional(),
  })
  .strict();

/** What a scenario or a queued next-login may set for one login. */
export const loginOverrideFields = {
  user: z.string().min(1).max(320).optional(),
  organization_id: id.nullable().optional(),
  impersonator: impersonatorSchema.nullable().optional(),
  oauth: oauthTokensSchema.nullable().optional(),
  authentication_method: z.enum(AUTHENTICATION_METHODS).optional(),
};

export const scenarioSchema = z
  .object({ name: z.string().min(1).max(200), description: shortText.optional(), ...loginOverrideFields })
  .strict();

export const fixtureSchema = z
  .object({
    $schema: z.string().optional(),
    workos: z
      .object({
        clients: z
          .array(
            z
              .object({
                client_id: id,
                api_key: z.string().min(8).max(200),
                redirect_uris: z.array(redirectUri).min(1).max(100),
                // Where logout sends the browser when the app gives no return_to (production's
                // "sign-out redirect"); must be an exact URI, not a pattern.
                logout_redirect_uri: z.url({ protocol: /^https?$/ }).max(2000).optional(),
              })
              .strict(),
          )
          .max(20)
          .optional(),
      })
      .strict()
      .optional(),
    stytch: z
      .object({
        projects: z
          .array(
            z
              .object({
                project_id: id,
                secret: z.string().min(8).max(200),
                public_token: z.string().min(8).max(200),
                redirect_urls: z.array(redirectUri).min(1).max(100),
              })
              .strict(),
          )
          .max(20)
          .optional(),
      })
      .strict()
      .optional(),
    organizations: z
      .array(z.object({ id: id.optional(), name: z.string().min(1).max(200), domains: z.array(z.string().min(1).max(253)).max(50).optional() }).strict())
      .max(10_000)
      .optional(),
    users: z.array(userSchema).max(10_000).optional(),
    scenarios: z.array(scenarioSchema).max(1000).optional(),
  })
  .strict();

/** A queued login override: every field optional, unknown keys refused. */
export const nextLoginSchema = z
  .object(
    copyWith(loginOverrideFields, {
      scenario: z.string().min(1).max(200).optional(),
      error: z.object({ error: z.string().min(1).max(100).regex(/^[\w.:-]+$/), error_description: z.string().max(1000).optional() }).strict().optional(),
    }),
  )
  .strict();


const httpFaultSchema = z
  .object({
    method: z.string().regex(/^[A-Za-z]{3,7}$/).optional(),
    path: z.string().min(1).max(500).startsWith('/'),
    // 1xx cannot be a final response.
    status: z.number().int().min(200).max(599).optional(),
    body: z.unknown().optional(),
    count: z.number().int().min(1).max(10_000).optional(),
    delay_ms: z.number().int().min(0).max(60_000).optional(),
    when: z.object({ grant_type: z.string().min(1).max(200).optional() }).strict().optional(),
  })
  .strict();
const tokenFaultSchema = z.object({ token: z.enum(TOKEN_FAULTS), count: z.number().int().min(1).max(10_000).optional() }).strict();

/** An HTTP fault or a token fault. */
export const faultSchema = z.union([httpFaultSchema, tokenFaultSchema]);

/**
 * Checks a fault body: one naming `token` as a token fault, any other as an HTTP fault, so the errors name
 * the fields of the kind meant (`$.token`, `$.path` is required) where the plain union would only say
 * "Invalid input" about the whole body.
 */
export function parseFault(input: unknown) {
  const tokenFault = input !== null && typeof input === 'object' && !Array.isArray(input) && 'token' in input;
  return tokenFault ? tokenFaultSchema.safeParse(input) : httpFaultSchema.safeParse(input);
}

export type FaultInput = z.infer<typeof faultSchema>;

const advanceSchema = z.object({ advance_seconds: z.number().finite().min(-10 * 365 * 86400).max(10 * 365 * 86400) }).strict();
const nowSchema = z.object({ now: z.iso.datetime({ offset: true }) }).strict();

/** A body naming `now` is checked as a time, any other as an advance, so errors name the field meant. */
export function parseClock(input: unknown) {
  return input !== null && typeof input === 'object' && 'now' in input ? nowSchema.safeParse(input) : advanceSchema.safeParse(input);
}


/** Turns a zod error into `{path, message}` problems. */
export function zodProblems(error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): FixtureProblem[] {
  return error.issues.map((issue) => {
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `unknown key${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
    else if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) message = 'is required';
    return { path: jsonPath([...prefix, ...issue.path]), message };
  });
}

export type FixtureDocument = z.infer<typeof fixtureSchema>;
export type FixtureUser = z.infer<typeof userSchema>;
export type OAuthTokens = z.infer<typeof oauthTokensSchema>;
export type Impersonator = z.infer<typeof impersonatorSchema>;
export type Scenario = z.infer<typeof scenarioSchema>;

