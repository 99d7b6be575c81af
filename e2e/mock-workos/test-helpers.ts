/**
 * Drives the hosted sign-in like a browser would (GET authorize, read the
 * form, POST it, stop at the redirect), for the mock's own tests.
 */
import { createHash, randomBytes } from 'node:crypto';
import { WorkOS } from '@workos-inc/node';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { MockWorkOSControl } from './control-client.ts';
import { MOCK_DEFAULTS, defaultRedirectUri } from './defaults.ts';
import { createMockWorkOSHandlers } from './handlers/index.ts';
import { DEMO_PASSWORD, SEED_ORGANIZATION_IDS, SEED_USER_IDS } from './seed.ts';
import { createMockWorkOSStore, startMockWorkOS, type RunningMockWorkOS } from './server.ts';
import type { Clock, MockWorkOSStore } from './store.ts';

/** The mock's own defaults (`npm run mock`), so these tests configure it as a developer would. */
export const CLIENT_ID: string = MOCK_DEFAULTS.clientId;
export const API_KEY: string = MOCK_DEFAULTS.apiKey;
export const REDIRECT_URI = defaultRedirectUri();

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

/** The sign-in page's password form, posted for the pending sign-in `requestId`. */
export const postPasswordForm = (baseUrl: string, requestId: string, email: string, password: string) =>
  postForm(`${baseUrl}/authkit/password`, { authorization_request: requestId, email, password });

/** GET authorize and follow the mock's own redirect to its sign-in (or sign-up) page. */
export function openSignInPage(baseUrl: string, pkce: Pkce | null, extra: Record<string, string> = {}) {
  return openSignInPageAt(authorizeUrl(baseUrl, pkce, extra));
}

/** The same from any authorize URL (the SDK's getAuthorizationUrl, say). */
async function openSignInPageAt(url: string) {
  const authorize = await fetch(url, { redirect: 'manual' });
  expect(authorize.status).toBe(302);
  const pageUrl = authorize.headers.get('location') ?? '';
  expect(pageUrl.startsWith(`${new URL(url).origin}/authkit/`)).toBe(true);
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

/** The code of a redirect back to the app ('' when it carries none, e.g. an error). */
export const callbackCode = (response: Response) => callbackParams(response).get('code') ?? '';

/** Full password sign-in through the pages; returns the code from the callback. */
export function signInWithPassword(
  baseUrl: string,
  email: string,
  password: string,
  pkce: Pkce | null,
  extra: Record<string, string> = {},
) {
  return signInWithPasswordAt(authorizeUrl(baseUrl, pkce, extra), email, password);
}

/** The same from any authorize URL. */
export async function signInWithPasswordAt(url: string, email: string, password: string) {
  const { requestId } = await openSignInPageAt(url);
  const response = await postPasswordForm(new URL(url).origin, requestId, email, password);
  const params = callbackParams(response);
  const code = params.get('code');
  if (!code) throw new Error(`no code in callback: ${params.toString()}`);
  return { code, state: params.get('state') };
}

/** A seeded (or created) account signed in with the demo password and its code exchanged through the SDK. */
export async function authenticateWithDemoPassword(
  workos: WorkOS,
  baseUrl: string,
  email: string,
  { pkce = createPkce(), extra = {} }: { pkce?: Pkce; extra?: Record<string, string> } = {},
) {
  const { code } = await signInWithPassword(baseUrl, email, DEMO_PASSWORD, pkce, extra);
  return workos.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code, codeVerifier: pkce.verifier });
}

/**
 * A clock for the store that a test moves forward instead of waiting (a code
 * past its lifetime, a replay window closed): set `offsetMs`; it is back to 0
 * before each test.
 */
export function useTestClock(): { now: Clock; offsetMs: number } {
  const clock = { offsetMs: 0, now: () => Date.now() + clock.offsetMs };
  beforeEach(() => {
    clock.offsetMs = 0;
  });
  return clock;
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
export function useRunningMock({ clock }: { clock?: Clock } = {}): RunningTestMock {
  const running = {} as RunningTestMock;
  beforeAll(async () => {
    running.mock = await startMockWorkOS({ port: 0, clientId: CLIENT_ID, apiKey: API_KEY, redirectUris: [REDIRECT_URI], clock });
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

/** WorkOS' real origin, where {@link useMockOnWorkOSOrigin} serves the mock. */
export const WORKOS_ORIGIN = 'https://api.workos.com';

export interface MockOnWorkOSOrigin {
  store: MockWorkOSStore;
  workos: WorkOS;
  /** Exchanges the code a hosted page's redirect carries, with the verifier of the sign-in's challenge: what the app receives. */
  redeem: (response: Response, pkce: Pkce) => ReturnType<WorkOS['userManagement']['authenticateWithCode']>;
}

/**
 * The mock's handlers on WorkOS' real origin through msw in this process, with the real SDK, for one
 * test file: listening before its tests, reset to the seed before each, closed after. As with
 * {@link useRunningMock}, read its fields inside tests.
 */
export function useMockOnWorkOSOrigin({ clock }: { clock?: Clock } = {}): MockOnWorkOSOrigin {
  const server = setupServer();
  const mock = {
    redeem: (response: Response, pkce: Pkce) =>
      mock.workos.userManagement.authenticateWithCode({ clientId: CLIENT_ID, code: callbackCode(response), codeVerifier: pkce.verifier }),
  } as MockOnWorkOSOrigin;
  beforeAll(async () => {
    mock.store = await createMockWorkOSStore({ clientId: CLIENT_ID, apiKey: API_KEY, redirectUris: [REDIRECT_URI], clock });
    server.use(...createMockWorkOSHandlers(mock.store, { origin: WORKOS_ORIGIN }));
    server.listen({ onUnhandledFrame: 'error' });
    // Created after listen(): the SDK keeps a reference to the fetch it finds at construction.
    mock.workos = new WorkOS(API_KEY, { clientId: CLIENT_ID, maxRetries: 0 });
  });
  beforeEach(() => mock.store.reset());
  afterAll(() => server.close());
  return mock;
}

/** What a call rejected with (fails the test if it resolved). */
export async function rejection(call: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await call;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}

/** A change that appends one `organization_membership.updated` event: member@example.com's role in Acme, through the SDK. */
export async function changeSeedMemberRole(workos: WorkOS, role: string) {
  const memberships = await workos.userManagement.listOrganizationMemberships({
    userId: SEED_USER_IDS.member,
    organizationId: SEED_ORGANIZATION_IDS.acme,
  });
  const [membership] = memberships.data;
  if (!membership) throw new Error('member@example.com is not in Acme');
  return workos.userManagement.updateOrganizationMembership(membership.id, { roleSlug: role });
}
