import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../permissions';
import { hasPermission, toClientAuth } from './read';
import { signInPath } from './route-access';
import type { AppSession, AuthUser } from './types';

const user: AuthUser = {
  id: 'user_01JTEST',
  email: 'ada@example.com',
  emailVerified: true,
  profilePictureUrl: null,
  firstName: 'Ada',
  lastName: 'Lovelace',
};

function sessionWith(overrides: Partial<AppSession> = {}): AppSession {
  return {
    user,
    sessionId: 'session_01JTEST',
    organizationId: 'org_01JTEST',
    role: 'admin',
    roles: ['admin'],
    permissions: [PERMISSIONS.manageUsers, 'reports:read'],
    entitlements: ['audit-logs'],
    featureFlags: ['new-dashboard'],
    impersonator: undefined,
    authenticationMethod: 'Password',
    accessTokenExpiresAt: new Date('2026-01-01T00:05:00.000Z'),
    accessTokenIssuedAt: new Date('2026-01-01T00:00:00.000Z'),
    authenticatedAt: new Date('2026-01-01T00:00:00.000Z'),
    ...overrides,
  };
}

describe('hasPermission', () => {
  it('is true for a granted permission', () => {
    expect(hasPermission(sessionWith(), 'users:manage')).toBe(true);
    expect(hasPermission(sessionWith(), 'reports:read')).toBe(true);
  });

  it.each([['users:man'], ['users:manage:all'], ['USERS:MANAGE'], ['users:*'], ['*'], ['']])(
    'matches exactly, so %j is not granted',
    (permission) => {
      expect(hasPermission(sessionWith(), permission)).toBe(false);
    },
  );

  it('is false when the session has no permissions, whatever the role is called', () => {
    expect(hasPermission(sessionWith({ permissions: [], role: 'admin', roles: ['admin'] }), 'users:manage')).toBe(false);
  });

  it('does not read entitlements or feature flags as permissions', () => {
    const session = sessionWith({ permissions: [], entitlements: ['users:manage'], featureFlags: ['users:manage'] });
    expect(hasPermission(session, 'users:manage')).toBe(false);
  });
});

describe('signInPath', () => {
  it('points at the sign-in route with an encoded returnTo', () => {
    expect(signInPath('/dashboard')).toBe('/auth/sign-in?returnTo=%2Fdashboard');
  });

  it.each([['/dashboard/admin?tab=users&sort=name#top'], ['/search?q=a+b c'], ['/']])(
    'carries %j back unchanged and as the only parameter',
    (returnTo) => {
      const url = new URL(signInPath(returnTo), 'https://app.example');
      expect(url.origin).toBe('https://app.example');
      expect(url.pathname).toBe('/auth/sign-in');
      expect(url.hash).toBe('');
      expect([...url.searchParams.keys()]).toEqual(['returnTo']);
      expect(url.searchParams.get('returnTo')).toBe(returnTo);
    },
  );
});

describe('toClientAuth', () => {
  it('gives the browser the session without its token expiry or sign-in method', () => {
    const session = sessionWith();
    expect(toClientAuth(session)).toEqual({
      user,
      sessionId: 'session_01JTEST',
      organizationId: 'org_01JTEST',
      role: 'admin',
      roles: ['admin'],
      permissions: [PERMISSIONS.manageUsers, 'reports:read'],
      entitlements: ['audit-logs'],
      featureFlags: ['new-dashboard'],
      impersonator: undefined,
    });
  });

  it('is `{ user: null }` when signed out', () => {
    expect(toClientAuth(null)).toEqual({ user: null });
  });
});
