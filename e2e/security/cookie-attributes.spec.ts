/**
 * Issue #11 D3 and "cookie deletion without its attributes": every auth cookie
 * the app or authkit sets or deletes carries the attributes the deployment
 * calls for, whatever the request scheme or the redirect URI the build was made
 * with. One build, three configurations: the suite's own server (http redirect
 * URI), and two more `next start`s of the same build with an https redirect URI,
 * one with WORKOS_COOKIE_DOMAIN=localhost and one without (issue #30.3: there
 * every auth cookie is named `__Host-…`), reached over plain http (no TLS, no
 * X-Forwarded-Proto: a TLS terminator that forwards nothing). Asserted on the raw
 * Set-Cookie lines, with a hand-kept cookie jar: a browser would drop Secure
 * cookies on http, and Domain=localhost.
 */
import { request as playwrightRequest } from '@playwright/test';
import { expect, test } from '../fixtures';
import type { MockWorkOSControl } from '../mock-workos/control-client';
import { E2E_HOST, httpsRedirectUri } from '../support/env';
import { startExtraAppServer } from '../support/extra-app-server';
import { SESSION_COOKIE, appUrl, authorizeAtMock, newUser, nowSeconds, resignedToken, seal, unseal } from './support';

const SIGN_IN_CONTEXT_COOKIE = 'app-sign-in-context'; // demo:line sign-in-context
const HTML = { accept: 'text/html' };

interface Deployment {
  name: string;
  secure: boolean;
  domain: string | undefined;
  /** What the browser's name of every auth cookie starts with. */
  prefix: '' | '__Host-';
  /** The extra server's port (its variable), for the https deployments. */
  port?: string;
}

const DEPLOYMENTS: Deployment[] = [
  { name: 'http redirect URI', secure: false, domain: undefined, prefix: '' },
  { name: 'https redirect URI, cookie domain, served without TLS', secure: true, domain: E2E_HOST, prefix: '', port: 'E2E_HTTPS_APP_PORT' },
  {
    name: 'https redirect URI, no cookie domain (__Host- names)',
    secure: true,
    domain: undefined,
    prefix: '__Host-',
    port: 'E2E_HOST_PREFIX_APP_PORT',
  },
];

/** The suite's own server, or another start of the same build with an https redirect URI (and the deployment's cookie domain). */
async function serverFor(deployment: Deployment): Promise<{ url: string; stop: () => Promise<void> }> {
  if (!deployment.port) return { url: appUrl(), stop: async () => {} };
  const port = Number(process.env[deployment.port]);
  return startExtraAppServer({
    port,
    logFile: `test-results/app-server-https-${port}.log`,
    env: {
      NEXT_PUBLIC_WORKOS_REDIRECT_URI: httpsRedirectUri(port),
      WORKOS_COOKIE_DOMAIN: deployment.domain ?? '',
      APP_ALLOWED_ORIGINS: '',
    },
  });
}

interface CookieLine {
  line: string;
  name: string;
  value: string;
  attributes: Map<string, string>;
}

function parseSetCookie(line: string): CookieLine {
  const [pair = '', ...parts] = line.split(';');
  const separator = pair.indexOf('=');
  const attributes = new Map<string, string>();
  for (const part of parts) {
    const [key = '', ...rest] = part.trim().split('=');
    attributes.set(key.toLowerCase(), rest.join('='));
  }
  return { line, name: pair.slice(0, separator).trim(), value: pair.slice(separator + 1).trim(), attributes };
}

const setCookies = (response: Response): CookieLine[] => response.headers.getSetCookie().map(parseSetCookie);

const isDeletion = (cookie: CookieLine) => cookie.value === '' || cookie.attributes.get('max-age') === '0';

