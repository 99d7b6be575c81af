/**
 * Drives the hosted sign-in like a browser would (GET authorize, read the
 * form, POST it, stop at the redirect), for the mock's own tests.
 */
import { createHash, randomBytes } from 'node:crypto';
import { WorkOS } from '@workos-inc/node';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { MockWorkOSControl } from './control-client.ts';
import { startMockWorkOS, type RunningMockWorkOS } from './server.ts';

export const CLIENT_ID = 'client_01MOCKWORKOS';
export const API_KEY = 'sk_test_mock';
export const REDIRECT_URI = 'http://localhost:3000/api/auth/callback';

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** `pkce: null` sends no challenge, as a confidential client may (and authkit-nextjs 2.x did). */
export function authorizeUrl(baseUrl: string, pkce: Pkce | null, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({
    client_id: CLIENT_ID,
    ...(pkce && { code_challenge: pkce.challenge, code_challenge_method: 'S256' }),
    provider: 'authkit',
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    screen_hint: 'sign-in',
    state: 'Fe26.2**state*with~odd+chars/and=padding',
    ...extra,
  });
  return `${baseUrl}/user_management/authorize?${query}`;
}

/** The opaque authorization request id the page's forms carry. */
export function authorizationRequestId(html: string): string {
  const id = /name="authorization_request" value="([^"]+)"/.exec(html)?.[1];
  if (!id) throw new Error(`no authorization_request field in page:\n${html.slice(0, 500)}`);
  return id;
}

export const postForm = (url: string, fields: Record<string, string>) =>
  fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });

/** GET authorize and follow the mock's own redirect to its sign-in (or sign-up) page. */
export async function openSignInPage(baseUrl: string, pkce: Pkce | null, extra: Record<string, string> = {}) {
  const authorize = await fetch(authorizeUrl(baseUrl, pkce, extra), { redirect: 'manual' });
  expect(authorize.status).toBe(302);
  const pageUrl = authorize.headers.get('location') ?? '';
  expect(pageUrl.startsWith(`${baseUrl}/authkit/`)).toBe(true);
  const page = await fetch(pageUrl);
  const html = await page.text();
  return { status: page.status, html, requestId: authorizationRequestId(html) };
}

/** The app-side view of a redirect back to the redirect URI. */
export function callbackParams(response: Response): URLSearchParams {
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
  return location.searchParams;
}

/** Full password sign-in through the pages; returns the code from the callback. */
export async function signInWithPassword(
  baseUrl: string,
  email: string,
  password: string,
  pkce: Pkce | null,
  extra: Record<string, string> = {},
) {
  const { requestId } = await openSignInPage(baseUrl, pkce, extra);
  const response = await postForm(`${baseUrl}/authkit/password`, { authorization_request: requestId, email, password });
  const params = callbackParams(response);
  const code = params.get('code');
  if (!code) throw new Error(`no code in callback: ${params.toString()}`);
  return { code, state: params.get('state') };
}

export interface RunningTestMock {
  mock: RunningMockWorkOS;
  control: MockWorkOSControl;
  workos: WorkOS;
}

/**
 * A real mock WorkOS over HTTP for one test file: started on a free port before
 * its tests, reset to the seed before each, closed after. beforeAll fills the
 * returned object in, so read its fields inside tests, not at module level.
 */
export function useRunningMock(): RunningTestMock {
  const running = {} as RunningTestMock;
  beforeAll(async () => {
    running.mock = await startMockWorkOS({ port: 0, clientId: CLIENT_ID, apiKey: API_KEY, redirectUris: [REDIRECT_URI] });
    running.control = new MockWorkOSControl(running.mock.url);
    running.workos = new WorkOS(API_KEY, {
      clientId: CLIENT_ID,
      apiHostname: '127.0.0.1',
      port: running.mock.port,
      https: false,
      maxRetries: 0,
    });
  });
  beforeEach(() => running.control.reset());
  afterAll(() => running.mock.close());
  return running;
}
