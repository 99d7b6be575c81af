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

/**
 * Request headers a nonce reaches the render through: ours, and the CSP (or report-only CSP) request
 * header Next takes its scripts' nonce from. Only the proxy sets them; it removes a client's copies on
 * every other path (proxy.ts sends it every request that carries one).
 */
export const RENDER_NONCE_HEADERS = [NONCE_HEADER, 'content-security-policy', 'content-security-policy-report-only'];

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

/**
 * Every Content-Security-Policy the app sends, built here from one list of
 * directives: a page the proxy renders (nonce'd scripts and styles), a path
 * that looks like a file (its 404 page may load its own stylesheets, run
 * nothing), and everything else outside the proxy (the callback, API routes:
 * nothing may run or frame them).
 */
export function contentSecurityPolicy(policy: ContentSecurityPolicyOptions | 'static' | 'locked-down'): string {
  const page = typeof policy === 'object' ? policy : undefined;
  const directives: Array<[string, string | false]> = [
    ['default-src', page ? "'self'" : "'none'"],
    // strict-dynamic: scripts Next loads from its nonce'd bootstrap are trusted, nothing else is.
    ['script-src', !!page && `'self' 'nonce-${page.nonce}' 'strict-dynamic'${page.isDevelopment ? " 'unsafe-eval'" : ''}`],
    [
      'style-src',
      page ? (page.isDevelopment ? "'self' 'unsafe-inline'" : `'self' 'nonce-${page.nonce}'`) : policy === 'static' && "'self'",
    ],
    // Avatars come from the identity providers' CDNs.
    ['img-src', page ? "'self' data: https:" : policy === 'static' && "'self' data:"],
    ['font-src', (page || policy === 'static') && "'self'"],
    ['connect-src', !!page && "'self'"],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', page ? `'self' ${page.workosOrigin}` : "'none'"],
    ['frame-ancestors', "'none'"],
  ];
  return directives.flatMap(([name, value]) => (value ? [`${name} ${value}`] : [])).join('; ');
}

/** For responses the proxy does not render (the callback, API routes). */
export const LOCKED_DOWN_CONTENT_SECURITY_POLICY = contentSecurityPolicy('locked-down');

/**
 * For paths the proxy skips because they look like files (public assets, and
 * the 404 page Next renders for a missing one such as /missing.png). Such a
 * page has no nonce, so no script may run; its own stylesheets and images load.
 */
export const STATIC_CONTENT_SECURITY_POLICY = contentSecurityPolicy('static');

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
