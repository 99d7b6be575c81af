/**
 * Security headers. The proxy sends a per-request nonce CSP with every page it
 * renders; next.config.js sends the static headers (and a locked-down CSP for
 * routes outside the proxy) on every response.
 *
 * Imported by next.config.js through Node's TypeScript support: packages and
 * relative `.ts` imports only.
 */

/** The request header carrying the CSP nonce (lib/security/random.ts makes it) to the render. */
export const NONCE_HEADER = 'x-nonce';

export interface ContentSecurityPolicyOptions {
  nonce: string;
  /** The WorkOS API origin: sign-out forms end in a redirect there, and form-action covers redirects. */
  workosOrigin: string;
  /**
   * `next dev` only: its fast refresh needs eval, and its dev tools and error
   * overlay inject inline styles. A nonce in style-src makes browsers ignore
   * 'unsafe-inline' (CSP3), so the development policy leaves the nonce out of
   * style-src. The production policy has neither.
   */
  isDevelopment: boolean;
}

export function contentSecurityPolicy({ nonce, workosOrigin, isDevelopment }: ContentSecurityPolicyOptions): string {
  return [
    "default-src 'self'",
    // strict-dynamic: scripts Next loads from its nonce'd bootstrap are trusted, nothing else is.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDevelopment ? " 'unsafe-eval'" : ''}`,
    isDevelopment ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    // Avatars come from the identity providers' CDNs.
    "img-src 'self' data: https:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action 'self' ${workosOrigin}`,
    "frame-ancestors 'none'",
  ].join('; ');
}

/** For responses the proxy does not render (the callback, API routes): nothing may run or frame them. */
export const LOCKED_DOWN_CONTENT_SECURITY_POLICY =
  "default-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * For paths the proxy skips because they look like files (public assets, and
 * the 404 page Next renders for a missing one such as /missing.png). Such a
 * page has no nonce, so no script may run; its own stylesheets and images load.
 */
export const STATIC_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Sent on every response. HSTS included unconditionally: browsers ignore it on
 * a response that did not arrive over https (RFC 6797 §8.1), so http://localhost
 * is unaffected, while an app behind a TLS proxy gets it even though it only
 * ever sees plain http itself. It cannot depend on the redirect URI: these
 * headers are fixed at build time, and a build may be made without one.
 */
export function staticSecurityHeaders(): Array<{ key: string; value: string }> {
  return [
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
    {
      key: 'Permissions-Policy',
      value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    },
    { key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' },
  ];
}
