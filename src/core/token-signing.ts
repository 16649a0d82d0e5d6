/**
 * Signing a vendor token through the environment's token faults: normally a plain RS256 signature;
 * with a queued token fault, a token that fails verification in exactly the asked way.
 *
 * - `expired`: `exp` (and `iat`/`nbf`) moved into the past, validly signed.
 * - `bad_signature`: correct header and claims, signature bytes corrupted.
 * - `unknown_kid`: validly signed, but the header names a kid the JWKS does not publish.
 * - `wrong_issuer`: validly signed, `iss` is a foreign issuer.
 *
 * @example
 * const jwt = await signToken(ctx, session.environmentId, claims, 'workos'); // header {alg, kid}
 * const sessionJwt = await signToken(ctx, session.environmentId, claims, 'stytch'); // header {alg, kid, typ: 'JWT'}
 */
import type { ServerContext } from './context.js';
import { copyWith } from './copy-with.js';

/** The issuer a `wrong_issuer` fault writes. */
export const WRONG_ISSUER = 'https://wrong-issuer.mock-authkit.invalid';

export async function signToken(ctx: ServerContext, environmentId: string, payload: Record<string, unknown>, vendor: 'workos' | 'stytch'): Promise<string> {
  const keys = ctx.keys.forEnvironment(environmentId);
  // Stytch's Node SDK verifies with `typ: "JWT"` and fails without it; WorkOS tokens carry no typ.
  const header = vendor === 'workos' ? { kid: keys.workosKid } : { kid: keys.stytchKid, typ: 'JWT' };
  // A lone request signs inline; under concurrency the signature goes to the thread pool so that the
  // event loop keeps serving the others meanwhile (request-load.ts).
  const inline = ctx.load.quiet();
  const fault = ctx.faults.takeTokenFault(environmentId);
  if (!fault) return keys.sign(payload, header, inline);
  switch (fault) {
    case 'expired': {
      const iat = typeof payload.iat === 'number' ? payload.iat : ctx.clock.nowSeconds(environmentId);
      const exp = typeof payload.exp === 'number' ? payload.exp : iat + 300;
      const shift = exp - iat + 60; // expired a minute ago, same lifetime
      const moved: Record<string, unknown> = copyWith(payload, { iat: iat - shift, exp: exp - shift });
      if (typeof payload.nbf === 'number') moved.nbf = payload.nbf - shift;
      return keys.sign(moved, header, inline);
    }
    case 'wrong_issuer':
      return keys.sign(copyWith(payload, { iss: WRONG_ISSUER }), header, inline);
    case 'unknown_kid':
      return keys.sign(payload, copyWith(header, { kid: `${header.kid}_unknown` }), inline);
    case 'bad_signature': {
      const token = await keys.sign(payload, header, inline);
      const [head, body, signature] = token.split('.');
      const bytes = Buffer.from(signature, 'base64url');
      bytes[0] ^= 0xff;
      bytes[bytes.length - 1] ^= 0xff;
      return `${head}.${body}.${bytes.toString('base64url')}`;
    }
  }
}
