/**
 * Case 19: fast-check generated callback queries, cookies and returnTo values
 * over HTTP (no browser); 19b/19c (W3): image optimiser URLs and server actions
 * posted from other origins, which Next answered with a 500. Bounded counts
 * keep this file to a few seconds.
 */
import fc from 'fast-check';
import { expect, test } from '../fixtures';
import { SESSION_COOKIE, apiSignIn, appUrl, newContext, newSignedInUser, newUser } from './support';

const RUNS = 400;
const BATCH = 24;

async function inBatches<T>(values: T[], check: (value: T) => Promise<void>) {
  for (let i = 0; i < values.length; i += BATCH) await Promise.all(values.slice(i, i + BATCH).map(check));
}

const hostileText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.string({ unit: 'binary', maxLength: 100 }),
  fc.constantFrom('Fe26.2*1*a*b*c*d*e*f', 'Fe26.2**', '%', '%%', '%zz', '\r\n', '\u0000', '../..', '//evil.example', 'javascript:alert(1)'),
  fc.webUrl(),
);

test('19. fuzzed callback queries, session cookies and returnTo values never produce a 5xx', async ({ mock }) => {
  test.setTimeout(90_000);
  const request = await newContext();
  const started = Date.now();
  const statuses = new Map<number, number>();
  const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);

  const queries = fc.sample(
    fc.dictionary(fc.constantFrom('code', 'state', 'error', 'error_description', 'returnTo', 'x'), hostileText, { maxKeys: 4 }),
    RUNS,
  );
  await inBatches(queries, async (query) => {
    const search = new URLSearchParams(query as Record<string, string>).toString();
    const response = await request.get(`/api/auth/callback?${search}`, { maxRedirects: 0 });
    count(response.status());
    expect(response.status(), search).toBeLessThan(500);
  });

  const { cookie: real } = await newSignedInUser(mock, 'fuzz');
  const cookieSafe = (value: string) => value.replace(/[^\x21-\x7e]|[;,"\\]/g, '');
  const mutations = fc.sample(
    fc.oneof(
      hostileText.map(cookieSafe),
      fc.tuple(fc.nat({ max: real.length - 1 }), fc.nat({ max: 60 })).map(([at, cut]) => real.slice(0, at) + real.slice(at + cut)),
      fc
        .tuple(fc.nat({ max: real.length - 1 }), fc.constantFrom('A', '*', '~', '0', 'z'))
        .map(([at, char]) => real.slice(0, at) + char + real.slice(at + 1)),
      fc.array(fc.constantFrom('Fe26.2', '1', 'a', '', '*', 'ZZZZ'), { maxLength: 10 }).map((parts) => parts.join('*')),
    ),
    RUNS,
  );
  await inBatches(mutations, async (value) => {
    for (const path of ['/', '/dashboard']) {
      const response = await request.get(path, { maxRedirects: 0, headers: { cookie: `${SESSION_COOKIE}=${value}`, accept: 'text/html' } });
      count(response.status());
      expect(response.status(), `${path} with ${value.slice(0, 80)}`).toBeLessThan(500);
    }
  });

  const returnTos = fc.sample(hostileText, RUNS);
  const mockOrigin = new URL(process.env.E2E_MOCK_URL ?? '').origin;
  await inBatches(returnTos, async (returnTo) => {
    const response = await request.fetch(`/auth/sign-in?${new URLSearchParams({ returnTo })}`, {
      maxRedirects: 0,
      headers: { cookie: '' },
    });
    count(response.status());
    expect(response.status(), JSON.stringify(returnTo)).toBe(303);
    const target = new URL(response.headers()['location'] ?? '');
    expect(target.origin).toBe(mockOrigin);
  });

  test.info().annotations.push({
    type: 'fuzz requests',
    description: `${[...statuses.values()].reduce((a, b) => a + b, 0)} in ${Date.now() - started} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
  });
  await request.dispose();
});

test('19b. the image optimiser answers 404 for every URL (the app uses no next/image), never 5xx', async ({ mock }) => {
  const request = await newContext();
  const user = await newUser(mock, 'fuzz-image');
  const { cookie } = await apiSignIn(request, user.email);
  // It answered 500 for an internal URL that redirects (a protected page, the sign-in route).
  const urls = [
    '/dashboard',
    '/dashboard/admin',
    '/auth/sign-in',
    '/',
    '/api/auth/callback',
    '/favicon.ico',
    '/missing.png',
    'https://evil.example/x.png',
    '//evil.example/x.png',
    ...fc.sample(fc.oneof(hostileText, fc.webPath()), 20),
  ];
  await inBatches(urls, async (url) => {
    const signedOutAndIn: Array<Record<string, string>> = [{}, { cookie: `${SESSION_COOKIE}=${cookie}` }];
    for (const headers of signedOutAndIn) {
      const response = await request.get(`/_next/image?${new URLSearchParams({ url, w: '64', q: '75' })}`, { maxRedirects: 0, headers });
      expect(response.status(), `/_next/image?url=${url}`).toBe(404);
    }
  });
  test.info().annotations.push({ type: 'image optimiser requests', description: String(urls.length * 2) });
  await request.dispose();
});

interface ActionPost {
  label: string;
  path: string;
  headers: Record<string, string>;
  data?: string;
  multipart?: Record<string, string>;
}

test('19c. a server action posted from another origin, or without proof of its own, is refused with 403, never 5xx', async ({ mock }) => {
  const request = await newContext();
  const user = await newUser(mock, 'fuzz-action');
  await apiSignIn(request, user.email); // the session cookie stays in this context's jar: every post below carries it
  const appOrigin = new URL(appUrl()).origin;
  const headerSafe = (value: string) => value.replace(/[^\x21-\x7e]/g, '');
  // The real sign-out action: if a forged post got through, the victim would be signed out.
  const dashboard = await (await request.get('/dashboard')).text();
  const actionId = /name="\$ACTION_ID_([0-9a-f]+)"/.exec(dashboard)?.[1] ?? '';
  expect(actionId, 'the sign-out form carries a server action id').not.toBe('');
  const asFetch = { 'next-action': actionId, 'content-type': 'text/plain;charset=UTF-8' };
  const asForm = { [`$ACTION_ID_${actionId}`]: '' };

  const foreignOrigins = [
    'https://evil.example',
    'null',
    `http://127.0.0.1:${new URL(appOrigin).port}`,
    appOrigin.replace(/^http:/, 'https:'),
    `${appOrigin}.evil.example`,
    ...fc.sample(
      fc.webUrl().map((url) => new URL(url).origin),
      10,
    ),
    ...fc.sample(hostileText.map(headerSafe), 10),
  ].filter((origin) => origin !== appOrigin);
  const posts: ActionPost[] = foreignOrigins.flatMap((origin) =>
    ['/', '/dashboard', '/no-such-page'].flatMap((path) => [
      { label: `fetch action to ${path} from ${JSON.stringify(origin)}`, path, headers: { origin, ...asFetch }, data: '[]' },
      { label: `form post to ${path} from ${JSON.stringify(origin)}`, path, headers: { origin }, multipart: asForm },
    ]),
  );
  // Not provably from this origin: no Origin at all (whatever the Referer says), a browser saying cross-site, or a Host /
  // X-Forwarded-Host that is not the Origin's (Next compares those two itself, and answered a mismatch with a 500).
  const appHost = new URL(appOrigin).host;
  const unprovable: Array<[string, Record<string, string>]> = [
    ['no Origin, foreign Referer', { referer: 'https://evil.example/page' }],
    ['no Origin, own Referer', { referer: `${appOrigin}/dashboard` }],
    ['neither Origin nor Referer', {}],
    ['own Origin, Sec-Fetch-Site: cross-site', { origin: appOrigin, 'sec-fetch-site': 'cross-site' }],
    ['own Origin, another Host', { origin: appOrigin, host: 'evil.example' }],
    ['own Origin, another X-Forwarded-Host', { origin: appOrigin, 'x-forwarded-host': 'evil.example' }],
    [
      'an allowed Origin named by Forwarded, another Host',
      { origin: `http://127.0.0.1:${new URL(appOrigin).port}`, forwarded: `host="127.0.0.1:${new URL(appOrigin).port}"`, host: appHost },
    ],
  ];
  for (const [label, headers] of unprovable) {
    posts.push({ label: `fetch action, ${label}`, path: '/dashboard', headers: { ...headers, ...asFetch }, data: '[]' });
    posts.push({ label: `form post, ${label}`, path: '/dashboard', headers, multipart: asForm });
  }

  await inBatches(posts, async ({ label, path, headers, ...body }) => {
    const response = await request.post(path, { maxRedirects: 0, headers, ...body });
    expect(response.status(), label).toBe(403);
    expect(response.headers()['set-cookie'], label).toBeUndefined();
  });
  const [session] = await mock.listSessions({ userId: user.id });
  expect(session?.endedAt).toBeNull();
  expect((await request.get('/dashboard', { maxRedirects: 0 })).status()).toBe(200);

  // Control: from the app's own origin (as a browser sends it, with or without Sec-Fetch-Site), an action reaches
  // Next: an id it does not know gets Next's 409 "Server Action unavailable.".
  const unknownAction = { ...asFetch, 'next-action': 'f'.repeat(42) };
  const own: Array<Record<string, string>> = [{ origin: appOrigin }, { origin: appOrigin, 'sec-fetch-site': 'same-origin' }];
  for (const headers of own) {
    const reached = await request.post('/dashboard', { maxRedirects: 0, headers: { ...headers, ...unknownAction }, data: '[]' });
    expect(reached.status(), JSON.stringify(headers)).toBe(409);
    expect(await reached.text(), JSON.stringify(headers)).toBe('Server Action unavailable.');
  }
  test.info().annotations.push({ type: 'cross-origin action posts', description: String(posts.length) });
  await request.dispose();
});
