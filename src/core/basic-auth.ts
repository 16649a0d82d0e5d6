/**
 * Decoding an HTTP `Basic` Authorization header (Stytch's credentials travel this way), for the Stytch
 * routes that check it and for routing a request to its environment.
 *
 * @example
 * basicCredentials('Basic ' + btoa('project-test-…:secret-test-…')); // { username: 'project-test-…', password: 'secret-test-…' }
 */

/** The user and password of a `Basic` Authorization header, or undefined when there is none or it is malformed. */
export function basicCredentials(header: string | undefined): { username: string; password: string } | undefined {
  if (!header || header.length > 4096) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
