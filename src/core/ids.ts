/**
 * Identifier and secret formats of both vendors.
 *
 * WorkOS ids are `<prefix>_<ULID>` (`user_01H5JQDV7R7ATEYZDEG0W5PRYS`); Stytch ids are
 * `<kind>-test-<uuid v4>` (`user-test-0a9c3131-…`); opaque tokens are base64url.
 *
 * @example
 * workosId('user');          // 'user_01J…'
 * stytchId('session');       // 'session-test-5d4c…'
 * opaqueToken(33);           // 44 base64url characters
 */
import * as crypto from 'node:crypto';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

// Random bytes come from a pool refilled 4 KiB at a time (as node:crypto's randomUUID does): a login
// takes six ids and tokens, and one CSPRNG call per id cost ~30 µs of its CPU. Each byte is used once.
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

/**
 * Hands `count` fresh bytes of the pool to `use` (which must not keep them), then wipes them, so that no
 * byte serves twice.
 */
function fromPool<T>(count: number, use: (pool: Buffer, start: number, end: number) => T): T {
  if (poolOffset + count > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const start = poolOffset;
  poolOffset += count;
  const result = use(pool, start, poolOffset);
  pool.fill(0, start, poolOffset);
  return result;
}

/** `count` fresh random bytes (a copy: callers may keep them). */
export function randomBytesFromPool(count: number): Buffer {
  if (count > POOL_SIZE) return randomBytes(count);
  return fromPool(count, (bytes, start, end) => Buffer.from(bytes.subarray(start, end)));
}

/** The 10-character time part of a ULID: Crockford base32 milliseconds, so it sorts as the time does. */
export function ulidTime(epochMs: number = Date.now()): string {
  let time = '';
  let t = epochMs;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time;
}

/** A ULID (26 chars, Crockford base32, time-sortable). */
export function ulid(epochMs: number = Date.now()): string {
  return fromPool(16, (bytes, start, end) => {
    let id = ulidTime(epochMs);
    for (let i = start; i < end; i++) id += CROCKFORD[bytes[i] % 32];
    return id;
  });
}

/** A WorkOS-style id: `user_01…`, `org_01…`, `session_01…`, `om_01…`. */
export function workosId(prefix: string, epochMs?: number): string {
  return `${prefix}_${ulid(epochMs)}`;
}

/** A Stytch-style test id: `user-test-<uuid>`, `session-test-<uuid>`, `request-id-test-<uuid>`. */
export function stytchId(kind: string): string {
  return `${kind}-test-${randomUUID()}`;
}

/** An opaque base64url token of `bytes` random bytes (33 bytes → 44 characters, Stytch's token length). */
export function opaqueToken(bytes = 33): string {
  if (bytes > POOL_SIZE) return randomBytes(bytes).toString('base64url');
  return fromPool(bytes, (pool, start, end) => pool.toString('base64url', start, end));
}

/**
 * SHA-256 of a string, in one call: `crypto.hash` (Node ≥ 20.12) skips the Hash object, ~3× quicker
 * for a token; a login hashes four.
 */
const sha256: (text: string, encoding: 'hex' | 'base64url') => string =
  typeof crypto.hash === 'function'
    ? (text, encoding) => crypto.hash('sha256', text, encoding)
    : (text, encoding) => createHash('sha256').update(text).digest(encoding);

/** SHA-256 hex of a secret, so stored tokens cannot be replayed from a copy of the database. */
export function hashToken(token: string): string {
  return sha256(token, 'hex');
}

/**
 * A secret that starts with the ULID time of its issue: authorization codes and refresh tokens, whose
 * lookup keys then sort by time (see {@link secretKeys}). The rest is `bytes` random bytes, base64url.
 */
export function timeOrderedSecret(epochMs: number, bytes = 24): string {
  return ulidTime(epochMs) + opaqueToken(bytes);
}

const TIME_PREFIX = /^[0-9A-HJKMNP-TV-Z]{10}/;

/** The two keys a presented secret may be stored under (see {@link secretKeys}). */
export interface SecretKeys {
  /** Its time prefix (when it has one) followed by its SHA-256 hex: how secrets are stored now. */
  key: string;
  /** The plain SHA-256 hex, as databases written before time-ordered keys hold them. */
  legacy: string;
}

/**
 * Where a code or refresh token is stored: its ULID time prefix, then its hash. Keyed by the bare hash,
 * every new row landed on a random page of the table's index, and those pages were ~2.8 of the ~6 WAL
 * pages a login commits (`dbstat` over the WAL at 16 clients); time-ordered keys share the index's last
 * page. Lookups try both keys, so tokens an older version issued keep working.
 *
 * @example
 * const { key } = secretKeys(code); store.createAuthorizationCode(key, …);
 * const stored = store.findAuthorizationCode(secretKeys(presented));
 */
export function secretKeys(secret: string): SecretKeys {
  const legacy = hashToken(secret);
  const prefix = TIME_PREFIX.exec(secret);
  return { key: prefix ? prefix[0] + legacy : legacy, legacy };
}

/** Constant-time string comparison for secrets (length is not secret). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** `base64url(sha256(verifier))`, the PKCE S256 transform (RFC 7636 §4.2). */
export function s256(verifier: string): string {
  return sha256(verifier, 'base64url');
}
