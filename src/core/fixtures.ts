/**
 * The fixture document (PRODUCT.md §2): schema, validation with JSON-path messages, file loading and
 * merging. Seeding it into the store lives in `seed.ts`.
 *
 * @example
 * const problems = validateFixture(JSON.parse(text));
 * // [{ path: '$.users[1].email', message: 'must be an email address' }]
 * const doc = loadFixtureFiles(['./mock-authkit.fixtures.json']);
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { UserFacingError } from './user-facing-error.js';

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

const userSchema = z
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

/** WorkOS's `authentication_method` values (workos-node `AuthenticationMethod`). */
export const AUTHENTICATION_METHODS = [
  'SSO', 'Password', 'Passkey', 'MagicAuth', 'Impersonation', 'MigratedSession', 'CrossAppAuth', 'ExternalAuth',
  'AppleOAuth', 'BitbucketOAuth', 'DiscordOAuth', 'GitHubOAuth', 'GitLabOAuth', 'GoogleOAuth', 'GrokOAuth', 'XOAuth',
  'IntuitOAuth', 'LinkedInOAuth', 'MicrosoftOAuth', 'SalesforceOAuth', 'SlackOAuth', 'VercelOAuth',
  'VercelMarketplaceOAuth', 'XeroOAuth',
] as const;

/** What a scenario or a queued next-login may set for one login. */
export const loginOverrideFields = {
  user: z.string().min(1).max(320).optional(),
  organization_id: id.nullable().optional(),
  impersonator: impersonatorSchema.nullable().optional(),
  oauth: oauthTokensSchema.nullable().optional(),
  authentication_method: z.enum(AUTHENTICATION_METHODS).optional(),
};

const scenarioSchema = z
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

export type FixtureDocument = z.infer<typeof fixtureSchema>;
export type FixtureUser = z.infer<typeof userSchema>;
export type OAuthTokens = z.infer<typeof oauthTokensSchema>;
export type Impersonator = z.infer<typeof impersonatorSchema>;
export type Scenario = z.infer<typeof scenarioSchema>;

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

