/**
 * Helpers for the security suite: drive the sign-in flow over HTTP (no
 * browser), and seal or unseal session cookies with the e2e cookie password
 * the way an attacker who knew it, or a test, would.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, request as playwrightRequest, type APIRequestContext, type APIResponse } from '@playwright/test';
import { sealData, unsealData } from 'iron-session';
import { decodeJwt } from 'jose';
import type { MockWorkOSControl } from '../mock-workos/control-client';
import { DEMO_PASSWORD, SEED_ORGANIZATION_IDS } from '../mock-workos/seed';
import { SESSION_COOKIE, mockUrl, type SealedSession } from '../fixtures';
import { E2E_API_KEY, E2E_CLIENT_ID, E2E_COOKIE_PASSWORD, appEnv } from '../support/env';
import { freePort } from '../support/ports';

// Shared with the main e2e suite; re-exported so the security specs import from one place.
export { SESSION_COOKIE, type SealedSession } from '../fixtures';
const HTML = { accept: 'text/html' };

export function appUrl(): string {
  return `http://localhost:${process.env.E2E_APP_PORT}`;
}

/** A context with its own, empty cookie jar (on the suite's app server unless `baseURL` says otherwise). */
export function newContext(baseURL = appUrl()): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL });
}

export async function newUser(mock: MockWorkOSControl, label: string): Promise<{ id: string; email: string }> {
  const email = `sec-${label}-${randomUUID().slice(0, 8)}@example.com`;
  const { user } = await mock.createUser({
    email,
    password: DEMO_PASSWORD,
    firstName: 'Sec',
    lastName: label,
    memberships: [{ organizationId: SEED_ORGANIZATION_IDS.acme, role: 'member' }],
  });
  return { id: user.id, email };
}

export const location = (response: APIResponse): string => response.headers()['location'] ?? '';

/** GET /auth/sign-in: the 303 to AuthKit; the verifier cookie lands in the context's jar. */
export async function startSignIn(
  request: APIRequestContext,
  query = '',
): Promise<{ authorizeUrl: URL; state: string; response: APIResponse }> {
  const response = await request.get(`/auth/sign-in${query}`, { maxRedirects: 0, headers: HTML });
  expect(response.status()).toBe(303);
  const authorizeUrl = new URL(location(response));
  return { authorizeUrl, state: authorizeUrl.searchParams.get('state') ?? '', response };
}

/** Completes the hosted password sign-in at the mock; returns the callback URL (not followed). */
export async function authorizeAtMock(
  request: APIRequestContext,
  authorizeUrl: URL,
  email: string,
  password = DEMO_PASSWORD,
): Promise<URL> {
  const page = await request.get(authorizeUrl.toString(), { maxRedirects: 0 });
  expect(page.status(), page.status() === 302 ? '' : (await page.text()).replace(/<[^>]+>/g, ' ').slice(0, 400)).toBe(302);
  const pageUrl = new URL(location(page));
  const submit = await request.post(new URL('/authkit/password', pageUrl).toString(), {
    form: { authorization_request: pageUrl.searchParams.get('authorization_request') ?? '', email, password },
    maxRedirects: 0,
  });
  expect(submit.status()).toBe(302);
  return new URL(location(submit));
}

export async function cookieValue(request: APIRequestContext, name = SESSION_COOKIE): Promise<string | undefined> {
  return (await request.storageState()).cookies.find((cookie) => cookie.name === name)?.value;
}

/**
 * The full flow over HTTP; returns the callback URL it used and the sealed session cookie. A user with
 * several organizations needs `organizationId` (without it the hosted page asks them to pick one).
 */
export async function apiSignIn(request: APIRequestContext, email: string, returnTo?: string, organizationId?: string) {
  const query = new URLSearchParams({
    ...(returnTo !== undefined && { returnTo }),
    ...(organizationId !== undefined && { organizationId }),
  });
  const { authorizeUrl } = await startSignIn(request, query.size > 0 ? `?${query}` : '');
  const callback = await authorizeAtMock(request, authorizeUrl, email);
  const response = await request.get(callback.toString(), { maxRedirects: 0 });
  expect(response.status(), await response.text()).toBe(307);
  const cookie = await cookieValue(request);
  expect(cookie).toBeTruthy();
  return { callback, response, cookie: cookie as string };
}

/**
 * One sign-in over HTTP in a cookie jar of its own, thrown away after: the sealed session cookie of `email`
 * (a user with several organizations names one, as for apiSignIn).
 */
export async function sessionCookieOf(email: string, organizationId?: string): Promise<string> {
  const browser = await newContext();
  try {
    return (await apiSignIn(browser, email, undefined, organizationId)).cookie;
  } finally {
    await browser.dispose();
  }
}

/** A new user (`newUser`) and the session cookie of one sign-in over HTTP. */
export async function newSignedInUser(mock: MockWorkOSControl, label: string) {
  const user = await newUser(mock, label);
  return { user, cookie: await sessionCookieOf(user.email) };
}

export function unseal(value: string): Promise<SealedSession> {
  return unsealData<SealedSession>(value, { password: E2E_COOKIE_PASSWORD });
}

