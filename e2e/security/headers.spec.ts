/**
 * Case 18 and the CSP/hydration check: security and cache headers on every kind
 * of response, and no token or sealed value in any body, URL or log line.
 */
import { expect, mockUrl, test } from '../fixtures';
import {
  SESSION_COOKIE,
  apiSignIn,
  authorizeAtMock,
  newContext,
  newUser,
  nowSeconds,
  resignedToken,
  seal,
  startDedicatedApp,
  startSignIn,
  unseal,
  withCookie,
} from './support';

/**
 * The Content-Security-Policy each kind of response carries, written out: a page the proxy renders (a
 * fresh nonce for scripts and styles), a route outside the proxy (the callback: nothing may run), a
 * path that looks like a file (its 404 page: its own styles and images, no script).
 */
const NONCE = "'nonce-([A-Za-z0-9+/]{22}==)'";
const CSP = {
  page: () =>
    new RegExp(
      `^default-src 'self'; script-src 'self' ${NONCE} 'strict-dynamic'; style-src 'self' ${NONCE}; img-src 'self' data: https:; ` +
        `font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self' ${escapeRegExp(new URL(mockUrl()).origin)}; ` +
        "frame-ancestors 'none'$",
    ),
  'locked-down': () => /^default-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/,
  static: () =>
    /^default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/,
};
type CspKind = keyof typeof CSP;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every security header the app sends, by exact value. */
function expectSecurityHeaders(headers: Record<string, string>, label: string, csp: CspKind) {
  const policy = headers['content-security-policy'] ?? '';
  expect(policy, label).toMatch(CSP[csp]());
  if (csp === 'page') {
    // One nonce for scripts and styles, fresh per response (checked across responses in 18a).
    const [, scriptNonce, styleNonce] = CSP.page().exec(policy) ?? [];
    expect(styleNonce, label).toBe(scriptNonce);
  }
  expect(headers['x-content-type-options'], label).toBe('nosniff');
  expect(headers['referrer-policy'], label).toBe('strict-origin-when-cross-origin');
  expect(headers['x-frame-options'], label).toBe('DENY');
  expect(headers['cross-origin-opener-policy'], label).toBe('same-origin');
  expect(headers['permissions-policy'], label).toBe('camera=(), microphone=(), geolocation=(), payment=(), usb=()');
  expect(headers['strict-transport-security'], label).toBe('max-age=63072000; includeSubDomains');
  expect(headers['x-powered-by'], label).toBeUndefined();
}

/**
 * The Cache-Control each kind of response carries: the proxy's own (session/cookies.ts) on what it
 * answers or renders; authkit's on the callback's redirects; Next's on the 404 page it renders.
 */
const CACHE_CONTROL = {
  proxy: 'private, no-store, max-age=0',
  callback: 'private, no-cache, no-store, must-revalidate, max-age=0',
  'not-found': 'private, no-cache, no-store, max-age=0, must-revalidate',
};
type CacheKind = keyof typeof CACHE_CONTROL;

/** Never stored by a shared cache, and (unless Next overwrites Vary) keyed on the Cookie header. */
function expectPrivateNoStore(headers: Record<string, string>, label: string, { vary = true, cache = 'proxy' as CacheKind } = {}) {
  expect(headers['cache-control'], label).toBe(CACHE_CONTROL[cache]);
  if (vary)
    expect(
      (headers['vary'] ?? '').split(',').map((value) => value.trim().toLowerCase()),
      label,
    ).toContain('cookie');
}

