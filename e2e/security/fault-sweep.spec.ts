/**
 * Issue #30, the fault sweep: every failure WorkOS can show the app (the mock's
 * faults) × every server action and route that calls WorkOS from the server
 * (app/, lib/features/). Each answer is exact (status, Location, notice), never
 * a 5xx, and the session survives, except where WorkOS says it ended
 * (invalid_grant on a refresh): then it is deleted and the person sent to sign-in.
 * The table it proves is in docs/security.md ("Fault sweep").
 *
 * One test per entry point and WorkOS endpoint, one step per failure mode, on
 * a user of its own (parallel-safe: every fault is matched to that user).
 * Each step checks that its fault was used up, so the entry point really met it.
 */
import type { APIRequestContext } from '@playwright/test';
import type { MockWorkOSControl } from '../mock-workos/control-client';
import { DEMO_PASSWORD, SEED_ORGANIZATION_IDS } from '../mock-workos/seed';
import type { FaultAction, MockEndpoint } from '../mock-workos/store';
import { expect, mockUrl, test } from '../fixtures';
import {
  SESSION_COOKIE,
  appUrl,
  authorizeAtMock,
  deletesSessionCookie,
  expectRedirectedToAuthKit,
  expiredSessionFor,
  isSignedInAs,
  newContext,
  newUser,
  resignedToken,
  seal,
  sessionCookieOf,
  startSignIn,
  nowSeconds,
  unseal,
  withCookie,
  type Answer,
} from './support';

/** Past the app's WorkOS timeout (4 s, lib/auth/authkit/client.ts); the mock then drops the connection without doing anything. */
const STALL: FaultAction = { type: 'drop', delayMs: 5_000 };

interface Mode {
  name: string;
  action: FaultAction;
  /** WorkOS refused the refresh token: the session is over. */
  ended?: true;
}

/**
 * An answer without a field the app reads, per endpoint (revoke_session answers no body). On the
 * token endpoint a 200 without tokens, in place of the real answer: a real answer altered would
 * have rotated the single-use refresh token at WorkOS (docs/security.md, Fault sweep).
 */
const MALFORMED: Partial<Record<MockEndpoint, FaultAction>> = {
  authenticate: { type: 'status', status: 200, body: { user: { object: 'user', id: 'user_malformed', email: 'malformed@example.com' } } },
  list_organization_memberships: { type: 'alter_fields', omit: ['data[].organization_name'] }, // demo:line organizations
  list_sessions: { type: 'alter_fields', nullify: ['data[].created_at'] }, // demo:line sessions
};

/** Every failure mode for `endpoint`; invalid_grant last, as it ends a session it meets on a refresh. */
function modesFor(endpoint: MockEndpoint): Mode[] {
  const malformed = MALFORMED[endpoint];
  return [
    { name: '429', action: { type: 'status', status: 429, body: { message: 'slow down' } } },
    { name: '500', action: { type: 'status', status: 500, body: { message: 'injected' } } },
    { name: '503', action: { type: 'status', status: 503, body: { message: 'injected' } } },
    { name: 'dropped connection', action: { type: 'drop' } },
    { name: 'stall past the timeout', action: STALL },
    ...(malformed ? [{ name: 'malformed answer', action: malformed }] : []),
    {
      name: 'invalid_grant',
      action: { type: 'status', status: 400, body: { error: 'invalid_grant', error_description: 'injected' } },
      ended: true,
    },
  ];
}

/**
 * Runs `check` once per failure mode, with that fault queued for this user's next call to each of
 * `endpoints` (after `prepare`, if any), and checks each fault was used: the entry point met it.
 */
async function sweep(
  mock: MockWorkOSControl,
  target: { endpoints: MockEndpoint[]; userId: string; grantType?: 'refresh_token' | 'authorization_code' },
  check: (mode: Mode) => Promise<void>,
  prepare?: (mode: Mode) => Promise<void>,
): Promise<void> {
  const { endpoints, userId, grantType } = target;
  for (const [index, mode] of modesFor(endpoints[0] ?? 'authenticate').entries()) {
    await test.step(mode.name, async () => {
      await prepare?.(mode);
      const match = { userId, ...(grantType ? { grantType } : {}) };
      const faults = await Promise.all(
        endpoints.map((endpoint) => mock.injectFault({ endpoint, match, action: modesFor(endpoint)[index]?.action ?? mode.action })),
      );
      await check(mode);
      const left = (await mock.listFaults()).map(({ id }) => id);
      expect(
        faults.filter(({ id }) => left.includes(id)).map(({ endpoint }) => endpoint),
        'faults not met',
      ).toEqual([]);
    });
  }
}

