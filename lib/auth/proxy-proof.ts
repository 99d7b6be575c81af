/**
 * Proof that a request went through the proxy (proxy.ts → lib/auth/proxy-policy.ts).
 *
 * The proxy forwards the verified session to the render in request headers
 * (authkit's `x-workos-session`). Paths outside the proxy matcher (static-looking
 * paths, `/_next/*`, the callback) still render the root layout, and there a
 * client can send those headers itself. So the render trusts forwarded values
 * only when they carry this proof: an HMAC-SHA-256, keyed with a secret derived
 * from the cookie password (HKDF), over the forwarded seal, the return path, a
 * timestamp and a random nonce. Only the proxy can compute it; the browser never
 * sees it (request headers the proxy adds are not sent back), and it goes stale
 * after {@link PROXY_PROOF_MAX_AGE_MS}.
 *
 * Web Crypto only, so it runs in the proxy whatever its runtime.
 */

/** Request header the proxy sets; any client-sent value is overwritten by the proxy, and worthless elsewhere. */
export const PROXY_PROOF_HEADER = 'x-auth-proxy-proof';
/** Request header with the path + query of the request as the proxy saw it (the return path for sign-in). */
export const RETURN_TO_HEADER = 'x-auth-return-to';

/**
 * Request headers that carry forwarded auth state to the render: authkit's
 * (`x-workos-*`, `x-url`, `x-redirect-uri`, `x-sign-up-paths`) and ours. The
 * proxy removes any a client sent before it sets its own.
 */
const FORWARDED_AUTH_HEADERS = ['x-url', 'x-redirect-uri', 'x-sign-up-paths', PROXY_PROOF_HEADER, RETURN_TO_HEADER];

export function stripForwardedAuthHeaders(headers: Headers): void {
  for (const name of [...headers.keys()]) {
    if (name.startsWith('x-workos-') || FORWARDED_AUTH_HEADERS.includes(name)) headers.delete(name);
  }
}

/** A proof older than this is refused: the render reads it at the start of the request. */
export const PROXY_PROOF_MAX_AGE_MS = 60_000;

const VERSION = 'v1';
const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

/** HMAC key for proofs, derived once per cookie password (HKDF-SHA-256, labelled for this use only). */
function proofKey(cookiePassword: string): Promise<CryptoKey> {
  let key = keys.get(cookiePassword);
  if (!key) {
    key = crypto.subtle
      .importKey('raw', encoder.encode(cookiePassword), 'HKDF', false, ['deriveKey'])
      .then((material) =>
        crypto.subtle.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: encoder.encode('authkit-starter'), info: encoder.encode(`proxy-proof ${VERSION}`) },
          material,
          { name: 'HMAC', hash: 'SHA-256', length: 256 },
          false,
          ['sign', 'verify'],
        ),
      );
    keys.set(cookiePassword, key);
  }
  return key;
}

// btoa/atob rather than Buffer: both runtimes the proxy may run in have them.
function toBase64Url(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return btoa(String.fromCharCode(...view)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(value: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) return null;
  try {
    const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(binary, (character) => character.charCodeAt(0));
  } catch {
    return null; // not valid base64 (e.g. a length that no encoding produces)
  }
}

/** What the proof covers. Newlines separate fields; none of them can contain one (header values). */
function signedContent(issuedAt: string, nonce: string, returnTo: string, seal: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(`${VERSION}\n${issuedAt}\n${nonce}\n${returnTo}\n${seal}`);
}

export interface ForwardedAuth {
  /** The sealed session the proxy verified, or undefined when the request is signed out. */
  seal: string | undefined;
  /** Path + query of the request, as the proxy saw it. */
  returnTo: string;
}

/** The proof header value for these forwarded values (proxy side). */
export async function createProxyProof({ seal, returnTo }: ForwardedAuth, cookiePassword: string, now = Date.now()): Promise<string> {
  const issuedAt = String(now);
  const nonce = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
  const mac = await crypto.subtle.sign('HMAC', await proofKey(cookiePassword), signedContent(issuedAt, nonce, returnTo, seal ?? ''));
  return `${VERSION}.${issuedAt}.${nonce}.${toBase64Url(mac)}`;
}

/**
 * The forwarded values if `proof` was made by the proxy for exactly these
 * values within the last minute; otherwise null (the request did not go through
 * the proxy, or something was changed on the way).
 */
export async function verifyProxyProof(
  proof: string | null,
  { seal, returnTo }: { seal: string | null; returnTo: string | null },
  cookiePassword: string,
  now = Date.now(),
): Promise<ForwardedAuth | null> {
  if (!proof || returnTo === null) return null;
  const [version, issuedAt, nonce, mac, ...rest] = proof.split('.');
  if (version !== VERSION || !issuedAt || !nonce || !mac || rest.length > 0 || !/^\d{1,15}$/.test(issuedAt)) return null;
  const age = now - Number(issuedAt);
  if (age < -5_000 || age > PROXY_PROOF_MAX_AGE_MS) return null;
  const signature = fromBase64Url(mac);
  if (!signature) return null;
  // crypto.subtle.verify compares in constant time.
  const valid = await crypto.subtle.verify('HMAC', await proofKey(cookiePassword), signature, signedContent(issuedAt, nonce, returnTo, seal ?? ''));
  return valid ? { seal: seal ?? undefined, returnTo } : null;
}
