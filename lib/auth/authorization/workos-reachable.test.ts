import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NextRequest } from 'next/server';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { assertAuthConfig } from '../config/env';
import { checkWorkOSInDevelopment, workosAnswers } from './workos-reachable';

let server: Server;
let answering: string;
let closed: string;
let authorizationRoute: typeof import('./route').authorizationRoute;

beforeAll(async () => {
  server = createServer((_request, response) => response.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  answering = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const spare = createServer();
  await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
  closed = `http://127.0.0.1:${(spare.address() as AddressInfo).port}`;
  await new Promise((resolve) => spare.close(resolve));
  // The sign-in route of a development server whose WorkOS host refuses connections: a fresh copy, loaded before the tests.
  vi.resetModules();
  vi.doMock('../config/env', async (original) => ({
    ...(await original<typeof import('../config/env')>()),
    getAuthConfig: () => configFor(closed, 'development'),
  }));
  ({ authorizationRoute } = await import('./route'));
  vi.doUnmock('../config/env');
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
afterEach(() => vi.restoreAllMocks());

const configFor = (origin: string, NODE_ENV: string) => {
  const { hostname, port } = new URL(origin);
  return assertAuthConfig({
    WORKOS_CLIENT_ID: 'client_01TEST',
    WORKOS_API_KEY: 'sk_test_x',
    WORKOS_COOKIE_PASSWORD: 'p'.repeat(32),
    NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'http://localhost:3000/api/auth/callback',
    WORKOS_API_HOSTNAME: hostname,
    WORKOS_API_PORT: port,
    WORKOS_API_HTTPS: 'false',
    NODE_ENV,
  });
};

describe('workosAnswers', () => {
  it('is true for a host that answers with any status, false for a refused connection', async () => {
    expect(await workosAnswers(answering)).toBe(true);
    expect(await workosAnswers(closed)).toBe(false);
  });

  it('gives up on a host that accepts the connection but never answers within the bound (1 s)', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const started = Date.now();
    expect(await workosAnswers(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`)).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_500);
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('does not ask a host that answered again for 10 s (9,999 ms is the last moment it is not asked)', async () => {
    const fetches = vi.spyOn(globalThis, 'fetch');
    const asked = () => fetches.mock.calls.filter(([url]) => String(url) === answering).length;
    vi.useFakeTimers({ toFake: ['Date'], now: 1_800_000_000_000 });
    try {
      expect(await workosAnswers(answering)).toBe(true);
      expect(asked()).toBe(1);
      vi.setSystemTime(1_800_000_009_999);
      expect(await workosAnswers(answering)).toBe(true);
      expect(asked()).toBe(1);
      vi.setSystemTime(1_800_000_010_000);
      expect(await workosAnswers(answering)).toBe(true);
      expect(asked()).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('checkWorkOSInDevelopment', () => {
  it('in development, a mock that is not running gets a 503 page naming the host and how to start the mock, and one log line', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const response = await checkWorkOSInDevelopment(configFor(closed, 'development'), '/auth/sign-in?returnTo=%2Fprojects&x=1');
    expect(response?.status).toBe(503);
    expect(response?.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response?.headers.get('cache-control')).toBe('no-store');
    const page = await response!.text();
    expect(page).toContain('<h1>WorkOS is not answering</h1>');
    expect(page).toContain(`Sign-in goes to <code>${closed}</code>`);
    expect(page).toContain('<code>npm run mock</code>');
    expect(page).toContain('<code>npm run dev:mock</code>');
    expect(page).toContain('<a href="/auth/sign-in?returnTo=%2Fprojects&amp;x=1">Try again</a>');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(JSON.parse(String(warn.mock.calls[0]![0]))).toMatchObject({ level: 'warn', event: 'workos_unreachable', origin: closed });
  });

  it('lets sign-in go on when the host answers, and never checks outside development', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    expect(await checkWorkOSInDevelopment(configFor(answering, 'development'), '/auth/sign-in')).toBeUndefined();
    expect(await checkWorkOSInDevelopment(configFor(closed, 'production'), '/auth/sign-in')).toBeUndefined();
    expect(fetchSpy.mock.calls.every(([url]) => String(url) !== closed)).toBe(true);
  });

  it('names no mock for the real WorkOS host', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('fetch failed'));
    const config = {
      ...configFor(closed, 'development'),
      api: { ...configFor(closed, 'development').api, origin: 'https://api.workos.com', isLoopback: false },
    };
    const page = await (await checkWorkOSInDevelopment(config, '/auth/sign-in'))!.text();
    expect(page).toContain('Sign-in goes to <code>https://api.workos.com</code>');
    expect(page).toContain('network connection');
    expect(page).not.toContain('npm run mock');
  });
});

describe('the sign-in route on a loopback alias of the configured origin', () => {
  it.each(['127.0.0.1:3000', '[::1]:3000'])(
    '%s: 307 to the same path and query on http://localhost:3000, before anything else',
    async (host) => {
      for (const intent of ['sign-in', 'sign-up'] as const) {
        const request = new NextRequest(`http://${host}/auth/${intent}?returnTo=%2Fprojects%3Fsort%3Dname`, { headers: { host } });
        const response = await authorizationRoute(intent)(request);
        expect(response.status).toBe(307);
        expect(response.headers.get('location')).toBe(`http://localhost:3000/auth/${intent}?returnTo=%2Fprojects%3Fsort%3Dname`);
        expect(response.headers.getSetCookie()).toEqual([]);
      }
    },
  );
});

describe('the sign-in route in development', () => {
  it('answers the page before any redirect to WorkOS', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const response = await authorizationRoute('sign-in')(new NextRequest('http://localhost:3000/auth/sign-in?returnTo=%2Fprojects'));
    expect(response.status).toBe(503);
    expect(response.headers.get('location')).toBeNull();
    const page = await response.text();
    expect(page).toContain(`Sign-in goes to <code>${closed}</code>`);
    // Try again: the same sign-in, as it was asked for.
    expect(page).toContain('<a href="/auth/sign-in?returnTo=%2Fprojects">Try again</a>');
  });
});
