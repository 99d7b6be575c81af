import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isApiPath, isBearerApiPath, isPagePath, isPossibleServerAction, isPublicPath } from './route-access';

describe('isPublicPath (deny by default)', () => {
  it.each([
    ['/'],
    ['/auth/sign-in'],
    ['/auth/sign-up'],
    ['/auth/error'],
    ['/api/auth/callback'],
    ['/_not-found'],
    ['/api/webhooks/workos'], // demo:line webhooks
  ])('%j is public', (pathname) => {
    expect(isPublicPath(pathname)).toBe(true);
  });

  it.each([
    ['/dashboard'],
    ['/dashboard/admin'],
    ['/settings'],
    ['/settings/profile'],
    ['/api/me'],
    ['/api/auth/callbackx'],
    // demo:start webhooks
    // Only WorkOS' own webhook route is public (its signature is the proof), nothing else under /api/webhooks.
    ['/api/webhooks'],
    ['/api/webhooks/workos/'],
    ['/api/webhooks/workos/x'],
    ['/api/webhooks/stripe'],
    // demo:end webhooks
    ['/auth'],
    ['/authx/sign-in'],
    ['/does-not-exist'],
    ['//'],
    [''],
  ])('%j needs a session', (pathname) => {
    expect(isPublicPath(pathname)).toBe(false);
  });
});

describe('isBearerApiPath (routes that check a Bearer token themselves)', () => {
  it.each([['/api/projects'], ['/api/v1/organization']])('%j is one (it checks its own Bearer credential)', (pathname) =>
    expect(isBearerApiPath(pathname)).toBe(true),
  );
  it.each([
    ['/api/projects/'],
    ['/api/projects/1'],
    ['/api/projectsx'],
    ['/api/me'],
    ['/projects'],
    ['/API/projects'],
    ['/api/v1'],
    ['/api/v1/organizations'],
  ])('%j is not', (pathname) => expect(isBearerApiPath(pathname)).toBe(false));
  it('is not public: nothing but the route itself authenticates it', () => expect(isPublicPath('/api/projects')).toBe(false));
});

describe('isApiPath', () => {
  it.each([['/api'], ['/api/me'], ['/api/things/1']])('%j is an API route', (pathname) => expect(isApiPath(pathname)).toBe(true));
  it.each([['/apix'], ['/dashboard/api'], ['/']])('%j is not', (pathname) => expect(isApiPath(pathname)).toBe(false));
});

describe('isPagePath mirrors the first matcher of proxy.ts', () => {
  const source = readFileSync(new URL('../../../proxy.ts', import.meta.url), 'utf8');
  const literal = /'(\/\(\(\?!api\/auth\/callback[^']+)'/.exec(source)?.[1] ?? '';
  // Next compiles the matcher to an anchored regexp; the literal escapes its backslashes.
  const matcher = new RegExp(`^${literal.replaceAll('\\\\', '\\')}$`);

  it('finds the matcher in proxy.ts', () => expect(literal).toContain('_next/static'));

  it.each([
    ['/'],
    ['/dashboard'],
    ['/dashboard/admin'],
    ['/api/me'],
    ['/auth/sign-in'],
    ['/_next/data/x'],
    ['/missing.png'],
    ['/x.json'],
    ['/dashboard.rsc'],
    ['/dashboard/admin.txt'],
    ['/_next/static/chunks/a.js'],
    ['/_next/static/missing'],
    ['/_next/image'],
    ['/api/auth/callback'],
    ['/bench-control'],
  ])('%j', (pathname) => {
    expect(isPagePath(pathname)).toBe(matcher.test(pathname));
  });
});

describe('isPossibleServerAction', () => {
  const request = (method: string, headers: Record<string, string>) => ({ method, headers: new Headers(headers) });
  it('is true for what Next runs as an action', () => {
    expect(isPossibleServerAction(request('POST', { 'next-action': 'abc' }))).toBe(true);
    expect(isPossibleServerAction(request('POST', { 'content-type': 'multipart/form-data; boundary=x' }))).toBe(true);
  });
  it('is false otherwise', () => {
    expect(isPossibleServerAction(request('GET', { 'next-action': 'abc' }))).toBe(false);
    expect(isPossibleServerAction(request('POST', { 'content-type': 'application/json' }))).toBe(false);
    expect(isPossibleServerAction(request('GET', { 'content-type': 'multipart/form-data' }))).toBe(false);
  });
});
