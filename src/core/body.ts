/**
 * Reading request parameters the way the vendors accept them: JSON bodies and
 * `application/x-www-form-urlencoded` forms (WorkOS accepts both on authenticate), with bad input turned
 * into the caller's vendor-shaped 4xx.
 *
 * @example
 * const params = await readParams(c, (message) => new OAuthError(400, 'invalid_request', message));
 * const code = optionalString(params, 'code', invalid);
 */
import type { Context } from 'hono';
import type { ApiError } from './errors.js';

export type Params = Record<string, unknown>;
type Invalid = (message: string) => ApiError;

/** Parses the body as JSON (an object) or a form; an empty body is `{}`. */
export async function readParams(c: Context, invalid: Invalid): Promise<Params> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  let text: string;
  try {
    text = await c.req.text();
  } catch {
    throw invalid('The request body could not be read.');
  }
  if (text.trim() === '') return {};
  if (type.includes('application/x-www-form-urlencoded')) {
    const out: Params = {};
    for (const [key, value] of new URLSearchParams(text)) out[key] = value;
    return out;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid('The request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid('The request body must be a JSON object.');
  return parsed as Params;
}

/** A string parameter or undefined; any other type is bad input. Empty strings count as absent. */
export function optionalString(params: Params, name: string, invalid: Invalid, maxLength = 4096): string | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw invalid(`${name} must be a string.`);
  if (value.length > maxLength) throw invalid(`${name} is too long.`);
  return value;
}

/** A required string parameter (`"<name> is required."` otherwise). */
export function requiredString(params: Params, name: string, invalid: Invalid, maxLength = 4096): string {
  const value = optionalString(params, name, invalid, maxLength);
  if (value === undefined) throw invalid(`${name} is required.`);
  return value;
}

/** Query parameters as a plain object (first value wins), for handlers that share `Params` helpers. */
export function queryParams(c: Context): Params {
  const out: Params = {};
  for (const [key, value] of new URL(c.req.url).searchParams) if (!(key in out)) out[key] = value;
  return out;
}