const REFERENCE = '[a-z0-9]{10}';

/** A user in two organizations (the switcher shows), member of Acme. */
const inTwoOrganizations = (mock: MockWorkOSControl, label: string) =>
  mock
    .createUser({
      email: `sweep-${label}-${crypto.randomUUID().slice(0, 8)}@example.com`,
      password: DEMO_PASSWORD,
      firstName: 'Sweep',
      lastName: label,
      memberships: [
        { organizationId: SEED_ORGANIZATION_IDS.acme, role: 'member' },
        { organizationId: SEED_ORGANIZATION_IDS.globex, role: 'member' },
      ],
    })
    .then(({ user }) => user);

let actionFields: Promise<Map<string, string>> | undefined;

/**
 * The dashboard's server actions (form field `$ACTION_ID_…`) by their button's
 * label, read once per worker from a dashboard that shows them all: a user in
 * two organizations, signed in twice. Ids are per build, not per user.
 */
function actionField(label: string, mock: MockWorkOSControl): Promise<string> {
  actionFields ??= (async () => {
    const user = await inTwoOrganizations(mock, 'actions');
    await sessionCookieOf(user.email, SEED_ORGANIZATION_IDS.acme);
    const { body } = await withCookie('/dashboard', await sessionCookieOf(user.email, SEED_ORGANIZATION_IDS.acme));
    const fields = new Map<string, string>();
    for (const [form] of body.matchAll(/<form[\s\S]*?<\/form>/g)) {
      const field = /name="(\$ACTION_ID_[0-9a-f]+)"/.exec(form)?.[1];
      const button = /<button[^>]*>([^<]+)<\/button>/.exec(form)?.[1];
      if (field && button) fields.set(button.trim(), field);
    }
    return fields;
  })();
  return actionFields.then((fields) => {
    const field = fields.get(label);
    if (!field) throw new Error(`no server action behind "${label}" on the dashboard: ${[...fields.keys()].join(', ')}`);
    return field;
  });
}

/** Posts a dashboard form as a browser without JavaScript would (Next answers its redirect with a 303). */
async function postAction(request: APIRequestContext, field: string, form: Record<string, string> = {}) {
  const response = await request.post('/dashboard', {
    multipart: { [field]: '', ...form },
    headers: { origin: new URL(appUrl()).origin, accept: 'text/html' },
    maxRedirects: 0,
  });
  const setCookies = response
    .headersArray()
    .filter((header) => header.name.toLowerCase() === 'set-cookie')
    .map((header) => header.value);
  return { status: response.status(), location: response.headers()['location'] ?? '', setCookies };
}

/** The session in this cookie jar, as a route handler sees it: 200 with the user, or 401. */
async function apiMeStatus(request: APIRequestContext, userId: string): Promise<'signed in' | number> {
  const response = await request.get('/api/me', { maxRedirects: 0 });
  return response.status() === 200 && ((await response.json()) as { id?: string }).id === userId ? 'signed in' : response.status();
}

/** What a refreshing action must answer: the page with `notice` and a reference, the session kept; or, once ended, sign-in and the cookie deleted. */
async function expectRefreshOutcome(
  request: APIRequestContext,
  userId: string,
  answer: Awaited<ReturnType<typeof postAction>>,
  mode: Mode,
  notice: string,
) {
  expect(answer.status).toBe(303);
  if (mode.ended) {
    expect(answer.location).toBe('/auth/sign-in?returnTo=%2Fdashboard');
    expect(answer.setCookies.some(deletesSessionCookie), answer.setCookies.join(' | ')).toBe(true);
    expect(await apiMeStatus(request, userId)).toBe(401);
  } else {
    expect(answer.location).toMatch(new RegExp(`^/dashboard\\?${notice}&ref=${REFERENCE}$`));
    expect(answer.setCookies.filter((line) => line.startsWith(`${SESSION_COOKIE}`))).toEqual([]);
    expect(await apiMeStatus(request, userId)).toBe('signed in');
  }
}

