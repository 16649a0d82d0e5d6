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

type Parsed = { params: Params } | { problem: string };

/** One parse per request: the instrumentation peeks at the body, then the handler reads it. */
const parsedBodies = new WeakMap<Request, Promise<Parsed>>();

async function parse(c: Context): Promise<Parsed> {
  let text: string;
  try {
    text = await c.req.text();
  } catch {
    return { problem: 'The request body could not be read.' };
  }
  if (text.trim() === '') return { params: {} };
  if ((c.req.header('content-type') ?? '').toLowerCase().includes('application/x-www-form-urlencoded')) {
    const params: Params = {};
    for (const [key, value] of new URLSearchParams(text)) params[key] = value;
    return { params };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: 'The request body is not valid JSON.' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { problem: 'The request body must be a JSON object.' };
  return { params: parsed as Params };
}

function parsedBody(c: Context): Promise<Parsed> {
  let parsed = parsedBodies.get(c.req.raw);
  if (!parsed) {
    parsed = parse(c);
    parsedBodies.set(c.req.raw, parsed);
  }
  return parsed;
}

/** Parses the body as JSON (an object) or a form; an empty body is `{}`; anything else is `invalid`. */
export async function readParams(c: Context, invalid: Invalid): Promise<Params> {
  const parsed = await parsedBody(c);
  if ('problem' in parsed) throw invalid(parsed.problem);
  return parsed.params;
}

/** The body's parameters without judging them (`{}` for bodies that are not a JSON object or a form). */
export async function peekParams(c: Context): Promise<Params> {
  if (c.req.method !== 'POST' && c.req.method !== 'PUT' && c.req.method !== 'DELETE') return {};
  const parsed = await parsedBody(c);
  return 'params' in parsed ? parsed.params : {};
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

const parsedQueries = new WeakMap<Context, Readonly<Params>>();

/**
 * Query parameters as a plain object (first value wins), for handlers that share `Params` helpers.
 * Parsed once per request (the instrumentation reads it to find the environment, then the route) and
 * frozen, since both share it.
 */
export function queryParams(c: Context): Readonly<Params> {
  let query = parsedQueries.get(c);
  if (!query) {
    const url = c.req.url;
    const start = url.indexOf('?');
    const out: Params = {};
    if (start !== -1) for (const [key, value] of new URLSearchParams(url.slice(start + 1))) if (!(key in out)) out[key] = value;
    query = Object.freeze(out);
    parsedQueries.set(c, query);
  }
  return query;
}
