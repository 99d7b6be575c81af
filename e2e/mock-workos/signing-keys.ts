/**
 * RS256 signing keys for access tokens, with rotation the way real providers do
 * it: a rotated-out key stays in the JWKS for a while, so tokens it signed keep
 * verifying until they expire and JWKS caches catch up.
 */
import { createHash, generateKeyPair as generateNodeKeyPair, randomBytes, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { exportJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import forge from 'node-forge';

/** How long a rotated-out key is still published (well past a token lifetime and jose's 10 min JWKS cache). */
const RETIRED_KEY_PUBLISHED_SECONDS = 60 * 60;

export interface PublicSigningKey {
  kid: string;
  /** The public JWK exactly as served in the JWKS (`kty`, `n`, `e`, `kid`, `alg`, `use`, `x5c`, `x5t#S256`). */
  jwk: PublishedJwk;
}

/** A JWK as the JWKS serves it: always with its `kid`. */
export type PublishedJwk = JWK & { kid: string };

interface SigningKey extends PublicSigningKey {
  privateKey: KeyObject;
}

interface RetiredKey {
  key: SigningKey;
  retiredAt: number;
}

/** `pki.getTBSCertificate` is public node-forge API (its own `certificate.sign` uses it) that @types/node-forge lacks. */
const forgePki = forge.pki as typeof forge.pki & { getTBSCertificate(certificate: forge.pki.Certificate): forge.asn1.Asn1 };

const CERTIFICATE_LIFETIME_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * A self-signed X.509 certificate for the key pair, DER bytes: WorkOS publishes
 * one per key (`x5c`, `x5t#S256`). node:crypto can read certificates but not
 * make them, so node-forge encodes it.
 */
function selfSignedCertificate(publicKey: KeyObject, privateKey: KeyObject, kid: string): Buffer {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  // Positive serial: a leading 0x00 byte keeps the DER integer from reading as negative.
  certificate.serialNumber = `00${randomBytes(16).toString('hex')}`;
  certificate.validity.notBefore = new Date();
  certificate.validity.notAfter = new Date(Date.now() + CERTIFICATE_LIFETIME_MS);
  const subject = [{ name: 'commonName', value: `mock-workos ${kid}` }];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  // forge lays out the certificate; node:crypto signs it (forge's pure-JS RSA would add about a second per key).
  const sha256WithRsa = forge.pki.oids.sha256WithRSAEncryption;
  if (!sha256WithRsa) throw new Error('node-forge lacks the sha256WithRSAEncryption OID');
  certificate.siginfo.algorithmOid = sha256WithRsa;
  certificate.signatureOid = sha256WithRsa;
  const toBeSigned = Buffer.from(forge.asn1.toDer(forgePki.getTBSCertificate(certificate)).getBytes(), 'binary');
  certificate.signature = sign('sha256', toBeSigned, privateKey).toString('binary');
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes(), 'binary');
}

async function createSigningKey(): Promise<SigningKey> {
  const { publicKey, privateKey } = await promisify(generateNodeKeyPair)('rsa', { modulusLength: 2048 });
  const kid = `sso_oidc_key_pair_${randomBytes(12).toString('hex')}`;
  const certificate = selfSignedCertificate(publicKey, privateKey, kid);
  const jwk: PublishedJwk = {
    ...(await exportJWK(publicKey)),
    kid,
    alg: 'RS256',
    use: 'sig',
    x5c: [certificate.toString('base64')],
    'x5t#S256': createHash('sha256').update(certificate).digest('base64url'),
  };
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
  publishedKeys(nowMs: number): PublishedJwk[] {
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
