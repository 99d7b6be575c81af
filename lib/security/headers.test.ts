import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './headers';

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
});
