/**
 * Issue #30.3, cookie tossing: a host that shares the app's registrable domain (a
 * sibling subdomain), or any response over plain http, can set a cookie the
 * browser then sends to the app beside the app's own, under the same name. Next
 * keeps one of the two. Each attack of the issue, as the browser would send it:
 *
 * - on the suite's own server (http, no prefix): two session cookies; a tossed
 *   whole session beside the victim's chunks;
 * - on a second start of the same build (https redirect URI, no cookie domain),
 *   reached as https://localhost (cookies named `__Host-…`: no other host can set
 *   them) and as http://app.localhost (an allowed loopback origin: no prefix, and
 *   a domain, app.localhost, that other hosts can set cookies on): a tossed
 *   garbage chunk; sign-out; a planted verifier with the attacker's callback URL.
 */
import { request as playwrightRequest, type APIResponse, type Route } from '@playwright/test';
import { expect, submitHostedSignIn, test } from '../fixtures';
import { HOSTED_SESSION_COOKIE } from '../mock-workos/handlers/hosted-session';
import { httpsRedirectUri } from '../support/env';
import { startExtraAppServer, type ExtraAppServer } from '../support/extra-app-server';
import {
  SESSION_COOKIE,
  authorizeAtMock,
  expectRedirectedToSignIn,
  isSignedInAs,
  newSignedInUser,
  newUser,
  withCookie,
  type Answer,
} from './support';

const port = () => Number(process.env.E2E_TOSSING_APP_PORT);
/** The second server, as browsers reach it at the allowed origin without the prefix. */
const appLocalhost = () => `app.localhost:${port()}`;

const httpsOrigin = () => `https://localhost:${port()}`;

/**
 * Answers a routed request with `response`. Playwright routes no hop of a redirect, so a redirect
 * to the https origin (which only the route serves) becomes a page that navigates there itself.
 */
async function fulfil(route: Route, response: APIResponse): Promise<void> {
  const location = response.headers()['location'] ?? '';
  if (response.status() < 300 || response.status() >= 400 || !location.startsWith(httpsOrigin())) return route.fulfill({ response });
  const headers: Record<string, string> = { ...response.headers(), 'content-type': 'text/html' };
  delete headers['location'];
  // A meta refresh: the response's CSP allows no script.
  await route.fulfill({ status: 200, headers, body: `<meta http-equiv="refresh" content="0;url=${location.replaceAll('"', '&quot;')}">` });
}

/** The session split into two chunks, as the app stores one too large for a cookie. */
function chunks(seal: string): string {
  const half = Math.ceil(seal.length / 2);
  return `${SESSION_COOKIE}.0=${seal.slice(0, half)}; ${SESSION_COOKIE}.1=${seal.slice(half)}`;
}

/** The Set-Cookie lines of `answer` that expire `name`, each by its Domain ('host-only' without one). */
function expiredCopies(answer: Answer, name: string): string[] {
  return answer.setCookies
    .filter((line) => line.startsWith(`${name}=;`) && /Expires=Thu, 01 Jan 1970/.test(line))
    .map((line) => /Domain=([^;]+)/i.exec(line)?.[1] ?? 'host-only')
    .sort();
}

/** Signed out by the tossed cookie, never shown as the attacker, on a protected page and on the home page. */
async function expectSignedOut(path: string, cookie: string, attackerId: string, options: { baseURL?: string; host?: string } = {}) {
  const headers = { cookie, ...(options.host ? { host: options.host } : {}) };
  const answer = await withCookie(path, undefined, { baseURL: options.baseURL, headers });
  expectRedirectedToSignIn(answer, cookie.slice(0, 80));
  expect(answer.body).not.toContain(attackerId);
  const home = await withCookie('/', undefined, { baseURL: options.baseURL, headers });
  expect(home.status).toBe(200);
  expect(home.body).not.toContain('Welcome back');
  return answer;
}

test('two session cookies, in either order: signed out, never signed in as the attacker, and both expired', async ({ mock }) => {
  const victim = await newSignedInUser(mock, 'toss-victim');
  const attacker = await newSignedInUser(mock, 'toss-attacker');
  for (const cookie of [
    `${SESSION_COOKIE}=${victim.cookie}; ${SESSION_COOKIE}=${attacker.cookie}`,
    `${SESSION_COOKIE}=${attacker.cookie}; ${SESSION_COOKIE}=${victim.cookie}`,
  ]) {
    const answer = await expectSignedOut('/dashboard', cookie, attacker.user.id);
    // http://localhost has no parent domain: the one copy there is is host-only.
    expect(expiredCopies(answer, SESSION_COOKIE)).toContain('host-only');
  }
  // Each cookie alone still works: what was refused is the pair.
  expect(isSignedInAs(await withCookie('/dashboard', victim.cookie), victim.user.id)).toBe(true);
});

