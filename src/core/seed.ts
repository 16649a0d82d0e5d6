/**
 * Seeding a fixture document into one environment (idempotent upsert) and exporting an environment
 * back as a fixture document that seeds to the same state.
 *
 * Ids given in the fixture are kept; absent ones are generated once and then found again by email
 * (users) or name (organizations), so seeding the same document twice changes nothing.
 *
 * @example
 * seedFixture(store, 'default', doc, clock.now());
 * const doc = exportEnvironment(store, 'default');
 */
import { FixtureError, parseFixture, referenceProblems, type FixtureDocument, type FixtureProblem } from './fixtures.js';
import { stytchId, workosId } from './ids.js';
import type { Store } from './store.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Upserts `doc` into `environmentId`; validates first (references may point at stored organizations).
 * Conflicts with stored rows that the document alone cannot show (an id that names one user and an
 * email that names another, an api_key held by another client) are problems with a JSON path too:
 * the whole document is then rolled back and {@link FixtureError} lists them.
 */
export function seedFixture(store: Store, environmentId: string, input: unknown, now: number): FixtureDocument {
  const { organizations, users } = storedReferences(store, environmentId);
  return upsert(store, environmentId, parseFixture(input, 'document', organizations, users), now);
}

/**
 * {@link seedFixture} for a document whose shape was validated before (the start fixture, an
 * environment's own fixture): only its references are checked again, against what is stored now, so
 * no schema has to be loaded.
 */
export function seedDocument(store: Store, environmentId: string, doc: FixtureDocument, now: number): FixtureDocument {
  const { organizations, users } = storedReferences(store, environmentId);
  const problems = referenceProblems(doc, organizations, users);
  if (problems.length) throw new FixtureError('document', problems);
  return upsert(store, environmentId, doc, now);
}

/** Organization ids, and user emails and ids, that a document seeded here may refer to. */
function storedReferences(store: Store, environmentId: string): { organizations: string[]; users: string[] } {
  return {
    organizations: store.listOrganizations(environmentId).map((org) => org.id),
    // A scenario may name a user seeded earlier (findUser accepts an email or either vendor's id).
    users: store.allUsers(environmentId).flatMap((user) => [user.email, user.id, user.stytchUserId]),
  };
}

