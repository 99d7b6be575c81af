import { describe, expect, it } from 'vitest';
import {
  LOCKED_DOWN_CONTENT_SECURITY_POLICY,
  NONCE_HEADER,
  STATIC_CONTENT_SECURITY_POLICY,
  contentSecurityPolicy,
  staticSecurityHeaders,
} from './headers';

const NONCE = 'bm9uY2Utb2YtdGhlLXRlc3Q=';
const options = { nonce: NONCE, workosOrigin: 'https://api.workos.com' };

/** The directives of a policy, by name. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe('contentSecurityPolicy', () => {
  it('production: nonces for scripts and styles, nothing inline, no eval (unchanged)', () => {
    expect(contentSecurityPolicy({ ...options, isDevelopment: false })).toBe(
      [
        "default-src 'self'",
        `script-src 'self' 'nonce-${NONCE}' 'strict-dynamic'`,
        `style-src 'self' 'nonce-${NONCE}'`,
        "img-src 'self' data: https:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self' https://api.workos.com",
        "frame-ancestors 'none'",
      ].join('; '),
    );
  });

  it("development: inline styles for Next's dev tools and error overlay, so no nonce in style-src (a nonce would void 'unsafe-inline')", () => {
    const development = directives(contentSecurityPolicy({ ...options, isDevelopment: true }));
    expect(development.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(development.get('script-src')).toEqual(["'self'", `'nonce-${NONCE}'`, "'strict-dynamic'", "'unsafe-eval'"]);
  });

  it('development differs from production only in style-src and script-src', () => {
    const production = directives(contentSecurityPolicy({ ...options, isDevelopment: false }));
    const development = directives(contentSecurityPolicy({ ...options, isDevelopment: true }));
    const changed = [...production.keys()].filter((name) => JSON.stringify(production.get(name)) !== JSON.stringify(development.get(name)));
    expect(changed).toEqual(['script-src', 'style-src']);
    expect([...development.keys()]).toEqual([...production.keys()]);
  });

  it('outside the proxy (the callback, API routes): nothing may load, run, submit or frame', () => {
    expect(LOCKED_DOWN_CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(contentSecurityPolicy('locked-down')).toBe(LOCKED_DOWN_CONTENT_SECURITY_POLICY);
  });

  it("paths that look like files: the page's own stylesheets, images and fonts, no script", () => {
    expect(STATIC_CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(contentSecurityPolicy('static')).toBe(STATIC_CONTENT_SECURITY_POLICY);
  });
});

describe('staticSecurityHeaders', () => {
  it('is exactly these headers with these values, on every response', () => {
    expect(staticSecurityHeaders()).toEqual([
      { key: 'X-Content-Type-Options', value: 'nosniff' },
      { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
      { key: 'X-Frame-Options', value: 'DENY' },
      { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
      { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
      { key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' },
    ]);
  });
});

describe('NONCE_HEADER', () => {
  it('is the request header the render reads the nonce from', () => {
    expect(NONCE_HEADER).toBe('x-nonce');
  });
});
