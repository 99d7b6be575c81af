/**
 * Case 20 (issue #11 D1): paths the proxy does not see. Anything outside the
 * proxy matcher (file extensions, /_next/*, the callback) still renders the
 * root layout, and Next accepts server actions there. A client that sends
 * authkit's forwarded headers itself, with a real seal (current, signed out, or
 * whose access token expired long ago), must get signed-out output, and a
 * server action posted there must be refused before it runs.
 */
import { readFileSync } from 'node:fs';
import { decodeJwt } from 'jose';
import { expect, test } from '../fixtures';
import {
  apiSignIn,
  appUrl,
  cookieValue,
  newContext,
  newSignedInUser,
  newUser,
  nowSeconds,
  resignedToken,
  seal,
  sessionCookieOf,
  unseal,
} from './support';

/** authkit's forwarded-session headers (lib/auth/authkit/session-header.ts), as an attacker sends them. */
const spoofed = (sealed: string) => ({ 'x-workos-middleware': 'true', 'x-workos-session': sealed });

/** One of each class of path outside the proxy matcher (proxy.ts), plus a 404 inside it, and the status each answers. */
const OUTSIDE_THE_PROXY: Record<string, number> = {
  '/missing.png': 404,
  '/x.json': 404,
  '/dashboard.json': 404,
  '/favicon.ico': 404,
  '/dashboard/admin.txt': 404,
  '/dashboard.rsc': 404,
  '/_next/static/chunks/missing.js': 404,
  '/_next/static/missing': 404,
  // The image optimiser is off (next.config.js): 404 for every URL.
  '/_next/image?url=%2Fmissing.png&w=64&q=75': 404,
  // The callback refuses the made-up code: its error page.
  '/api/auth/callback?code=x&state=y': 303,
  // A 404 inside the matcher: the proxy runs, drops the spoofed headers, and (deny by default) sends the visitor to sign-in.
  '/does-not-exist': 307,
};

/** The id of app/actions.ts signOutAction, from the build's server-reference manifest. */
function signOutActionId(): string {
  const manifest = JSON.parse(readFileSync('.next/server/server-reference-manifest.json', 'utf8')) as {
    node: Record<string, { filename?: string; exportedName?: string }>;
  };
  const found = Object.entries(manifest.node).find(
    ([, entry]) => entry.filename === 'app/actions.ts' && entry.exportedName === 'signOutAction',
  );
  if (!found) throw new Error('signOutAction is not in .next/server/server-reference-manifest.json');
  return found[0];
}

test('20a. spoofed session headers with a real seal render signed out on every path outside the proxy', async ({ mock }) => {
  const { user, cookie } = await newSignedInUser(mock, 'bypass-render');
  const session = await unseal(cookie);
  // Signed out: the WorkOS session is over, the seal (a copy of the cookie) is all that is left.
  const signedOut = await sessionCookieOf(user.email);
  await mock.endSession(String(decodeJwt((await unseal(signedOut)).accessToken).sid));
  const longExpired = await resignedToken(mock, session.accessToken, { iat: nowSeconds() - 4 * 3600, exp: nowSeconds() - 3 * 3600 });
  const seals: Record<string, string> = {
    current: cookie,
    'signed out': signedOut,
    'access token expired 3 h ago': await seal({ ...session, accessToken: longExpired }),
  };
  const attacker = await newContext();
  for (const [label, sealed] of Object.entries(seals)) {
    for (const [path, status] of Object.entries(OUTSIDE_THE_PROXY)) {
      const response = await attacker.get(path, { headers: { accept: 'text/html', ...spoofed(sealed) }, maxRedirects: 0 });
      const body = await response.text();
      expect(response.status(), `${label} ${path}`).toBe(status);
      expect(body.includes(user.email), `${label} ${path}: the email was rendered`).toBe(false);
      expect(body.includes(user.id), `${label} ${path}: the user id was rendered`).toBe(false);
      // Where the layout renders, it renders the signed-out account menu.
      if (body.includes('aria-label="Account"')) expect(body, `${label} ${path}`).toContain('href="/auth/sign-in"');
    }
  }
  await attacker.dispose();
});

test('20b. a server action posted outside the proxy is refused before it runs, even with a real seal in spoofed headers', async ({
  mock,
}) => {
  const user = await newUser(mock, 'bypass-action');
  const victim = await newContext();
  const { cookie } = await apiSignIn(victim, user.email);
  const sessionId = (await mock.listSessions({ userId: user.id }))[0]?.id;
  const actionId = signOutActionId();
  const attacker = await newContext();
  const answers: string[] = [];
  const expected: string[] = [];

  for (const path of ['/missing.png', '/x.json', '/dashboard.rsc', '/_next/static/chunks/missing.js', '/api/auth/callback']) {
    // As Next's client sends an action (fetch), and as a form without JavaScript sends it (multipart).
    const asFetch = await attacker.post(path, {
      headers: {
        ...spoofed(cookie),
        'next-action': actionId,
        origin: appUrl(),
        accept: 'text/x-component',
        'content-type': 'text/plain;charset=UTF-8',
      },
      data: '[]',
      maxRedirects: 0,
    });
    const asForm = await attacker.post(path, {
      headers: { ...spoofed(cookie), origin: appUrl(), accept: 'text/html' },
      multipart: { [`$ACTION_ID_${actionId}`]: '' },
      maxRedirects: 0,
    });
    for (const [how, response] of [
      ['fetch', asFetch],
      ['form', asForm],
    ] as const) {
      const redirect = response.headers()['location'] ?? response.headers()['x-action-redirect'] ?? '';
      // A browser would follow a redirect to WorkOS' logout: do the same, so a successful attack shows in the mock.
      if (redirect.includes('/user_management/sessions/logout')) await attacker.get(redirect.split(';')[0] ?? '', { maxRedirects: 0 });
      const to = redirect.includes('/user_management/authorize?') ? 'sign-in' : redirect;
      answers.push(`${how} ${path}: ${response.status()} ${to || (await response.text())}`);
      // Next normalises /dashboard.rsc to /dashboard before the proxy: a page, so the proxy runs
      // in full there, finds no session (the spoofed headers are dropped) and sends the visitor to sign-in.
      expected.push(
        path === '/dashboard.rsc' ? `${how} ${path}: 303 sign-in` : `${how} ${path}: 403 Server actions are only accepted on pages.`,
      );
    }
  }
  await attacker.dispose();

  // Nothing ran as the user: the WorkOS session is alive, no logout reached the mock, the victim is still signed in.
  expect((await mock.listSessions({ userId: user.id })).map((session) => [session.id, session.endedAt])).toEqual([[sessionId, null]]);
  const dashboard = await victim.get('/dashboard', { headers: { accept: 'text/html' }, maxRedirects: 0 });
  expect(dashboard.status()).toBe(200);
  expect(await dashboard.text()).toContain(user.email);
  expect(await cookieValue(victim)).toBe(cookie);
  await victim.dispose();
  expect(answers).toEqual(expected);
});