function upsert(store: Store, environmentId: string, doc: FixtureDocument, now: number): FixtureDocument {
  const problems: FixtureProblem[] = [];
  // Credentials are cached by the store: forget them before (lookups below must see the table) and after
  // (whether the seed committed or rolled back).
  store.credentialsChanged();
  try {
    store.transaction(() => {
      if (!store.environmentExists(environmentId)) store.ensureEnvironment(environmentId, null, now);
      doc.workos?.clients?.forEach((client, i) => {
        const byId = store.findWorkosClient(client.client_id);
        const byKey = store.findWorkosClientByApiKey(client.api_key);
        if (byId && byKey && byId.clientId !== byKey.clientId) {
          problems.push({ path: `$.workos.clients[${i}].api_key`, message: `already belongs to client ${byKey.clientId}` });
          return;
        }
        const owner = byId ?? byKey;
        if (owner && owner.environmentId !== environmentId) {
          problems.push({ path: `$.workos.clients[${i}]`, message: 'client_id or api_key already belongs to another environment' });
          return;
        }
        const uris = JSON.stringify(client.redirect_uris);
        const logout = client.logout_redirect_uri ?? null;
        if (!owner)
          store.sql('INSERT INTO workos_clients (client_id, environment_id, api_key, redirect_uris, logout_redirect_uri, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(client.client_id, environmentId, client.api_key, uris, logout, now);
        else if (owner.clientId !== client.client_id || owner.apiKey !== client.api_key || !same(owner.redirectUris, client.redirect_uris) || owner.logoutRedirectUri !== logout)
          store.sql('UPDATE workos_clients SET client_id = ?, api_key = ?, redirect_uris = ?, logout_redirect_uri = ? WHERE client_id = ?').run(client.client_id, client.api_key, uris, logout, owner.clientId);
      });
      doc.stytch?.projects?.forEach((project, i) => {
        const byId = store.findStytchProject(project.project_id);
        const byToken = store.findStytchProjectByPublicToken(project.public_token);
        if (byId && byToken && byId.projectId !== byToken.projectId) {
          problems.push({ path: `$.stytch.projects[${i}].public_token`, message: `already belongs to project ${byToken.projectId}` });
          return;
        }
        const owner = byId ?? byToken;
        if (owner && owner.environmentId !== environmentId) {
          problems.push({ path: `$.stytch.projects[${i}]`, message: 'project_id or public_token already belongs to another environment' });
          return;
        }
        const urls = JSON.stringify(project.redirect_urls);
        if (!owner)
          store.sql('INSERT INTO stytch_projects (project_id, environment_id, secret, public_token, redirect_urls, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(project.project_id, environmentId, project.secret, project.public_token, urls, now);
        else if (owner.projectId !== project.project_id || owner.secret !== project.secret || owner.publicToken !== project.public_token || !same(owner.redirectUrls, project.redirect_urls))
          store.sql('UPDATE stytch_projects SET project_id = ?, secret = ?, public_token = ?, redirect_urls = ? WHERE project_id = ?').run(project.project_id, project.secret, project.public_token, urls, owner.projectId);
      });
      for (const org of doc.organizations ?? []) {
        const existing = org.id ? store.getOrganization(environmentId, org.id) : store.findOrganizationByName(environmentId, org.name);
        const domains = org.domains ?? existing?.domains ?? [];
        if (!existing)
          store.sql('INSERT INTO organizations (environment_id, id, name, domains, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(environmentId, org.id ?? workosId('org', now), org.name, JSON.stringify(domains), now, now);
        else if (existing.name !== org.name || !same(existing.domains, domains))
          store.sql('UPDATE organizations SET name = ?, domains = ?, updated_at = ? WHERE environment_id = ? AND id = ?').run(org.name, JSON.stringify(domains), now, environmentId, existing.id);
      }
      for (const [i, user] of (doc.users ?? []).entries()) {
        const byId = user.id ? store.getUser(environmentId, user.id) : undefined;
        const byEmail = store.findUser(environmentId, user.email);
        if (byId && byEmail && byId.id !== byEmail.id) {
          problems.push({ path: `$.users[${i}].email`, message: `already belongs to user ${byEmail.id}` });
          continue;
        }
        const existing = byId ?? byEmail;
        const stytchHolder = user.stytch_user_id ? store.getUserByStytchId(environmentId, user.stytch_user_id) : undefined;
        if (stytchHolder && stytchHolder.id !== existing?.id) {
          problems.push({ path: `$.users[${i}].stytch_user_id`, message: `already belongs to user ${stytchHolder.id}` });
          continue;
        }
        const fields = {
          email: user.email,
          first_name: user.first_name === undefined ? (existing?.firstName ?? null) : user.first_name,
          last_name: user.last_name === undefined ? (existing?.lastName ?? null) : user.last_name,
          email_verified: user.email_verified === undefined ? (existing ? (existing.emailVerified ? 1 : 0) : 1) : user.email_verified ? 1 : 0,
          password: user.password ?? existing?.password ?? null,
          oauth: user.oauth ? JSON.stringify(user.oauth) : existing?.oauth ? JSON.stringify(existing.oauth) : null,
          impersonator: user.impersonator ? JSON.stringify(user.impersonator) : existing?.impersonator ? JSON.stringify(existing.impersonator) : null,
        };
        let userId: string;
        if (!existing) {
          userId = user.id ?? workosId('user', now);
          store.sql(
            'INSERT INTO users (environment_id, id, stytch_user_id, email, first_name, last_name, email_verified, password, oauth, impersonator, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          ).run(environmentId, userId, user.stytch_user_id ?? stytchId('user'), fields.email, fields.first_name, fields.last_name, fields.email_verified, fields.password, fields.oauth, fields.impersonator, now, now);
        } else {
          userId = existing.id;
          const before = {
            email: existing.email,
            first_name: existing.firstName,
            last_name: existing.lastName,
            email_verified: existing.emailVerified ? 1 : 0,
            password: existing.password,
            oauth: existing.oauth ? JSON.stringify(existing.oauth) : null,
            impersonator: existing.impersonator ? JSON.stringify(existing.impersonator) : null,
          };
          if (!same(before, fields))
            store.sql(
              'UPDATE users SET email = ?, first_name = ?, last_name = ?, email_verified = ?, password = ?, oauth = ?, impersonator = ?, updated_at = ? WHERE environment_id = ? AND id = ?',
            ).run(fields.email, fields.first_name, fields.last_name, fields.email_verified, fields.password, fields.oauth, fields.impersonator, now, environmentId, userId);
          if (user.stytch_user_id && user.stytch_user_id !== existing.stytchUserId)
            store.sql('UPDATE users SET stytch_user_id = ? WHERE environment_id = ? AND id = ?').run(user.stytch_user_id, environmentId, userId);
        }
        for (const membership of user.memberships ?? []) {
          const current = store.getMembership(environmentId, userId, membership.organization_id);
          const role = membership.role ?? current?.role ?? 'member';
          const permissions = membership.permissions ?? current?.permissions ?? [];
          const status = membership.status ?? current?.status ?? 'active';
          if (!current)
            store.sql('INSERT INTO memberships (environment_id, id, user_id, organization_id, role, permissions, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
              environmentId, workosId('om', now), userId, membership.organization_id, role, JSON.stringify(permissions), status, now, now,
            );
          else if (current.role !== role || !same(current.permissions, permissions) || current.status !== status)
            store.sql('UPDATE memberships SET role = ?, permissions = ?, status = ?, updated_at = ? WHERE environment_id = ? AND id = ?').run(role, JSON.stringify(permissions), status, now, environmentId, current.id);
        }
      }
      for (const scenario of doc.scenarios ?? []) {
        store.sql('INSERT INTO scenarios (environment_id, name, definition) VALUES (?, ?, ?) ON CONFLICT (environment_id, name) DO UPDATE SET definition = excluded.definition WHERE definition <> excluded.definition').run(
          environmentId, scenario.name, JSON.stringify(scenario),
        );
      }
      // Thrown inside the transaction so that nothing of a conflicting document is kept.
      if (problems.length) throw new FixtureError('document', problems);
    });
  } finally {
    store.credentialsChanged();
  }
  return doc;
}

/** The environment's clients, projects, organizations, users (with memberships) and scenarios as a fixture. */
export function exportEnvironment(store: Store, environmentId: string): FixtureDocument {
  const doc: FixtureDocument = {};
  const clients = store.workosClients(environmentId);
  if (clients.length)
    doc.workos = {
      clients: clients.map((c) => ({ client_id: c.clientId, api_key: c.apiKey, redirect_uris: c.redirectUris, ...(c.logoutRedirectUri ? { logout_redirect_uri: c.logoutRedirectUri } : {}) })),
    };
  const projects = store.stytchProjects(environmentId);
  if (projects.length)
    doc.stytch = { projects: projects.map((p) => ({ project_id: p.projectId, secret: p.secret, public_token: p.publicToken, redirect_urls: p.redirectUrls })) };
  doc.organizations = store.listOrganizations(environmentId).map((org) => ({ id: org.id, name: org.name, domains: org.domains }));
  doc.users = store.allUsers(environmentId).map((user) => {
    const memberships = store.membershipsOfUser(environmentId, user.id).map((m) => ({
      organization_id: m.organizationId,
      role: m.role,
      permissions: m.permissions,
      status: m.status,
    }));
    return {
      id: user.id,
      stytch_user_id: user.stytchUserId,
      email: user.email,
      first_name: user.firstName,
      last_name: user.lastName,
      email_verified: user.emailVerified,
      ...(user.password != null ? { password: user.password } : {}),
      ...(memberships.length ? { memberships } : {}),
      ...(user.oauth ? { oauth: user.oauth } : {}),
      ...(user.impersonator ? { impersonator: user.impersonator } : {}),
    };
  });
  const scenarios = store.listScenarios(environmentId);
  if (scenarios.length) doc.scenarios = scenarios as FixtureDocument['scenarios'];
  return doc;
}