/** Turns a zod error into `{path, message}` problems. */
export function zodProblems(error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): FixtureProblem[] {
  return error.issues.map((issue) => {
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `unknown key${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
    else if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) message = 'is required';
    return { path: jsonPath([...prefix, ...issue.path]), message };
  });
}

/**
 * Checks a fixture document: shape (every field), then references and uniqueness.
 * @param knownOrganizationIds organizations that already exist where the document will be seeded.
 * @param knownUsers emails and ids of users that already exist there. Given (when seeding into a
 *   store), a scenario's `user` may name one of them, and is checked even when the document has no
 *   users; absent (a standalone file), it is checked against the document's users when it has any.
 */
export function validateFixture(doc: unknown, knownOrganizationIds: Iterable<string> = [], knownUsers?: Iterable<string>): FixtureProblem[] {
  const parsed = fixtureSchema.safeParse(doc);
  if (!parsed.success) return zodProblems(parsed.error);
  const fixture = parsed.data;
  const problems: FixtureProblem[] = [];
  const orgIds = new Set(knownOrganizationIds);
  const seen = (kind: string) => {
    const values = new Map<string, string>();
    return (value: string, path: string) => {
      const key = value.toLowerCase();
      const first = values.get(key);
      if (first) problems.push({ path, message: `duplicate ${kind} ${JSON.stringify(value)} (first at ${first})` });
      else values.set(key, path);
    };
  };
  const clientIds = seen('client_id');
  const apiKeys = seen('api_key');
  fixture.workos?.clients?.forEach((client, i) => {
    clientIds(client.client_id, `$.workos.clients[${i}].client_id`);
    apiKeys(client.api_key, `$.workos.clients[${i}].api_key`);
  });
  const projectIds = seen('project_id');
  const publicTokens = seen('public_token');
  fixture.stytch?.projects?.forEach((project, i) => {
    projectIds(project.project_id, `$.stytch.projects[${i}].project_id`);
    publicTokens(project.public_token, `$.stytch.projects[${i}].public_token`);
  });
  const orgIdSeen = seen('organization id');
  fixture.organizations?.forEach((org, i) => {
    if (org.id) {
      orgIdSeen(org.id, `$.organizations[${i}].id`);
      orgIds.add(org.id);
    }
  });
  const userEmails = seen('user email');
  const userIds = seen('user id');
  const stytchIds = seen('stytch_user_id');
  const emails = new Set<string>([...(knownUsers ?? [])].map((ref) => ref.toLowerCase()));
  fixture.users?.forEach((user, i) => {
    userEmails(user.email, `$.users[${i}].email`);
    emails.add(user.email.toLowerCase());
    if (user.id) {
      userIds(user.id, `$.users[${i}].id`);
      emails.add(user.id.toLowerCase());
    }
    if (user.stytch_user_id) {
      stytchIds(user.stytch_user_id, `$.users[${i}].stytch_user_id`);
      emails.add(user.stytch_user_id.toLowerCase());
    }
    const memberOf = seen('membership of organization');
    user.memberships?.forEach((membership, j) => {
      const path = `$.users[${i}].memberships[${j}].organization_id`;
      memberOf(membership.organization_id, path);
      if (!orgIds.has(membership.organization_id)) problems.push({ path, message: `no organization with id ${JSON.stringify(membership.organization_id)}` });
    });
  });
  const scenarioNames = seen('scenario name');
  fixture.scenarios?.forEach((scenario, i) => {
    scenarioNames(scenario.name, `$.scenarios[${i}].name`);
    if (scenario.user && (fixture.users || knownUsers) && !emails.has(scenario.user.toLowerCase()))
      problems.push({ path: `$.scenarios[${i}].user`, message: `no user with email or id ${JSON.stringify(scenario.user)}${knownUsers ? '' : ' in this document'}` });
    if (scenario.organization_id && !orgIds.has(scenario.organization_id))
      problems.push({ path: `$.scenarios[${i}].organization_id`, message: `no organization with id ${JSON.stringify(scenario.organization_id)}` });
  });
  return problems;
}

/** Thrown when a fixture is invalid; `problems` lists every problem with its path. */
export class FixtureError extends UserFacingError {
  constructor(
    readonly source: string,
    readonly problems: FixtureProblem[],
  ) {
    super(`invalid fixture ${source}: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
  }
}

/** Parses and validates (see {@link validateFixture} for the `known…` arguments); throws {@link FixtureError}. */
export function parseFixture(doc: unknown, source = 'document', knownOrganizationIds: Iterable<string> = [], knownUsers?: Iterable<string>): FixtureDocument {
  const problems = validateFixture(doc, knownOrganizationIds, knownUsers);
  if (problems.length) throw new FixtureError(source, problems);
  return fixtureSchema.parse(doc);
}

/** Concatenates documents (later files add to earlier ones). */
export function mergeFixtures(docs: FixtureDocument[]): FixtureDocument {
  const merged: FixtureDocument = {};
  for (const doc of docs) {
    if (doc.workos?.clients) merged.workos = { clients: [...(merged.workos?.clients ?? []), ...doc.workos.clients] };
    if (doc.stytch?.projects) merged.stytch = { projects: [...(merged.stytch?.projects ?? []), ...doc.stytch.projects] };
    for (const key of ['organizations', 'users', 'scenarios'] as const) {
      const items = doc[key];
      if (items) (merged as Record<string, unknown[]>)[key] = [...((merged[key] as unknown[] | undefined) ?? []), ...items];
    }
  }
  return merged;
}

/** Expands files and folders (every `*.json` in a folder, sorted) into file paths. */
export function expandFixturePaths(paths: string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      throw new UserFacingError(`fixture not found: ${path}`);
    }
    if (stats.isDirectory()) {
      const names = readdirSync(path).filter((n) => n.endsWith('.json')).sort();
      // An empty folder (or a mistyped one) would start a server with no clients, projects or users.
      if (names.length === 0) throw new UserFacingError(`no fixture files (*.json) in the folder ${path}`);
      for (const name of names) files.push(join(path, name));
    } else files.push(path);
  }
  return files;
}

/** Reads one fixture file as JSON; syntax errors become one clear line. */
export function readFixtureFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserFacingError(`cannot read fixture ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FixtureError(file, [{ path: '$', message: `is not valid JSON (${(error as Error).message})` }]);
  }
}

/** Loads, validates (all files together, so references may cross files) and merges fixture files/folders. */
export function loadFixtureFiles(paths: string[]): FixtureDocument {
  const files = expandFixturePaths(paths);
  const docs: FixtureDocument[] = [];
  const problems: FixtureProblem[] = [];
  const raw = files.map((file) => ({ file, doc: readFixtureFile(file) }));
  for (const { file, doc } of raw) {
    const parsed = fixtureSchema.safeParse(doc);
    if (!parsed.success) for (const p of zodProblems(parsed.error)) problems.push({ path: files.length > 1 ? `${file}: ${p.path}` : p.path, message: p.message });
    else docs.push(parsed.data);
  }
  if (problems.length) throw new FixtureError(files.join(', '), problems);
  const merged = mergeFixtures(docs);
  return parseFixture(merged, files.join(', '));
}

/** Path of the built-in default fixture shipped in the package. */
export const DEFAULT_FIXTURE_PATH = resolve(fileURLToPath(import.meta.url), '../../../fixtures/default.json');
