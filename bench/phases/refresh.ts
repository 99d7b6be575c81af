/**
 * Target 3 — N requests in parallel carrying one session whose access token
 * has just expired (a page plus its parallel data requests, or several tabs).
 *
 * Refresh tokens are single-use. Each request that finds the token expired
 * refreshes on its own; the first wins and the others get invalid_grant.
 * Counted per N:
 *   refreshCalls  — refresh_token calls the mock saw;
 *   failed        — responses other than 200 (the dashboard redirects to sign-in when the proxy drops the session);
 *   deletedCookie — responses that told the browser to delete the session cookie;
 *   sessionLost   — after applying every Set-Cookie in arrival order (as a browser does), the next request is not signed in
 *                   (on any of the instances).
 *
 * With several instances, request i goes to instance i mod n (the `twoinstances` phase: two
 * `next start` processes, without and with a shared Redis).
 */
import { CookieJar, SESSION_COOKIE, getWithJar } from '../lib/cookies.ts';
import { signInOverHttp } from '../lib/sign-in.ts';
import { DEFAULT_TOKEN_TTL_SECONDS, createBenchUser, type AppInstance, type Mock } from '../lib/stack.ts';
import { sleep } from '../lib/stats.ts';

export interface RefreshBurstResult {
  parallel: number;
  refreshCalls: number;
  failed: number;
  deletedCookie: number;
  sessionLost: boolean;
}

export async function isSignedIn(appUrl: string, jar: CookieJar, email: string): Promise<boolean> {
  const { response, body } = await getWithJar(`${appUrl}/dashboard`, jar, 15_000);
  return response.status === 200 && body.includes(email);
}

export async function refreshBurst(apps: AppInstance | AppInstance[], mock: Mock, parallel: number): Promise<RefreshBurstResult> {
  const instances = Array.isArray(apps) ? apps : [apps];
  const app = instances[0];
  if (!app) throw new Error('refreshBurst needs at least one instance');
  const user = await createBenchUser(mock.control, `refresh${parallel}`);
  // A token that lives one second, then the default again for the refreshed one.
  await mock.control.setAccessTokenTtl(1);
  let signIn;
  try {
    signIn = await signInOverHttp({ appUrl: app.url, email: user.email, password: user.password });
  } finally {
    await mock.control.setAccessTokenTtl(DEFAULT_TOKEN_TTL_SECONDS);
  }
  await sleep(2_100); // now past exp (jose allows no clock tolerance by default)
  const before = mock.seq();

  const cookie = signIn.jar.header();
  const arrivals: { status: number; setCookie: string[] }[] = [];
  await Promise.all(
    Array.from({ length: parallel }, async (_, index) => {
      const target = instances[index % instances.length] ?? app;
      const response = await fetch(`${target.url}/dashboard`, {
        redirect: 'manual',
        headers: { cookie },
        signal: AbortSignal.timeout(15_000),
      });
      await response.arrayBuffer();
      arrivals.push({ status: response.status, setCookie: response.headers.getSetCookie() });
    }),
  );

  const browserJar = signIn.jar.clone();
  let deletedCookie = 0;
  for (const arrival of arrivals) {
    if (browserJar.applyLines(arrival.setCookie).deleted.includes(SESSION_COOKIE)) deletedCookie += 1;
  }
  const refreshCalls = mock.calls(before, { endpoint: 'authenticate', grantType: 'refresh_token', userId: user.id }).length;
  let sessionLost = false;
  for (const instance of instances) if (!(await isSignedIn(instance.url, browserJar.clone(), user.email))) sessionLost = true;
  return { parallel, refreshCalls, failed: arrivals.filter((arrival) => arrival.status !== 200).length, deletedCookie, sessionLost };
}