test('18a. security and cache headers on pages, RSC payloads, redirects, route handlers, the callback and 404s', async ({ mock }) => {
  const user = await newUser(mock, 'headers18');
  const browser = await newContext();
  const { cookie, response: callbackSuccess } = await apiSignIn(browser, user.email);
  expectSecurityHeaders(callbackSuccess.headers(), 'callback success', 'locked-down');
  expectPrivateNoStore(callbackSuccess.headers(), 'callback success', { cache: 'callback' });

  const cases: Array<{
    label: string;
    path: string;
    cookie?: string;
    headers?: Record<string, string>;
    status: number;
    vary?: boolean;
    csp?: CspKind;
    cache?: CacheKind;
  }> = [
    // Next 16 overwrites Vary on app pages (app-page-runtime setHeader); no-store keeps them out of every cache.
    { label: 'home, signed in', path: '/', cookie, status: 200, vary: false },
    { label: 'dashboard, signed in', path: '/dashboard', cookie, status: 200, vary: false },
    // RSC payloads and prefetches are checked in 18b, from the requests the browser's router really makes.
    { label: 'error page', path: '/auth/error?code=invalid_state&ref=abc', status: 200, vary: false },
    { label: 'protected redirect, signed out', path: '/dashboard', status: 307 },
    { label: 'sign-in route (sets verifier cookie)', path: '/auth/sign-in', status: 303 },
    { label: 'sign-in route, signed in', path: '/auth/sign-in', cookie, status: 303 },
    // Outside the proxy: the locked-down policy.
    { label: 'callback error', path: '/api/auth/callback?code=x&state=y', status: 303, csp: 'locked-down', cache: 'callback' },
    { label: '404 page, signed in', path: '/no-such-page', cookie, status: 404, vary: false, cache: 'not-found' },
    // Deny by default: an unknown path is not public, so a visitor is sent to sign-in (not told it is missing).
    { label: 'unknown path, signed out', path: '/no-such-page', status: 307 },
  ];
  const nonces = new Set<string>();
  for (const { label, path, cookie: value, headers, status, vary, csp = 'page', cache } of cases) {
    const answer = await withCookie(path, value, { headers });
    expect(answer.status, label).toBe(status);
    expectSecurityHeaders(answer.headers, label, csp);
    if (csp === 'page') nonces.add(CSP.page().exec(answer.headers['content-security-policy'] ?? '')?.[1] ?? '');
    expectPrivateNoStore(answer.headers, label, { vary, cache });
  }
  // Rendered outside the proxy: still a CSP, no cookie.
  const missing = await withCookie('/missing.png', undefined);
  expect(missing.status).toBe(404);
  // Every page got its own nonce.
  expect(nonces.size).toBe(cases.filter((c) => (c.csp ?? 'page') === 'page').length);
  expectSecurityHeaders(missing.headers, '/missing.png', 'static');
  expect(missing.setCookies).toEqual([]);
  // Public pages for a visitor set no cookie.
  for (const path of ['/', '/auth/error?code=access_denied&ref=x']) {
    expect((await withCookie(path, undefined)).setCookies, path).toEqual([]);
  }
  await browser.dispose();
});

test('18e. a nonce sent by the client (x-nonce, a request CSP or report-only CSP) never reaches any HTML, inside the proxy or outside it', async () => {
  // Next takes the nonce for its scripts from the request's CSP header (or the report-only one): only the proxy's may count.
  const attempts: Array<Record<string, string>> = [
    { 'x-nonce': 'attackerxn', 'content-security-policy': "script-src 'nonce-attackercsp'" },
    { 'x-nonce': 'attackerxn', 'content-security-policy-report-only': "script-src 'nonce-attackerro'" },
  ];
  // Outside the proxy (paths that look like files: their 404 page) and inside it (public pages).
  const statuses = {
    '/missing.png': 404,
    '/x.json': 404,
    '/dashboard/admin.txt': 404,
    '/': 200,
    '/auth/error?code=access_denied&ref=x': 200,
  };
  for (const headers of attempts) {
    for (const [path, status] of Object.entries(statuses)) {
      const answer = await withCookie(path, undefined, { headers });
      const label = `${path} with ${Object.keys(headers).join(', ')}`;
      expect(answer.status, label).toBe(status);
      expect(answer.body, label).toMatch(/<html/);
      expect(answer.body, label).not.toContain('attacker');
      expect(answer.headers['content-security-policy'] ?? '', label).not.toContain('attacker');
    }
  }
});

test('18b. the nonce CSP lets home, dashboard and error page hydrate with no CSP violation', async ({ page, mock }) => {
  const user = await newUser(mock, 'csp');
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (load|execute|apply)/i.test(message.text())) violations.push(message.text());
  });
  await apiSignIn(page.request, user.email);
  for (const path of ['/', '/dashboard', '/auth/error?code=access_denied&ref=x']) {
    await page.goto(path);
    // Hydrated: the client router handles a Link click without a full page load.
    await expect(page.locator('body')).toBeVisible();
    await page.waitForFunction(() => document.readyState === 'complete');
  }
  // Hydrated: client-side navigation fetches RSC payloads (and prefetches) instead of documents.
  const payloads: Array<{ url: string; headers: Record<string, string> }> = [];
  page.on('response', (response) => {
    if (response.request().headers()['rsc'] === '1') payloads.push({ url: response.url(), headers: response.headers() });
  });
  await page.goto('/');
  await page.getByRole('link', { name: 'Go to your dashboard' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByRole('link', { name: 'AuthKit Starter' }).click();
  await expect(page).toHaveURL(/\/$/);
  expect(violations).toEqual([]);
  expect(payloads.length).toBeGreaterThan(0);
  for (const payload of payloads) {
    expectSecurityHeaders(payload.headers, `RSC ${payload.url}`, 'page');
    expectPrivateNoStore(payload.headers, `RSC ${payload.url}`, { vary: false });
  }
});

