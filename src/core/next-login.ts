/**
 * Queuing a next-login override (PRODUCT.md §4): validated shape, and references (user, scenario,
 * organization) that must exist in the environment now, so a typo fails the test at the queue call
 * rather than as a mysterious login later.
 *
 * @example
 * const id = queueNextLogin(ctx, 'default', { user: 'alice@acme.test', impersonator: { email: 'support@acme.test' } });
 */
import type { ServerContext } from './context.js';
import type { FixtureProblem } from './fixtures.js';
import type { LoginOverride } from './store.js';
import { schemas } from './validation.js';

/** Thrown for an override that cannot be queued; `problems` name the JSON paths. */
export class NextLoginError extends Error {
  constructor(
    message: string,
    readonly problems: FixtureProblem[],
  ) {
    super(message);
  }
}

/** Validates and queues `input`; returns the queued entry's id. */
export function queueNextLogin(ctx: ServerContext, environmentId: string, input: unknown): string {
  const { nextLoginSchema, zodProblems } = schemas();
  const parsed = nextLoginSchema.safeParse(input);
  if (!parsed.success) throw new NextLoginError('The next-login override is invalid.', zodProblems(parsed.error));
  const override = parsed.data as LoginOverride;
  const { store } = ctx;
  if (override.user && !store.findUser(environmentId, override.user))
    throw new NextLoginError(`No user with email or id '${override.user}'.`, [{ path: '$.user', message: 'no such user' }]);
  if (override.scenario && !store.getScenario(environmentId, override.scenario))
    throw new NextLoginError(`No scenario named '${override.scenario}'.`, [{ path: '$.scenario', message: 'no such scenario' }]);
  if (override.organization_id && !store.getOrganization(environmentId, override.organization_id))
    throw new NextLoginError(`No organization '${override.organization_id}'.`, [{ path: '$.organization_id', message: 'no such organization' }]);
  return store.enqueueNextLogin(environmentId, override, ctx.clock.now(environmentId));
}