test.describe('server actions', () => {
  test('"Refresh session" × authenticate (refresh_token)', async ({ page, mock, testUser, signedInAs }) => {
    await signedInAs(testUser, { returnTo: '/' });
    const field = await actionField('Refresh session', mock);
    await sweep(mock, { endpoints: ['authenticate'], userId: testUser.id, grantType: 'refresh_token' }, async (mode) => {
      await expectRefreshOutcome(page.request, testUser.id, await postAction(page.request, field), mode, 'refresh=failed');
    });
  });

  // demo:start organizations
  test('organization switch × list_organization_memberships', async ({ page, mock, signedInAs }) => {
    const user = await inTwoOrganizations(mock, 'switch-list');
    // Signed in on the home page: the dashboard would cache the membership list the action reads.
    await signedInAs(user, { returnTo: '/' });
    const field = await actionField('Switch organization', mock);
    await sweep(mock, { endpoints: ['list_organization_memberships'], userId: user.id }, async () => {
      const answer = await postAction(page.request, field, { organizationId: SEED_ORGANIZATION_IDS.globex });
      expect([answer.status, answer.location]).toEqual([303, '/dashboard?switch=failed']);
      expect(answer.setCookies.filter((line) => line.startsWith(`${SESSION_COOKIE}`))).toEqual([]);
      expect(await apiMeStatus(page.request, user.id)).toBe('signed in');
    });
  });

  test('organization switch × authenticate (refresh_token)', async ({ page, mock, signedInAs }) => {
    const user = await inTwoOrganizations(mock, 'switch-refresh');
    await signedInAs(user, { returnTo: '/' });
    const field = await actionField('Switch organization', mock);
    await sweep(mock, { endpoints: ['authenticate'], userId: user.id, grantType: 'refresh_token' }, async (mode) => {
      const answer = await postAction(page.request, field, { organizationId: SEED_ORGANIZATION_IDS.globex });
      await expectRefreshOutcome(page.request, user.id, answer, mode, 'switch=failed');
    });
  });
  // demo:end organizations

  // demo:start sessions
  test('"Sign out of other sessions" × list_sessions', async ({ page, mock, testUser, signedInAs }) => {
    await signedInAs(testUser, { returnTo: '/' });
    const field = await actionField('Sign out of other sessions', mock);
    await sweep(mock, { endpoints: ['list_sessions'], userId: testUser.id }, async () => {
      const answer = await postAction(page.request, field);
      expect([answer.status, answer.location]).toEqual([303, '/dashboard?sessions=failed']);
      expect(await apiMeStatus(page.request, testUser.id)).toBe('signed in');
    });
  });

  test('"Sign out of other sessions" × revoke_session', async ({ page, mock, testUser, signedInAs }) => {
    await signedInAs(testUser, { returnTo: '/' });
    await sessionCookieOf(testUser.email); // another browser's session, to revoke
    const field = await actionField('Sign out of other sessions', mock);
    await sweep(mock, { endpoints: ['revoke_session'], userId: testUser.id }, async () => {
      const answer = await postAction(page.request, field);
      expect([answer.status, answer.location]).toEqual([303, '/dashboard?sessions=partly']);
      expect(await apiMeStatus(page.request, testUser.id)).toBe('signed in');
    });
    // Every revocation failed: the other session is still live.
    expect((await mock.listSessions({ userId: testUser.id })).filter((session) => session.endedAt === null)).toHaveLength(2);
  });
  // demo:end sessions

  test('sign-in, sign-up and sign-out reach WorkOS only through the browser: the app answers the same whatever WorkOS does', async ({
    page,
    mock,
    testUser,
    signedInAs,
  }) => {
    await signedInAs(testUser, { returnTo: '/' });
    const field = await actionField('Sign out', mock);
    const faults = await Promise.all(
      (['authorize', 'logout'] as const).map((endpoint) =>
        mock.injectFault({ endpoint, match: { userId: testUser.id }, action: { type: 'status', status: 503 } }),
      ),
    );
    // Starts from a browser that is not signed in (a signed-in one is sent to the dashboard).
    const signedOut = await newContext();
    for (const path of ['/auth/sign-in', '/auth/sign-up']) {
      const start = await signedOut.get(`${path}?${new URLSearchParams({ loginHint: testUser.email })}`, { maxRedirects: 0 });
      expect(start.status(), path).toBe(303);
      expect(start.headers()['location'], path).toMatch(new RegExp(`^${mockUrl()}/user_management/authorize\\?`));
    }
    await signedOut.dispose();
    const answer = await postAction(page.request, field);
    expect(answer.status).toBe(303);
    expect(answer.location).toMatch(new RegExp(`^${mockUrl()}/user_management/sessions/logout\\?session_id=`));
    expect(answer.setCookies.some(deletesSessionCookie)).toBe(true);
    const left = (await mock.listFaults()).map(({ id }) => id);
    expect(
      faults.filter(({ id }) => left.includes(id)).map(({ endpoint }) => endpoint),
      'the app itself never called WorkOS',
    ).toEqual(['authorize', 'logout']);
    for (const { id } of faults) await mock.removeFault(id);
  });
});

