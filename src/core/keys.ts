/**
 * The RS256 signing key: generated once, stored in the database, and reused on every start so tokens
 * issued before a restart still verify (WorkOS's Node SDK caches the JWKS for 5 minutes and would
 * otherwise reject every token with an unknown `kid`).
 *
 * The same RSA key is published under two names: a WorkOS-style kid (`sso_oidc_key_pair_<ULID>`) in
 * `/sso/jwks/:client_id`, and a Stytch-style kid (`jwk-test-<uuid>`) in `/v1/sessions/jwks/:project_id`.
 *
 * @example
 * const keys = await SigningKeys.load(db, clock.now());
 * const jwt = await keys.sign({ sub: 'user_1', exp: 1 }, { kid: keys.workosKid });
 * keys.workosJwksBody; // pre-serialised {"keys":[…]}
 */
import { generateKeyPair, createPrivateKey, createPublicKey, webcrypto, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { Database } from './db.js';
import { stytchId, workosId } from './ids.js';

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

/** Holds the active key, signs JWTs with it (off the main thread, via WebCrypto), and serves the JWKS. */
export class SigningKeys {
  /** `{"keys":[…]}` for WorkOS's `/sso/jwks/:client_id`, serialised once. */
  readonly workosJwksBody: string;
  /** The key as Stytch lists it (`/v1/sessions/jwks/:project_id` adds `request_id`/`status_code`). */
  readonly stytchJwk: Record<string, unknown>;

  private constructor(
    readonly workosKid: string,
    readonly stytchKid: string,
    readonly publicJwk: PublicJwk,
    private readonly cryptoKey: webcrypto.CryptoKey,
    readonly privateKey: KeyObject,
  ) {
    this.workosJwksBody = JSON.stringify({
      keys: [{ alg: 'RS256', kty: 'RSA', use: 'sig', kid: workosKid, n: publicJwk.n, e: publicJwk.e }],
    });
    this.stytchJwk = {
      kty: 'RSA',
      use: 'sig',
      key_ops: ['verify'],
      alg: 'RS256',
      kid: stytchKid,
      x5c: [],
      x5tS256: '',
      n: publicJwk.n,
      e: publicJwk.e,
    };
  }

  /** Loads the stored active key, generating (and storing) one the first time. */
  static async load(db: Database, nowMs: number): Promise<SigningKeys> {
    let row = db.prepare('SELECT kid, stytch_kid, private_pkcs8, public_jwk FROM signing_keys WHERE active = 1 ORDER BY created_at DESC LIMIT 1').get() as
      | StoredKey
      | undefined;
    if (!row) {
      const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: 2048 });
      const candidate: StoredKey = {
        kid: workosId('sso_oidc_key_pair', nowMs),
        stytch_kid: stytchId('jwk'),
        private_pkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        public_jwk: JSON.stringify(publicKey.export({ format: 'jwk' })),
      };
      // Another process may have generated one meanwhile: keep whichever landed first.
      db.transaction(() => {
        const existing = db.prepare('SELECT kid, stytch_kid, private_pkcs8, public_jwk FROM signing_keys WHERE active = 1 LIMIT 1').get() as
          | StoredKey
          | undefined;
        if (existing) {
          row = existing;
          return;
        }
        db.prepare('INSERT INTO signing_keys (kid, stytch_kid, private_pkcs8, public_jwk, created_at, active) VALUES (?, ?, ?, ?, ?, 1)').run(
          candidate.kid,
          candidate.stytch_kid,
          candidate.private_pkcs8,
          candidate.public_jwk,
          nowMs,
        );
        row = candidate;
      }).immediate();
    }
    const stored = row as StoredKey;
    const privateKey = createPrivateKey(stored.private_pkcs8);
    const cryptoKey = await webcrypto.subtle.importKey(
      'pkcs8',
      privateKey.export({ type: 'pkcs8', format: 'der' }),
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    const jwk = JSON.parse(stored.public_jwk) as PublicJwk;
    return new SigningKeys(stored.kid, stored.stytch_kid, jwk, cryptoKey, privateKey);
  }

  /** The public key as a Node `KeyObject` (for local verification in tests and the CLI). */
  publicKey(): KeyObject {
    return createPublicKey({ key: this.publicJwk, format: 'jwk' });
  }

  /**
   * Signs `payload` as a compact RS256 JWS.
   * @param header extra header fields; `kid` is required so verifiers can pick the key.
   */
  async sign(payload: Record<string, unknown>, header: { kid: string; typ?: string }): Promise<string> {
    const head = base64urlJson({ alg: 'RS256', ...header });
    const body = base64urlJson(payload);
    const signingInput = `${head}.${body}`;
    const signature = await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', this.cryptoKey, Buffer.from(signingInput));
    return `${signingInput}.${Buffer.from(signature).toString('base64url')}`;
  }
}
