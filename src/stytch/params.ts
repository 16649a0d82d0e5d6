/**
 * The request fields several Stytch endpoints share, parsed the way Stytch documents them
 * (stytch-node `types/lib/b2c/oauth.d.ts`, `sessions.d.ts`):
 *
 * - `session_duration_minutes`: a whole number 5…527040 (366 days); absent means "no new session".
 * - `session_token` / `session_jwt`: at most one (`too_many_session_arguments` otherwise).
 * - `session_custom_claims`: an object; reserved JWT claims (`iss sub aud exp nbf iat jti`) are
 *   ignored, a `null` value deletes the key, and the merged claims may not exceed 4 KB.
 *
 * @example
 * const params = await readStytchBody(c);
 * const minutes = sessionDuration(params);           // number | undefined
 * const claims = customClaims(params);               // updates, or undefined
 * const merged = mergeClaims(existing, claims);      // throws custom_claims_too_large past 4 KB
 */
import type { Context } from 'hono';
import { readParams, optionalString, type Params } from '../core/body.js';
import { StytchApiError } from '../core/errors.js';
import { badRequest, invalidSessionDuration } from './errors.js';

/** Sessions last at least 5 minutes and at most 366 days. */
export const MIN_SESSION_MINUTES = 5;
export const MAX_SESSION_MINUTES = 527040;

/**
 * Claims a custom claim may not set (silently dropped, as the API documents), plus `__proto__`, which a
 * plain object cannot hold as an ordinary key.
 */
const RESERVED_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', '__proto__']);
const MAX_CLAIMS_BYTES = 4096;

/** The JSON (or form) body as an object; malformed bodies are `400 bad_request`. */
export function readStytchBody(c: Context): Promise<Params> {
  return readParams(c, badRequest);
}

/** An optional string field; other types are `400 bad_request`. */
export function stringField(params: Params, name: string, maxLength = 4096): string | undefined {
  return optionalString(params, name, badRequest, maxLength);
}

/** `session_duration_minutes`, validated; undefined when absent. Digit-only strings are accepted (form bodies). */
export function sessionDuration(params: Params): number | undefined {
  let value = params.session_duration_minutes;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && /^\d{1,7}$/.test(value)) value = Number(value);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_SESSION_MINUTES || value > MAX_SESSION_MINUTES) throw invalidSessionDuration();
  return value;
}

/** The existing session a request names, by token or JWT, never both. */
export function sessionArguments(params: Params): { sessionToken?: string; sessionJwt?: string } {
  const sessionToken = stringField(params, 'session_token', 200);
  const sessionJwt = stringField(params, 'session_jwt', 16384);
  if (sessionToken !== undefined && sessionJwt !== undefined)
    throw new StytchApiError(400, 'too_many_session_arguments', 'Only one of session_token or session_jwt may be provided.');
  return { sessionToken, sessionJwt };
}

/** `session_custom_claims` as updates (null = delete that key); reserved claims dropped. */
export function customClaims(params: Params): Record<string, unknown> | undefined {
  const value = params.session_custom_claims;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw badRequest('session_custom_claims must be a JSON object.');
  const updates: Record<string, unknown> = {};
  for (const [key, claim] of Object.entries(value as Record<string, unknown>)) {
    if (RESERVED_CLAIMS.has(key)) continue;
    if (key.startsWith('https://stytch.com/'))
      throw new StytchApiError(400, 'stytch_claims_in_custom_claims', `Custom claims may not use Stytch's claim namespace (${key.slice(0, 100)}).`);
    updates[key] = claim;
  }
  return updates;
}

/** Applies claim updates to the stored claims; the result may not exceed 4 KB of JSON. */
export function mergeClaims(existing: Record<string, unknown>, updates: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!updates) return existing;
  const merged: Record<string, unknown> = { ...existing };
  for (const [key, value] of Object.entries(updates)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  if (Buffer.byteLength(JSON.stringify(merged)) > MAX_CLAIMS_BYTES)
    throw new StytchApiError(400, 'custom_claims_too_large', 'Total custom claims size cannot exceed four kilobytes.');
  return merged;
}
