/**
 * The fixture document (PRODUCT.md §2): schema, validation with JSON-path messages, file loading and
 * merging. Seeding it into the store lives in `seed.ts`.
 *
 * @example
 * await loadSchemas();
 * const problems = validateFixture(JSON.parse(text));
 * // [{ path: '$.users[1].email', message: 'must be an email address' }]
 * const doc = loadFixtureFiles(['./mock-authkit.fixtures.json']);
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './package-files.js';
import type { FixtureDocument } from './schemas.js';
import { UserFacingError } from './user-facing-error.js';
import { schemas } from './validation.js';
import type { FixtureProblem } from './vocabulary.js';

export type { FixtureDocument, FixtureUser, OAuthTokens, Impersonator, Scenario } from './schemas.js';
export type { FixtureProblem } from './vocabulary.js';

/**
 * Checks a fixture document: shape (every field), then references and uniqueness.
 * @param knownOrganizationIds organizations that already exist where the document will be seeded.
 * @param knownUsers emails and ids of users that already exist there. Given (when seeding into a
 *   store), a scenario's `user` may name one of them, and is checked even when the document has no
 *   users; absent (a standalone file), it is checked against the document's users when it has any.
 */
export function validateFixture(doc: unknown, knownOrganizationIds: Iterable<string> = [], knownUsers?: Iterable<string>): FixtureProblem[] {
  return checkFixture(doc, knownOrganizationIds, knownUsers).problems;
}

/** One schema pass: the normalized document when there is no problem, else every problem. */
function checkFixture(doc: unknown, knownOrganizationIds: Iterable<string>, knownUsers: Iterable<string> | undefined): { document?: FixtureDocument; problems: FixtureProblem[] } {
  const { fixtureSchema, zodProblems } = schemas();
  const parsed = fixtureSchema.safeParse(doc);
  if (!parsed.success) return { problems: zodProblems(parsed.error) };
  const problems = referenceProblems(parsed.data, knownOrganizationIds, knownUsers);
  return problems.length ? { problems } : { document: parsed.data, problems };
}

/**
 * The checks of {@link validateFixture} beyond the shape: uniqueness, and references to organizations
 * and users (in the document, or `known…` where it will be seeded). Needs no schema, so an already
 * validated start fixture is re-checked against the database without loading zod.
 */
export function referenceProblems(fixture: FixtureDocument, knownOrganizationIds: Iterable<string> = [], knownUsers?: Iterable<string>): FixtureProblem[] {
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
  const { document, problems } = checkFixture(doc, knownOrganizationIds, knownUsers);
  if (!document) throw new FixtureError(source, problems);
  return document;
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

/** One fixture file's text, read but not yet parsed. */
export interface FixtureText {
  file: string;
  text: string;
}

/** Reads fixture files and folders (see {@link expandFixturePaths}); unreadable files become one clear line. */
export function readFixtureTexts(paths: string[]): FixtureText[] {
  return expandFixturePaths(paths).map((file) => {
    try {
      return { file, text: readFileSync(file, 'utf8') };
    } catch (error) {
      throw new UserFacingError(`cannot read fixture ${file}: ${(error as Error).message}`);
    }
  });
}

/** Parses and validates fixture texts (all together, so references may cross files) and merges them. */
export function parseFixtureTexts(texts: FixtureText[]): FixtureDocument {
  const docs: FixtureDocument[] = [];
  const problems: FixtureProblem[] = [];
  const files = texts.map(({ file }) => file);
  const { fixtureSchema, zodProblems } = schemas();
  for (const { file, text } of texts) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      throw new FixtureError(file, [{ path: '$', message: `is not valid JSON (${(error as Error).message})` }]);
    }
    const parsed = fixtureSchema.safeParse(doc);
    if (!parsed.success) for (const p of zodProblems(parsed.error)) problems.push({ path: files.length > 1 ? `${file}: ${p.path}` : p.path, message: p.message });
    else docs.push(parsed.data);
  }
  if (problems.length) throw new FixtureError(files.join(', '), problems);
  return parseFixture(mergeFixtures(docs), files.join(', '));
}

/** Loads, validates and merges fixture files/folders; the schemas must be loaded (`await loadSchemas()`). */
export function loadFixtureFiles(paths: string[]): FixtureDocument {
  return parseFixtureTexts(readFixtureTexts(paths));
}

/** Path of the built-in default fixture shipped in the package. */
export const DEFAULT_FIXTURE_PATH = join(PACKAGE_ROOT, 'fixtures/default.json');