test('18c. no token, code, sealed cookie or refresh token in any HTML, RSC payload, URL or server log line', async ({ mock }) => {
  // A dedicated server with the suite's build and environment, so its output can be read.
  const server = await startDedicatedApp();
  try {
    const base = server.url;
    const user = await newUser(mock, 'leaks');
    const browser = await newContext();
    const seen: string[] = [];
    const record = async (response: { url(): string; headersArray(): Array<{ name: string; value: string }>; text(): Promise<string> }) => {
      seen.push(
        response.url(),
        ...response
          .headersArray()
          .filter((h) => h.name.toLowerCase() === 'location')
          .map((h) => h.value),
        await response.text(),
      );
    };
    // Sign in against the dedicated server (the redirect URI names the main port; the callback is replayed on ours).
    const flow = await startSignIn(browser);
    const callback = await authorizeAtMock(browser, flow.authorizeUrl, user.email);
    const code = callback.searchParams.get('code') ?? '';
    const landed = await browser.get(`${base}/api/auth/callback${callback.search}`, { maxRedirects: 0 });
    expect(landed.status()).toBe(307);
    await record(landed);
    const sealed = (await browser.storageState()).cookies.find((c) => c.name === SESSION_COOKIE)?.value ?? '';
    const session = await unseal(sealed);
    // Pages, payloads, a refresh, failures.
    for (const [path, headers] of [
      ['/', {}],
      ['/dashboard', {}],
      ['/dashboard?_rsc=sec3', { rsc: '1' }],
      ['/dashboard/admin', {}],
    ] as const) {
      await record(await browser.get(`${base}${path}`, { headers, maxRedirects: 0 }));
    }
    const replay = await browser.get(`${base}/api/auth/callback${callback.search}`, { maxRedirects: 0 });
    await record(replay);
    const expired = await seal({ ...session, accessToken: await resignedToken(mock, session.accessToken, { exp: nowSeconds() - 1 }) });
    const refreshed = await browser.get(`${base}/dashboard`, { headers: { cookie: `${SESSION_COOKIE}=${expired}` }, maxRedirects: 0 });
    expect(refreshed.status()).toBe(200);
    await record(refreshed);
    const after = await unseal(
      refreshed
        .headersArray()
        .find((h) => h.name.toLowerCase() === 'set-cookie' && h.value.startsWith(`${SESSION_COOKIE}=`))
        ?.value.split(';')[0]
        ?.slice(SESSION_COOKIE.length + 1) ?? '',
    );
    await mock.injectFault({
      endpoint: 'authenticate',
      match: { userId: user.id, grantType: 'refresh_token' },
      action: { type: 'status', status: 400, body: { error: 'invalid_grant', error_description: 'injected' } },
    });
    const expiredAgain = await seal({ ...after, accessToken: await resignedToken(mock, after.accessToken, { exp: nowSeconds() - 1 }) });
    await record(await browser.get(`${base}/dashboard`, { headers: { cookie: `${SESSION_COOKIE}=${expiredAgain}` }, maxRedirects: 0 }));
    await record(
      await browser.get(`${base}/dashboard`, { headers: { cookie: `${SESSION_COOKIE}=Fe26.2*1*aa*bb*cc*dd*ee*ff` }, maxRedirects: 0 }),
    );

    const secrets = {
      'access token': session.accessToken,
      'refresh token': session.refreshToken,
      'refreshed access token': after.accessToken,
      'refreshed refresh token': after.refreshToken,
      'sealed cookie': sealed,
      'authorization code': code,
    };
    const everything = seen.join('\n');
    const pages = seen.slice(1).join('\n'); // the first entry is the callback URL itself, which carries the code by design
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret.length, name).toBeGreaterThan(10);
      if (name !== 'authorization code') expect(everything.includes(secret), `${name} in a response or URL`).toBe(false);
      else expect(pages.replace(callback.search, '').includes(secret), `${name} in a page`).toBe(false);
      expect(server.output().includes(secret), `${name} in the server log`).toBe(false);
      // A recognisable fragment (e.g. a token's signature) must not appear either.
      expect(server.output().includes(secret.slice(-24)), `${name} tail in the server log`).toBe(false);
    }
    expect(server.output()).not.toMatch(/uncaughtException|unhandledRejection/i);
    await browser.dispose();
  } finally {
    await server.stop();
  }
});

test('18d. the verifier cookies of abandoned sign-ins stay bounded (no self-inflicted 431)', async () => {
  const browser = await newContext();
  for (let i = 0; i < 12; i += 1) await startSignIn(browser);
  const verifiers = (await browser.storageState()).cookies.filter((c) => c.name.startsWith('wos-auth-verifier'));
  // One at a time, each start sees the ones before it: the newest 5 are kept (MAX_PENDING_SIGN_INS).
  expect(verifiers).toHaveLength(5);
  expect((await browser.get('/', { headers: { accept: 'text/html' } })).status()).toBe(200);
  await browser.dispose();
});
