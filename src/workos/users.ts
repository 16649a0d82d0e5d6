/**
 * Users, organizations and memberships (API key): what AuthKit apps read around a login.
 *
 * @example
 * GET /user_management/users/user_…                         → user
 * GET /user_management/users?email=alice@acme.test           → list
 * GET /user_management/organization_memberships?user_id=…&statuses=active,inactive
 * GET /organizations/org_…                                   → organization
 */
import { Hono } from 'hono';
import { optionalString, queryParams } from '../core/body.js';
import type { ServerContext } from '../core/context.js';
import { copyWith } from '../core/copy-with.js';
import { WorkOSApiError, jsonResponse } from '../core/errors.js';
import { requireApiKey } from './api-key.js';
import { invalidParameters, pageQuery } from './list-query.js';
import { listJson, membershipJson, organizationJson, userJson } from './serializers.js';

const notFound = (kind: string, id: string) => new WorkOSApiError(404, 'entity_not_found', `${kind} not found: '${id}'.`, { entity_id: id });

const STATUSES = new Set(['active', 'inactive', 'pending']);

export function userRoutes(ctx: ServerContext): Hono {
  const app = new Hono();

  app.get('/user_management/users/:id', (c) => {
    const client = requireApiKey(ctx, c);
    const user = ctx.store.getUser(client.environmentId, c.req.param('id'));
    if (!user) throw notFound('User', c.req.param('id'));
    return jsonResponse(userJson(user));
  });

  app.get('/user_management/users', (c) => {
    const client = requireApiKey(ctx, c);
    const query = queryParams(c);
    const page = ctx.store.listUsers(
      client.environmentId,
      copyWith(pageQuery(query), {
        email: optionalString(query, 'email', invalidParameters, 320),
        organizationId: optionalString(query, 'organization_id', invalidParameters, 200),
      }),
    );
    return jsonResponse(listJson(page, userJson));
  });

  app.get('/user_management/organization_memberships', (c) => {
    const client = requireApiKey(ctx, c);
    const query = queryParams(c);
    // The Node SDK joins statuses with commas (statuses=active,inactive); accept repeats too.
    const statuses = new URL(c.req.url).searchParams
      .getAll('statuses')
      .concat(new URL(c.req.url).searchParams.getAll('statuses[]'))
      .flatMap((value) => value.split(','))
      .map((value) => value.trim())
      .filter(Boolean);
    for (const status of statuses) if (!STATUSES.has(status)) throw invalidParameters(`statuses must be among active, inactive, pending; got '${status}'.`);
    const page = ctx.store.listMemberships(
      client.environmentId,
      copyWith(pageQuery(query), {
        userId: optionalString(query, 'user_id', invalidParameters, 200),
        organizationId: optionalString(query, 'organization_id', invalidParameters, 200),
        statuses,
      }),
    );
    return jsonResponse(listJson(page, membershipJson));
  });

  app.get('/organizations/:id', (c) => {
    const client = requireApiKey(ctx, c);
    const org = ctx.store.getOrganization(client.environmentId, c.req.param('id'));
    if (!org) throw notFound('Organization', c.req.param('id'));
    return jsonResponse(organizationJson(org));
  });

  return app;
}