test.describe('pages and routes', () => {
  // demo:start workos-reads
  test('/dashboard panels × list_organization_memberships and list_sessions', async ({ page, mock, signedInAs }) => {
    const user = await inTwoOrganizations(mock, 'panels');
    await signedInAs(user, { returnTo: '/' });
    await sweep(mock, { endpoints: ['list_organization_memberships', 'list_sessions'], userId: user.id }, async () => {
      const answer = await page.request.get('/dashboard', { maxRedirects: 0 });
      expect(answer.status()).toBe(200);
      const body = await answer.text();
      expect(body.includes(user.id), 'signed in').toBe(true);
      for (const what of ['your organizations', 'your sessions']) {
        expect(body.includes(`Couldn&#x27;t load <!-- -->${what}<!-- -->. Reload the page to try again.`), what).toBe(true);
      }
    });
  });
  // demo:end workos-reads

  for (const [entry, path, during] of [
    ['a page (/dashboard)', '/dashboard', (answer: Answer) => expectRedirectedToAuthKit(answer)],
    ['a route (/api/me)', '/api/me', (answer: Answer) => expect(answer.status).toBe(401)],
  ] as const) {
    test(`the proxy's refresh on ${entry} × authenticate (refresh_token)`, async ({ mock }) => {
      const { user, expired } = await expiredSessionFor(mock, 'sweep-proxy');
      let cookie = expired;
      await sweep(
        mock,
        { endpoints: ['authenticate'], userId: user.id, grantType: 'refresh_token' },
        async (mode) => {
          const answer = await withCookie(path, cookie, path === '/api/me' ? { headers: { accept: 'application/json' } } : {});
          during(answer);
          const sessionLines = answer.setCookies.filter((line) => line.startsWith(`${SESSION_COOKIE}=`));
          if (mode.ended) expect(sessionLines.some(deletesSessionCookie), sessionLines.join(' | ')).toBe(true);
          else expect(sessionLines).toEqual([]);
        },
        async (mode) => {
          if (!mode.ended) return;
          // WorkOS is back: the cookie survived every failure and refreshes; its new token is then made to expire again.
          const recovered = await withCookie('/dashboard', cookie);
          expect(isSignedInAs(recovered, user.id), `${recovered.status} ${recovered.headers['location']}`).toBe(true);
          const line = recovered.setCookies.find((setCookie) => setCookie.startsWith(`${SESSION_COOKIE}=`)) ?? '';
          const renewed = await unseal(line.slice(SESSION_COOKIE.length + 1).split(';')[0] ?? '');
          cookie = await seal({ ...renewed, accessToken: await resignedToken(mock, renewed.accessToken, { exp: nowSeconds() - 1 }) });
        },
      );
    });
  }

  test('the callback × authenticate (authorization_code)', async ({ mock }) => {
    const user = await newUser(mock, 'sweep-callback');
    const codes: Record<string, string> = { invalid_grant: 'invalid_code', 'malformed answer': 'unexpected' };
    await sweep(mock, { endpoints: ['authenticate'], userId: user.id, grantType: 'authorization_code' }, async (mode) => {
      const browser = await newContext();
      try {
        const { authorizeUrl } = await startSignIn(browser);
        const callback = await authorizeAtMock(browser, authorizeUrl, user.email);
        const answer = await browser.get(`${callback.pathname}${callback.search}`, { maxRedirects: 0 });
        expect(answer.status()).toBe(303);
        const code = codes[mode.name] ?? 'workos_unavailable';
        expect(answer.headers()['location']).toMatch(
          new RegExp(`^${new URL(appUrl()).origin}/auth/error\\?code=${code}&ref=${REFERENCE}$`),
        );
        expect((await browser.storageState()).cookies.map((c) => c.name)).not.toContain(SESSION_COOKIE);
      } finally {
        await browser.dispose();
      }
    });
  });
});