/** The attributes every auth cookie must carry in this deployment; a deletion also expires in the past. */
function expectAuthCookie(cookie: CookieLine | undefined, deployment: Deployment, label: string): void {
  expect(cookie, label).toBeDefined();
  if (!cookie) return;
  const where = `${label}: ${cookie.line}`;
  expect(cookie.name.startsWith(deployment.prefix), where).toBe(true);
  expect(cookie.attributes.has('secure'), where).toBe(deployment.secure);
  expect(cookie.attributes.get('domain'), where).toBe(deployment.domain);
  expect(cookie.attributes.get('path'), where).toBe('/');
  expect(cookie.attributes.has('httponly'), where).toBe(true);
  expect(cookie.attributes.get('samesite')?.toLowerCase(), where).toBe('lax');
  if (isDeletion(cookie)) {
    // Next drops Max-Age=0 when it re-parses a line; only a past Expires reliably deletes.
    expect(new Date(cookie.attributes.get('expires') ?? '').getTime(), where).toBe(0);
  }
}

/** With the __Host- prefix, the browser is never given an auth cookie under another name: such a line may only delete one. */
function expectOnlyPrefixedAuthCookies(cookies: CookieLine[], deployment: Deployment, label: string): void {
  const unprefixed = cookies.filter((cookie) => /^(wos-session|wos-auth-verifier|app-sign-in-context)/.test(cookie.name));
  if (deployment.prefix)
    expect(
      unprefixed.filter((cookie) => !isDeletion(cookie)).map((cookie) => cookie.line),
      label,
    ).toEqual([]);
}

