/**
 * RS256 signing keys, one per environment: generated once, stored in the database, and reused on every
 * start, so tokens issued before a restart still verify (WorkOS's Node SDK caches the JWKS for 5 minutes
 * and would otherwise reject every token with an unknown `kid`). A key of its own per environment keeps
 * environments isolated for apps that verify tokens locally: a token of one never verifies with
 * another's JWKS.
 *
 * Each key is published under two names: a WorkOS-style kid (`sso_oidc_key_pair_<ULID>`) in
 * `/sso/jwks/:client_id`, and a Stytch-style kid (`jwk-test-<uuid>`) in `/v1/sessions/jwks/:project_id`.
 * The default environment's key is the row without `environment_id`.
 *
 * @example
 * const ring = await KeyRing.open(db, clock.now());
 * const keys = ring.forEnvironment('default');
 * const jwt = await keys.sign({ sub: 'user_1', exp: 1 }, { kid: keys.workosKid });
 * keys.workosJwksBody; // pre-serialised {"keys":[…]}
 */
import { createPrivateKey, createPublicKey, generateKeyPair, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { Database } from './db.js';
import { stytchId, workosId } from './ids.js';
import { DEFAULT_ENVIRONMENT } from './store.js';

const generateRsa = promisify(generateKeyPair);

interface StoredKey {
  kid: string;
  stytch_kid: string;
  private_pkcs8: string;
  public_jwk: string;
}

/** A public RSA JWK as both vendors publish it. */
export interface PublicJwk {
  kty: 'RSA';
  n: string;
  e: string;
  [key: string]: unknown;
}

function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** One environment's key: signs JWTs (on libuv's thread pool, off the main thread) and serves its JWKS. */
export class SigningKeys {
  /** `{"keys":[…]}` for WorkOS's `/sso/jwks/:client_id`, serialised once. */
  readonly workosJwksBody: string;
  /** The key as Stytch lists it (`/v1/sessions/jwks/:project_id` adds `request_id`/`status_code`). */
  readonly stytchJwk: Record<string, unknown>;
  readonly workosKid: string;
  readonly stytchKid: string;
  readonly publicJwk: PublicJwk;
  readonly privateKey: KeyObject;

  constructor(stored: StoredKey) {
    this.workosKid = stored.kid;
    this.stytchKid = stored.stytch_kid;
    this.publicJwk = JSON.parse(stored.public_jwk) as PublicJwk;
    this.privateKey = createPrivateKey(stored.private_pkcs8);
    const { n, e } = this.publicJwk;
    this.workosJwksBody = JSON.stringify({ keys: [{ alg: 'RS256', kty: 'RSA', use: 'sig', kid: this.workosKid, n, e }] });
    this.stytchJwk = { kty: 'RSA', use: 'sig', key_ops: ['verify'], alg: 'RS256', kid: this.stytchKid, x5c: [], x5tS256: '', n, e };
  }

  /** The public key as a Node `KeyObject` (for local verification). */
  publicKey(): KeyObject {
    return createPublicKey({ key: this.publicJwk, format: 'jwk' });
  }

  /**
   * Signs `payload` as a compact RS256 JWS.
   * @param header extra header fields; `kid` is required so verifiers can pick the key.
   * @param inline sign on the calling thread: quicker when nothing else waits for the event loop (no
   *   hand-off to and back from the thread pool), but it holds the loop for the ~0.2 ms of the signature.
   */
  sign(payload: Record<string, unknown>, header: { kid: string; typ?: string }, inline = false): Promise<string> {
    const signingInput = `${base64urlJson({ alg: 'RS256', ...header })}.${base64urlJson(payload)}`;
    if (inline) {
      try {
        return Promise.resolve(`${signingInput}.${sign('sha256', Buffer.from(signingInput), this.privateKey).toString('base64url')}`);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise((resolve, reject) => {
      // With a callback, node:crypto signs on the thread pool: the event loop keeps serving meanwhile.
      sign('sha256', Buffer.from(signingInput), this.privateKey, (error, signature) => {
        if (error) reject(error);
        else resolve(`${signingInput}.${signature.toString('base64url')}`);
      });
    });
  }
}

/** A fresh key as stored (generated on the thread pool: 0.1–1 s of prime search). */
async function newKey(nowMs: number): Promise<StoredKey> {
  const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: 2048 });
  return {
    kid: workosId('sso_oidc_key_pair', nowMs),
    stytch_kid: stytchId('jwk'),
    private_pkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    public_jwk: JSON.stringify(publicKey.export({ format: 'jwk' })),
  };
}

