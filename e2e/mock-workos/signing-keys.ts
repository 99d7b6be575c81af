/**
 * RS256 signing keys for access tokens, with rotation the way real providers do
 * it: a rotated-out key stays in the JWKS for a while, so tokens it signed keep
 * verifying until they expire and JWKS caches catch up.
 */
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** How long a rotated-out key is still published (well past a token lifetime and jose's 10 min JWKS cache). */
export const RETIRED_KEY_PUBLISHED_SECONDS = 60 * 60;

export interface PublicSigningKey {
  kid: string;
  /** The public JWK exactly as served in the JWKS (`kty`, `n`, `e`, `kid`, `alg`, `use`). */
  jwk: JWK;
}

interface SigningKey extends PublicSigningKey {
  privateKey: CryptoKey;
}

interface RetiredKey {
  key: SigningKey;
  retiredAt: number;
}

async function createSigningKey(): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const kid = `sso_oidc_key_pair_${randomBytes(12).toString('hex')}`;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, jwk, privateKey };
}

export class SigningKeyRing {
  #current: SigningKey;
  #retired: RetiredKey[] = [];

  private constructor(current: SigningKey) {
    this.#current = current;
  }

  static async create(): Promise<SigningKeyRing> {
    return new SigningKeyRing(await createSigningKey());
  }

  get current(): PublicSigningKey {
    return { kid: this.#current.kid, jwk: this.#current.jwk };
  }

  /** Keys published at `nowMs`: the current one first, then recently retired ones. */
  publishedKeys(nowMs: number): JWK[] {
    const cutoff = nowMs - RETIRED_KEY_PUBLISHED_SECONDS * 1000;
    this.#retired = this.#retired.filter((retired) => retired.retiredAt > cutoff);
    return [this.#current.jwk, ...this.#retired.map((retired) => retired.key.jwk)];
  }

  /**
   * Makes a fresh key current. With `keepPrevious: false` the old key vanishes
   * from the JWKS at once (a compromised-key revocation); otherwise it stays
   * published for {@link RETIRED_KEY_PUBLISHED_SECONDS}.
   */
  async rotate(nowMs: number, { keepPrevious = true }: { keepPrevious?: boolean } = {}): Promise<PublicSigningKey> {
    const next = await createSigningKey();
    this.#retired = keepPrevious ? [{ key: this.#current, retiredAt: nowMs }, ...this.#retired] : [];
    this.#current = next;
    return this.current;
  }

  async sign(claims: JWTPayload): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: this.#current.kid, typ: 'JWT' }).sign(this.#current.privateKey);
  }
}
