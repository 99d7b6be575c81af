import { describe, expect, it } from 'vitest';
import { PROTECTED_PATH_PREFIXES, isProtectedPath } from './proxy-policy';

describe('isProtectedPath', () => {
  it('protects the dashboard and nothing else by default', () => {
    expect(PROTECTED_PATH_PREFIXES).toEqual(['/dashboard']);
  });

  it.each([['/dashboard'], ['/dashboard/'], ['/dashboard/admin'], ['/dashboard/admin/users/user_01']])(
    'protects %j',
    (pathname) => {
      expect(isProtectedPath(pathname)).toBe(true);
    },
  );

  it.each([
    ['/'],
    ['/dashboardx'],
    ['/dashboard-public'],
    ['/dashboard.json'],
    ['/Dashboard'],
    ['/auth/sign-in'],
    ['/auth/error'],
    ['/api/auth/callback'],
    ['/public/dashboard'],
    [''],
  ])('leaves %j public', (pathname) => {
    expect(isProtectedPath(pathname)).toBe(false);
  });
});