function cookieHeader(jar: Map<string, string>): string {
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

function remember(jar: Map<string, string>, cookies: CookieLine[]): void {
  for (const cookie of cookies) {
    if (isDeletion(cookie) || new Date(cookie.attributes.get('expires') ?? Date.now() + 1).getTime() <= Date.now()) jar.delete(cookie.name);
    else jar.set(cookie.name, cookie.value);
  }
}

const get = (url: string, jar: Map<string, string>, headers: Record<string, string> = {}) =>
  fetch(url, { redirect: 'manual', headers: { ...HTML, ...(jar.size ? { cookie: cookieHeader(jar) } : {}), ...headers } });

for (const deployment of DEPLOYMENTS) {
  test(`${deployment.name}: sign-in, refresh, rejected cookie and sign-out set and delete auth cookies with the deployment's attributes`, async ({
    mock,
  }) => {
    // Booting a second next start is part of this test (~2-5 s, more on a loaded machine).
    if (deployment.secure) test.setTimeout(60_000);
    const server = await serverFor(deployment);
    try {
      await signInRefreshAndSignOut(server.url, deployment, mock);
    } finally {
      await server.stop();
    }
  });
}

async function signInRefreshAndSignOut(base: string, deployment: Deployment, mock: MockWorkOSControl): Promise<void> {
  const user = await newUser(mock, `attributes-${deployment.secure ? 'https' : 'http'}`);
  const jar = new Map<string, string>();
  // The browser's names for the session, the verifiers (and the sign-in context) in this deployment.
  const sessionName = `${deployment.prefix}${SESSION_COOKIE}`;
  const verifierName = `${deployment.prefix}wos-auth-verifier`;
  const contextName = `${deployment.prefix}${SIGN_IN_CONTEXT_COOKIE}`; // demo:line sign-in-context

  // The authorization request from the proxy (a protected page, signed out) and from the route.
  const fromProxy = await get(`${base}/dashboard`, new Map());
  expect(fromProxy.status).toBe(307);
  expectAuthCookie(
    setCookies(fromProxy).find((cookie) => cookie.name.startsWith(verifierName)),
    deployment,
    'verifier from the proxy',
  );

  const start = await get(`${base}/auth/sign-in?${new URLSearchParams({ returnTo: '/dashboard' })}`, jar, {
    referer: `${base}/?plan=team`,
  });
  expect(start.status).toBe(303);
  const startCookies = setCookies(start);
  expectAuthCookie(
    startCookies.find((cookie) => cookie.name.startsWith(verifierName)),
    deployment,
    'verifier from /auth/sign-in',
  );
  remember(jar, startCookies);

  // The hosted page, then the callback reached over plain http whatever the redirect URI's scheme.
  const api = await playwrightRequest.newContext();
  const callback = await authorizeAtMock(api, new URL(start.headers.get('location') ?? ''), user.email);
  await api.dispose();
  callback.protocol = 'http:';
  const landed = await get(callback.toString(), jar);
  expect(landed.status).toBe(307);
  const landedCookies = setCookies(landed);
  expectAuthCookie(
    landedCookies.find((cookie) => cookie.name === sessionName),
    deployment,
    'session from the callback',
  );
  expectAuthCookie(
    landedCookies.find((cookie) => cookie.name.startsWith(verifierName)),
    deployment,
    'verifier deleted by the callback',
  );
  // demo:start sign-in-context
  expectAuthCookie(
    landedCookies.find((cookie) => cookie.name === contextName),
    deployment,
    'sign-in context from the callback',
  );
  // demo:end sign-in-context
  remember(jar, landedCookies);
  expect([...jar.keys()].filter((name) => name.startsWith(verifierName))).toEqual([]);

  // A refresh in the proxy.
  const session = await unseal(jar.get(sessionName) ?? '');
  const expired = await seal({
    ...session,
    accessToken: await resignedToken(mock, session.accessToken, { iat: nowSeconds() - 301, exp: nowSeconds() - 1 }),
  });
  const refreshed = await get(`${base}/dashboard`, new Map([[sessionName, expired]]));
  expect(refreshed.status).toBe(200);
  expectAuthCookie(
    setCookies(refreshed).find((cookie) => cookie.name === sessionName),
    deployment,
    'session from a refresh',
  );
  remember(jar, setCookies(refreshed));

  // A cookie the proxy rejects is deleted with the attributes it was set with (Domain included).
  const rejected = await get(`${base}/dashboard`, new Map([[sessionName, 'Fe26.2*1*aa*bb*cc*dd*ee*ff']]));
  expect(rejected.status).toBe(307);
  const dropped = setCookies(rejected).filter((cookie) => cookie.name === sessionName);
  expect(dropped.map((cookie) => cookie.line)).toHaveLength(1);
  expectAuthCookie(dropped[0], deployment, 'rejected session deleted by the proxy');

  // Sign-out (the server action, posted as the plain form): every auth cookie deleted alike.
  jar.set(`${verifierName}-abandoned`, 'x');
  const dashboard = await get(`${base}/dashboard`, jar);
  expect(dashboard.status).toBe(200);
  const actionField = /name="(\$ACTION_ID_[0-9a-f]+)"/.exec(await dashboard.text())?.[1] ?? '';
  expect(actionField).not.toBe('');
  const form = new FormData();
  form.set(actionField, '');
  // The Origin a browser sends is the deployment's (https behind the TLS terminator), not the plain-http hop.
  const browserOrigin = deployment.secure ? base.replace(/^http:/, 'https:') : base;
  const signedOut = await fetch(`${base}/dashboard`, {
    method: 'POST',
    redirect: 'manual',
    body: form,
    headers: { cookie: cookieHeader(jar), origin: browserOrigin },
  });
  expect(signedOut.status).toBe(303);
  expect(signedOut.headers.get('location')).toContain('/user_management/sessions/logout');
  const deletions = setCookies(signedOut);
  for (const [label, response] of Object.entries({ fromProxy, start, landed, refreshed, rejected, signedOut })) {
    expectOnlyPrefixedAuthCookies(setCookies(response), deployment, label);
  }
  for (const name of [
    sessionName,
    contextName, // demo:line sign-in-context
    `${verifierName}-abandoned`,
  ]) {
    const deletion = deletions.find((cookie) => cookie.name === name);
    expect(deletion && isDeletion(deletion), `${name} deleted on sign-out: ${deletions.map((cookie) => cookie.line).join(' | ')}`).toBe(
      true,
    );
    expectAuthCookie(deletion, deployment, `${name} deleted on sign-out`);
  }
}
