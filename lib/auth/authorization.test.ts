import { describe, expect, it } from 'vitest';
import { parseAuthorizationRequest, type AuthorizationRequest } from './authorization';
import { createCustomState, parseCustomState, serializeCustomState } from './custom-state';

const APP_ORIGIN = 'http://localhost:3000';

function parse(query: Record<string, string> | string = {}, referer: string | null = null): AuthorizationRequest {
  return parseAuthorizationRequest('sign-in', new URLSearchParams(query), { referer, appOrigin: APP_ORIGIN });
}

describe('parseAuthorizationRequest', () => {
  it('reads a full, valid request', () => {
    const request = parseAuthorizationRequest(
      'sign-up',
      new URLSearchParams({ returnTo: '/dashboard/admin?tab=users', loginHint: 'ada@example.com', organizationId: 'org_01ABC' }),
      { referer: `${APP_ORIGIN}/pricing?plan=team`, appOrigin: APP_ORIGIN },
    );
    expect(request).toEqual({
      intent: 'sign-up',
      returnTo: '/dashboard/admin?tab=users',
      loginHint: 'ada@example.com',
      organizationId: 'org_01ABC',
      startedFrom: '/pricing?plan=team',
    });
  });

  it('applies defaults to an empty query', () => {
    expect(parse()).toEqual({
      intent: 'sign-in',
      returnTo: '/dashboard',
      loginHint: undefined,
      organizationId: undefined,
      startedFrom: '/',
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

  describe('startedFrom (from the Referer)', () => {
    it('keeps the path and query of a same-origin Referer, without the fragment', () => {
      expect(parse({}, `${APP_ORIGIN}/pricing?plan=team#faq`).startedFrom).toBe('/pricing?plan=team');
    });

    it.each([
      ['a missing Referer', null],
      ['an empty Referer', ''],
      ['another site', 'https://evil.example/pricing'],
      ['127.0.0.1 instead of localhost', 'http://127.0.0.1:3000/pricing'],
      ['another port', 'http://localhost:3001/pricing'],
      ['https instead of http', 'https://localhost:3000/pricing'],
      ['a malformed URL', 'not a url'],
      ['a relative path', '/pricing'],
    ])('is / for %s', (_label, referer) => {
      expect(parse({}, referer).startedFrom).toBe('/');
    });

    it.each([
      ['an auth-flow page', `${APP_ORIGIN}/auth/sign-in?returnTo=/dashboard`],
      ['a path that starts with //', `${APP_ORIGIN}//evil.example/x`],
      ['an encoded // path', `${APP_ORIGIN}/%2F%2Fevil.example`],
    ])('sanitises a same-origin Referer to / for %s', (_label, referer) => {
      expect(parse({}, referer).startedFrom).toBe('/');
    });

    it('produces a custom state that serialises even from a page with a very long URL', () => {
      const { startedFrom } = parse({}, `${APP_ORIGIN}/reports?filter=${'x'.repeat(1500)}`);
      const state = createCustomState({ startedFrom, intent: 'sign-in', now: 0 });
      expect(parseCustomState(serializeCustomState(state))?.startedFrom).toBe('/reports');
    });
  });
});
