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
 * Synchronous node:crypto (Next 16 runs proxy.ts on the Node.js runtime only): an
 * HMAC over a few kilobytes takes microseconds on the calling thread, where Web
 * Crypto's promise-based sign and verify each took a thread-pool round trip
 * (≈ 0.1 ms per request each way, docs/performance.md).
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { randomString } from '../../security/random';

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
const keys = new Map<string, Buffer>();

/** HMAC key for proofs, derived once per cookie password (HKDF-SHA-256, labelled for this use only). */
function proofKey(cookiePassword: string): Buffer {
  let key = keys.get(cookiePassword);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', cookiePassword, 'authkit-starter', `proxy-proof ${VERSION}`, 32));
    keys.set(cookiePassword, key);
  }
  return key;
}

/** The MAC over what the proof covers. Newlines separate fields; none of them can contain one (header values). */
function mac(cookiePassword: string, issuedAt: string, nonce: string, returnTo: string, seal: string): Buffer {
  return createHmac('sha256', proofKey(cookiePassword)).update(`${VERSION}\n${issuedAt}\n${nonce}\n${returnTo}\n${seal}`).digest();
}

export interface ForwardedAuth {
  /** The sealed session the proxy verified, or undefined when the request is signed out. */
  seal: string | undefined;
  /** Path + query of the request, as the proxy saw it. */
  returnTo: string;
}

/** The proof header value for these forwarded values (proxy side). */
export function createProxyProof({ seal, returnTo }: ForwardedAuth, cookiePassword: string, now = Date.now()): string {
  const issuedAt = String(now);
  const nonce = randomString(16, 'base64url');
  return `${VERSION}.${issuedAt}.${nonce}.${mac(cookiePassword, issuedAt, nonce, returnTo, seal ?? '').toString('base64url')}`;
}

/**
 * The forwarded values if `proof` was made by the proxy for exactly these
 * values within the last minute; otherwise null (the request did not go through
 * the proxy, or something was changed on the way).
 */
export function verifyProxyProof(
  proof: string | null,
  { seal, returnTo }: { seal: string | null; returnTo: string | null },
  cookiePassword: string,
  now = Date.now(),
): ForwardedAuth | null {
  if (!proof || returnTo === null) return null;
  const [version, issuedAt, nonce, sentMac, ...rest] = proof.split('.');
  if (version !== VERSION || !issuedAt || !nonce || !sentMac || rest.length > 0 || !/^\d{1,15}$/.test(issuedAt)) return null;
  const age = now - Number(issuedAt);
  if (age < -5_000 || age > PROXY_PROOF_MAX_AGE_MS) return null;
  if (!/^[A-Za-z0-9_-]{43}$/.test(sentMac)) return null; // 32 bytes, base64url
  const expected = mac(cookiePassword, issuedAt, nonce, returnTo, seal ?? '');
  // Constant-time comparison: the time taken says nothing about how much matched.
  return timingSafeEqual(Buffer.from(sentMac, 'base64url'), expected) ? { seal: seal ?? undefined, returnTo } : null;
}