const COLUMNS = 'kid, stytch_kid, private_pkcs8, public_jwk';

/** Every environment's key, loaded on first use and cached. */
export class KeyRing {
  private readonly cache = new Map<string, SigningKeys>();

  private constructor(private readonly db: Database) {}

  /** Opens the ring, generating (and storing) the default environment's key the first time. */
  static async open(db: Database, nowMs: number): Promise<KeyRing> {
    const ring = new KeyRing(db);
    if (!ring.storedKey(DEFAULT_ENVIRONMENT)) {
      const candidate = await newKey(nowMs);
      // Another process may have stored one meanwhile: keep whichever landed first.
      db.transaction(() => {
        if (!ring.storedKey(DEFAULT_ENVIRONMENT)) ring.insert(null, candidate, nowMs);
      }).immediate();
    }
    return ring;
  }

  private storedKey(environmentId: string): StoredKey | undefined {
    const where = environmentId === DEFAULT_ENVIRONMENT ? 'environment_id IS NULL' : 'environment_id = ?';
    const args = environmentId === DEFAULT_ENVIRONMENT ? [] : [environmentId];
    return this.db.prepare(`SELECT ${COLUMNS} FROM signing_keys WHERE ${where} AND active = 1 ORDER BY created_at DESC LIMIT 1`).get(...args) as StoredKey | undefined;
  }

  private insert(environmentId: string | null, key: StoredKey, nowMs: number): void {
    this.db
      .prepare('INSERT INTO signing_keys (kid, stytch_kid, private_pkcs8, public_jwk, created_at, active, environment_id) VALUES (?, ?, ?, ?, ?, 1, ?)')
      .run(key.kid, key.stytch_kid, key.private_pkcs8, key.public_jwk, nowMs, environmentId);
  }

  /**
   * The key of `environmentId`. An environment without a key of its own (made by an older version)
   * signs with the default environment's.
   */
  forEnvironment(environmentId: string): SigningKeys {
    let keys = this.cache.get(environmentId);
    if (!keys) {
      const stored = this.storedKey(environmentId) ?? this.storedKey(DEFAULT_ENVIRONMENT);
      if (!stored) throw new Error('no signing key is stored');
      keys = new SigningKeys(stored);
      this.cache.set(environmentId, keys);
    }
    return keys;
  }

  /** Generates a key for a new environment; call before the environment's rows are written. */
  async prepare(nowMs: number): Promise<StoredKey> {
    return newKey(nowMs);
  }

  /** Stores a prepared key for `environmentId` (inside the transaction that creates the environment). */
  assign(environmentId: string, key: StoredKey, nowMs: number): void {
    this.insert(environmentId, key, nowMs);
    this.cache.delete(environmentId);
  }

  /** Runs `fn` (which deletes and re-creates the environment's row) and puts the environment's keys back after it. */
  keepAcross(environmentId: string, fn: () => void): void {
    const rows = this.db.prepare(`SELECT ${COLUMNS}, created_at FROM signing_keys WHERE environment_id = ? AND active = 1`).all(environmentId) as Array<StoredKey & { created_at: number }>;
    fn();
    for (const row of rows) this.insert(environmentId, row, row.created_at);
  }

  /** Drops cached keys (after an environment was deleted or reset, or keys were wiped). */
  forget(environmentId?: string): void {
    if (environmentId === undefined) this.cache.clear();
    else this.cache.delete(environmentId);
  }
}

