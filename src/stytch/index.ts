/**
 * The Stytch consumer OAuth vendor (being built: see issue 3).
 */
import { Hono } from 'hono';
import type { ServerContext } from '../core/context.js';
import type { LoginCompleter } from '../core/login.js';

export function stytchCompleter(_ctx: ServerContext): LoginCompleter {
  return {
    complete: () => {
      throw new Error('Stytch logins are not implemented yet');
    },
    cancel: () => {
      throw new Error('Stytch logins are not implemented yet');
    },
    describe: () => ({ clientLabel: '', provider: null, redirectTo: '' }),
  };
}

export function stytchRoutes(_ctx: ServerContext, _completer: LoginCompleter): Hono {
  return new Hono();
}

/** Opens a Stytch session for `user` and returns its session JWT (for `mock-authkit token --vendor stytch`). */
export async function mintStytchSession(
  _ctx: ServerContext,
  _input: { project: import('../core/store.js').StytchProject; user: import('../core/store.js').User; details: import('../core/store.js').GrantDetails },
): Promise<string> {
  throw new Error('Stytch sessions are not implemented yet');
}