test("a tossed whole session beside the victim's chunks: signed out, not signed in as the attacker", async ({ mock }) => {
  const victim = await newSignedInUser(mock, 'toss-chunks');
  const attacker = await newSignedInUser(mock, 'toss-chunks-attacker');
  const own = await withCookie('/dashboard', undefined, { headers: { cookie: chunks(victim.cookie) } });
  expect(isSignedInAs(own, victim.user.id)).toBe(true);
  const answer = await expectSignedOut('/dashboard', `${chunks(victim.cookie)}; ${SESSION_COOKIE}=${attacker.cookie}`, attacker.user.id);
  for (const name of [SESSION_COOKIE, `${SESSION_COOKIE}.0`, `${SESSION_COOKIE}.1`])
    expect(expiredCopies(answer, name)).toContain('host-only');
});

test.describe('on a second server: https (__Host- names) and an allowed http origin with a domain others can set cookies on', () => {
  test.describe.configure({ mode: 'serial' });
  let server: ExtraAppServer;

  test.beforeAll(async () => {
    test.setTimeout(60_000);
    server = await startExtraAppServer({
      port: port(),
      logFile: `test-results/app-server-tossing-${port()}.log`,
      env: { NEXT_PUBLIC_WORKOS_REDIRECT_URI: httpsRedirectUri(port()), APP_ALLOWED_ORIGINS: `http://${appLocalhost()}` },
    });
  });

  test.afterAll(async () => {
    await server?.stop();
  });

  test('a tossed garbage chunk signs the victim out once: every copy of the chunk is expired, host-only and Domain=app.localhost', async ({
    mock,
  }) => {
    const victim = await newSignedInUser(mock, 'toss-garbage');
    const options = { baseURL: server.url, host: appLocalhost() };
    const own = await withCookie('/dashboard', undefined, {
      baseURL: server.url,
      headers: { cookie: chunks(victim.cookie), host: appLocalhost() },
    });
    expect(isSignedInAs(own, victim.user.id)).toBe(true);
    const answer = await expectSignedOut('/dashboard', `${chunks(victim.cookie)}; ${SESSION_COOKIE}.1=garbage`, victim.user.id, options);
    for (const name of [`${SESSION_COOKIE}.0`, `${SESSION_COOKIE}.1`])
      expect(expiredCopies(answer, name)).toEqual(['app.localhost', 'host-only']);
  });

  test('sign-out also expires the copies on the parent domain (app.localhost)', async ({ mock }) => {
    const { cookie } = await newSignedInUser(mock, 'toss-signout');
    const browser = await playwrightRequest.newContext({ baseURL: server.url });
    const headers = { host: appLocalhost(), cookie: `${SESSION_COOKIE}=${cookie}` };
    const dashboard = await browser.get('/dashboard', { headers: { ...headers, accept: 'text/html' }, maxRedirects: 0 });
    expect(dashboard.status()).toBe(200);
    const actionField = /name="(\$ACTION_ID_[0-9a-f]+)"/.exec(await dashboard.text())?.[1] ?? '';
    expect(actionField).not.toBe('');
    const signedOut = await browser.post('/dashboard', {
      headers: { ...headers, origin: `http://${appLocalhost()}`, accept: 'text/html' },
      multipart: { [actionField]: '' },
      maxRedirects: 0,
    });
    expect(signedOut.status()).toBe(303);
    expect(signedOut.headers()['location']).toContain('/user_management/sessions/logout');
    const answer = {
      setCookies: signedOut.headersArray().flatMap((h) => (h.name.toLowerCase() === 'set-cookie' ? [h.value] : [])),
    } as Answer;
    expect(expiredCopies(answer, SESSION_COOKIE)).toEqual(['app.localhost', 'host-only']);
    await browser.dispose();
  });

  test("with __Host- names, an unprefixed session another host set is not read: beside the victim's, or alone", async ({ mock }) => {
    const victim = await newSignedInUser(mock, 'toss-prefix');
    const attacker = await newSignedInUser(mock, 'toss-prefix-attacker');
    const at = (cookie: string) => withCookie('/dashboard', undefined, { baseURL: server.url, headers: { cookie } });
    expect(isSignedInAs(await at(`__Host-${SESSION_COOKIE}=${victim.cookie}; ${SESSION_COOKIE}=${attacker.cookie}`), victim.user.id)).toBe(
      true,
    );
    expect(isSignedInAs(await at(`${SESSION_COOKIE}=${attacker.cookie}; __Host-${SESSION_COOKIE}=${victim.cookie}`), victim.user.id)).toBe(
      true,
    );
    await expectSignedOut('/dashboard', `${SESSION_COOKIE}=${attacker.cookie}`, attacker.user.id, { baseURL: server.url });
  });

  test('in a browser on the https origin: __Host- cookies only, and a session tossed in under the plain name changes nothing', async ({
    page,
    context,
    mock,
  }) => {
    // Every hop goes through Playwright's routing (slower than a browser on its own): room for a loaded machine.
    test.setTimeout(60_000);
    const hop = { timeout: 15_000 };
    // A TLS terminator in front of the server: the browser is on https://localhost, the server sees plain http.
    await context.route(`${httpsOrigin()}/**`, async (route) =>
      fulfil(
        route,
        await route.fetch({
          url: route
            .request()
            .url()
            .replace(/^https:/, 'http:'),
          maxRedirects: 0,
        }),
      ),
    );
    // The mock's redirects back to the app land on that origin too.
    await context.route(`${mock.baseUrl}/**`, async (route) => fulfil(route, await route.fetch({ maxRedirects: 0 })));
    const user = await newUser(mock, 'toss-browser');
    const attacker = await newSignedInUser(mock, 'toss-browser-attacker');
    // The app's cookies: the mock's hosted-page session lands on this origin too, as its responses are served here.
    const names = async () =>
      (await context.cookies())
        .map((cookie) => cookie.name)
        .filter((name) => name !== HOSTED_SESSION_COOKIE)
        .sort();

    await page.goto(`${httpsOrigin()}/auth/sign-in?returnTo=%2Fdashboard`);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible(hop);
    expect(await names()).toEqual([expect.stringMatching(/^__Host-wos-auth-verifier-[0-9a-f]{8}$/)]);
    await submitHostedSignIn(page, user.email);
    await expect(page).toHaveURL(`${httpsOrigin()}/dashboard`, hop);
    await expect(page.getByTestId('user-email')).toHaveText(user.email);
    expect(await names()).toEqual([
      `__Host-app-sign-in-context`, // demo:line sign-in-context
      `__Host-${SESSION_COOKIE}`,
    ]);

    // What a sibling subdomain (or a plain http response) can set: the name without the prefix.
    await context.addCookies([{ name: SESSION_COOKIE, value: attacker.cookie, domain: 'localhost', path: '/' }]);
    await page.reload();
    await expect(page.getByTestId('user-email')).toHaveText(user.email, hop);

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect(page).toHaveURL(`${httpsOrigin()}/`, hop);
    // Every auth cookie gone, the tossed one too (sign-out expires the session under authkit's plain name as well).
    expect(await names()).toEqual([]);
    // The home page's own requests (Next's prefetches) may still be in a route handler when the context closes,
    // which discards their fetched answers: `route.fulfill` would then throw "Fetch response has been disposed".
    await context.unrouteAll({ behavior: 'ignoreErrors' });
  });

  test("a verifier planted by another host and the attacker's callback URL do not sign the victim in as the attacker", async ({ mock }) => {
    const attacker = await newUser(mock, 'toss-verifier-attacker');
    // The attacker starts a sign-in of their own, and stops before the callback.
    const own = await playwrightRequest.newContext({ baseURL: server.url });
    const start = await own.get('/auth/sign-in', { maxRedirects: 0, headers: { accept: 'text/html' } });
    expect(start.status()).toBe(303);
    const verifier = start
      .headersArray()
      .find((h) => h.name.toLowerCase() === 'set-cookie' && /wos-auth-verifier-[^=]*=[^;]/.test(h.value));
    const [name = '', value = ''] = (verifier?.value.split(';')[0] ?? '').split('=');
    expect(value).not.toBe('');
    const callback = await authorizeAtMock(own, new URL(start.headers()['location'] ?? ''), attacker.email);
    await own.dispose();
    callback.protocol = 'http:';

    // The victim's browser holds the same verifier, set by a sibling host (which cannot use the prefix), and opens the URL.
    const planted = `${name.replace(/^__Host-/, '')}=${value}`;
    const answer = await withCookie(callback.pathname + callback.search, undefined, { baseURL: server.url, headers: { cookie: planted } });
    expect(answer.status).toBe(303);
    expect(answer.headers['location']).toMatch(/\/auth\/error\?code=missing_verifier/);
    expect(answer.setCookies.filter((line) => line.includes(`${SESSION_COOKIE}=`) && !line.includes(`${SESSION_COOKIE}=;`))).toEqual([]);
    expect(await mock.requests({ userId: attacker.id, endpoint: 'authenticate' })).toEqual([]);
    // The browser's own verifier is one no other host can set.
    expect(name).toMatch(/^__Host-wos-auth-verifier-/);
  });
});