export function seal(session: unknown, password = E2E_COOKIE_PASSWORD): Promise<string> {
  return sealData(session, { password, ttl: 0 });
}

/** A request with exactly this session cookie (and nothing from a jar). */
export async function withCookie(
  path: string,
  cookie: string | undefined,
  options: { headers?: Record<string, string>; method?: 'GET' | 'HEAD'; baseURL?: string } = {},
) {
  const context = await newContext(options.baseURL);
  try {
    const started = Date.now();
    const response = await context.fetch(path, {
      method: options.method ?? 'GET',
      maxRedirects: 0,
      headers: { ...HTML, ...(cookie === undefined ? {} : { cookie: `${SESSION_COOKIE}=${cookie}` }), ...options.headers },
    });
    return {
      status: response.status(),
      headers: response.headers(),
      setCookies: response
        .headersArray()
        .filter((h) => h.name.toLowerCase() === 'set-cookie')
        .map((h) => h.value),
      body: await response.text(),
      elapsedMs: Date.now() - started,
    };
  } finally {
    await context.dispose();
  }
}

export type Answer = Awaited<ReturnType<typeof withCookie>>;

/** The dashboard rendered for this user: signed in. */
export function isSignedInAs(answer: Answer, userId: string): boolean {
  return answer.status === 200 && answer.body.includes(userId);
}

/** The protected route refused: a redirect to sign-in (AuthKit or our own route). */
export function expectRedirectedToSignIn(answer: Answer, label?: string): void {
  expect(answer.status, label).toBe(307);
  expect(answer.headers['location'], label).toMatch(/\/user_management\/authorize\?|\/auth\/sign-in\?/);
}

/** Not signed in and sent straight to AuthKit's hosted sign-in (authkit's own redirect). */
export function expectRedirectedToAuthKit(answer: Answer, label?: string): void {
  expect(answer.status, label).toBe(307);
  const target = new URL(answer.headers['location'] ?? '', appUrl());
  expect(`${target.origin}${target.pathname}`, label).toBe(`${mockUrl()}/user_management/authorize`);
}

/** A Set-Cookie line that deletes the session cookie (empty value or Max-Age=0). */
export const deletesSessionCookie = (setCookie: string): boolean =>
  setCookie.startsWith(`${SESSION_COOKIE}=;`) || (setCookie.startsWith(`${SESSION_COOKIE}=`) && /Max-Age=0/i.test(setCookie));

export function expectSessionCookieCleared(answer: Answer): void {
  const cleared = answer.setCookies.find(deletesSessionCookie);
  expect(cleared, `set-cookie: ${answer.setCookies.join(' | ')}`).toBeTruthy();
}

/** A signed-in user whose session cookie carries an access token that expired a second ago (re-signed with the mock's key). */
export async function expiredSessionFor(mock: MockWorkOSControl, label: string) {
  const { user, cookie } = await newSignedInUser(mock, label);
  const session = await unseal(cookie);
  const expired = await seal({
    ...session,
    accessToken: await resignedToken(mock, session.accessToken, { iat: nowSeconds() - 301, exp: nowSeconds() - 1 }),
  });
  return { user, session, expired };
}

/** A correctly signed copy of the session's access token with these claims changed. */
export async function resignedToken(mock: MockWorkOSControl, accessToken: string, changes: Record<string, unknown>): Promise<string> {
  return mock.signAccessToken({ ...decodeJwt(accessToken), ...changes });
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Straight to the mock's token endpoint, as the app would call it. */
export async function refreshAtMock(refreshToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${mockUrl()}/user_management/authenticate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'refresh_token',
      client_id: E2E_CLIENT_ID,
      client_secret: E2E_API_KEY,
      refresh_token: refreshToken,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A local server that records every request it receives (to prove nothing was fetched). */
export async function tripwire(): Promise<{ url: string; hits: string[]; close: () => Promise<void> }> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(`${request.method} ${request.url}`);
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Another `next start` of the suite's build and environment, in a fresh process: its
 * caches (authkit's JWKS client, the refresh single-flight) start empty, and its
 * stdout/stderr can be read. The redirect URI still names the main server's port.
 */
export async function startDedicatedApp(): Promise<{ url: string; output: () => string; stop: () => Promise<void> }> {
  const port = await freePort();
  const env = { ...process.env, ...appEnv({ appPort: Number(process.env.E2E_APP_PORT), mockPort: Number(new URL(mockUrl()).port) }) };
  const server = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', String(port)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
    await exited;
  };
  const url = `http://localhost:${port}`;
  try {
    // A signed-out public page: ready, and nothing verified or fetched from WorkOS yet.
    await expect
      .poll(
        async () => (await fetch(`${url}/auth/error?code=x&ref=y`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined))?.status,
        { timeout: 30_000 },
      )
      .toBe(200);
  } catch (error) {
    await stop();
    throw new Error(`dedicated next start did not become ready:\n${output.slice(-2_000)}`, { cause: error });
  }
  return { url, output: () => output, stop };
}
