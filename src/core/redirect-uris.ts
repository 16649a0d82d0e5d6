/**
 * Registered redirect URIs: exact URIs or patterns with `*`, and appending parameters to a redirect.
 *
 * A `*` stands for any run of characters within one URL part (a port, a host label, a path segment).
 * A pattern with no path (`http://127.0.0.1:*`) admits every path and query on the origins it matches;
 * a pattern with a path must match the URI's path exactly (the query is free).
 *
 * @example
 * isRegisteredRedirect('http://127.0.0.1:5173/callback', ['http://127.0.0.1:*']); // true
 * isRegisteredRedirect('https://evil.test/cb', ['http://localhost:3000/callback']);  // false
 * isRegisteredRedirect('http://evil.test\\.localhost:1/', ['http://*.localhost:*']);  // false (backslash)
 * appendQuery('myapp://oauth?url=x', { token: 't' });                                // 'myapp://oauth?url=x&token=t'
 */

/** Compiled patterns: every authorize checks its redirect URI, and the registered patterns rarely change. */
const compiled = new Map<string, RegExp>();

function patternToRegExp(pattern: string): RegExp {
  let regexp = compiled.get(pattern);
  if (!regexp) {
    const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/?#]*');
    regexp = new RegExp(`^${escaped}$`, 'i');
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(pattern, regexp);
  }
  return regexp;
}

/** Splits a URI into `scheme://authority` and the path, without query or fragment. */
function split(uri: string): { origin: string; path: string } | undefined {
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)([^?#]*)/i.exec(uri);
  return match ? { origin: match[1], path: match[2] } : undefined;
}

/**
 * True when `uri` is an absolute URI matching one of `patterns`. Fragments and credentials are refused.
 * So are backslashes and control characters: browsers read `\` as `/` and drop tabs and newlines, so
 * `http://evil.test\.localhost:3000` would match `http://*.localhost:3000` here yet lead to evil.test.
 */
export function isRegisteredRedirect(uri: string, patterns: readonly string[]): boolean {
  if (typeof uri !== 'string' || uri.length === 0 || uri.length > 2000 || uri.includes('#') || /[\s\\\x00-\x1f\x7f]/.test(uri)) return false;
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password || /^(javascript|data|vbscript|file):$/i.test(parsed.protocol)) return false;
  const target = split(uri);
  if (!target) return false;
  for (const pattern of patterns) {
    if (pattern === uri) return true;
    const parts = split(pattern);
    if (!parts) continue;
    if (!patternToRegExp(parts.origin).test(target.origin)) continue;
    if (parts.path === '' || parts.path === '/') return true;
    if (patternToRegExp(parts.path).test(target.path)) return true;
  }
  return false;
}

/** Appends `params` to `uri`'s query (with `&` when it already has one), before any fragment. */
export function appendQuery(uri: string, params: Record<string, string | undefined | null>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value != null) query.append(key, value);
  const text = query.toString();
  if (!text) return uri;
  const hashAt = uri.indexOf('#');
  const base = hashAt === -1 ? uri : uri.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : uri.slice(hashAt);
  const separator = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?';
  return `${base}${separator}${text}${fragment}`;
}
