import { describe, expect, it } from 'vitest';
import { parseAuthorizationRequest, type AuthorizationRequest } from './route';

function parse(query: Record<string, string> | string = {}): AuthorizationRequest {
  return parseAuthorizationRequest('sign-in', new URLSearchParams(query));
}

describe('parseAuthorizationRequest', () => {
  it('reads a full, valid request', () => {
    const request = parseAuthorizationRequest(
      'sign-up',
      new URLSearchParams({ returnTo: '/dashboard/admin?tab=users', loginHint: 'ada@example.com', organizationId: 'org_01ABC' }),
    );
    expect(request).toEqual({
      intent: 'sign-up',
      returnTo: '/dashboard/admin?tab=users',
      loginHint: 'ada@example.com',
      organizationId: 'org_01ABC',
    });
  });

  it('applies defaults to an empty query', () => {
    expect(parse()).toEqual({
      intent: 'sign-in',
      returnTo: '/dashboard',
      loginHint: undefined,
      organizationId: undefined,
    });
  });

  describe('returnTo', () => {
    it('keeps a same-origin path', () => {
      expect(parse({ returnTo: '/dashboard/settings?tab=1' }).returnTo).toBe('/dashboard/settings?tab=1');
    });

    it.each([
      ['https://evil.example'],
      ['//evil.example'],
      ['/\\evil.example'],
      ['/%2F%2Fevil.example'],
      ['javascript:alert(1)'],
      ['/auth/sign-in'],
      [''],
    ])('falls back to /dashboard for %j', (returnTo) => {
      expect(parse({ returnTo }).returnTo).toBe('/dashboard');
    });

    it('sees the decoded value, so a query-encoded // is still caught', () => {
      expect(parse('returnTo=%2F%2Fevil.example').returnTo).toBe('/dashboard');
    });
  });

  describe('loginHint', () => {
    it.each([['ada@example.com'], ['ada.lovelace+work@mail.example.co.uk']])('keeps the email %j', (loginHint) => {
      expect(parse({ loginHint }).loginHint).toBe(loginHint);
    });

    it.each([
      ['not an email', 'ada'],
      ['no dot in the domain', 'ada@example'],
      ['two @', 'ada@@example.com'],
      ['a space', 'ada lovelace@example.com'],
      ['angle brackets', '<ada@example.com>'],
      ['a CRLF', 'ada@example.com\r\nBcc: x@example.com'],
      ['empty', ''],
    ])('drops %s', (_label, loginHint) => {
      expect(parse({ loginHint }).loginHint).toBeUndefined();
    });

    it('keeps 254 characters and drops 255', () => {
      const at254 = `${'a'.repeat(254 - '@example.com'.length)}@example.com`;
      expect(at254).toHaveLength(254);
      expect(parse({ loginHint: at254 }).loginHint).toBe(at254);
      expect(parse({ loginHint: `a${at254}` }).loginHint).toBeUndefined();
    });
  });

  describe('organizationId', () => {
    it('keeps a WorkOS organization id', () => {
      expect(parse({ organizationId: 'org_01ABC' }).organizationId).toBe('org_01ABC');
    });

    it.each([
      ['path traversal', 'org_../x'],
      ['a bare word', 'evil'],
      ['an empty suffix', 'org_'],
      ['a slash', 'org_01ABC/users'],
      ['upper-case prefix', 'ORG_01ABC'],
      ['a trailing newline', 'org_01ABC\n'],
      ['65 characters after the prefix', `org_${'A'.repeat(65)}`],
    ])('drops %s', (_label, organizationId) => {
      expect(parse({ organizationId }).organizationId).toBeUndefined();
    });
  });
});
