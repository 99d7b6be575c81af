/**
 * Target 7 — many sessions at once, some of them refreshing mid-run.
 *
 * `sessions` users sign in over HTTP; the last 10 % get short-lived access
 * tokens (30 s + a few) that enter authkit's refresh window (the last 30 s of
 * a ≤ 5 min token) during the run. Every session makes `requestsPerSession`
 * dashboard requests one after the other, as a person clicking would, keeping
 * the cookies each response sets, while all sessions run at once. An expiring
 * session that reaches its halfway request before its token is due waits for
 * it, so each one refreshes no later than mid-run, under full load from the
 * others. Afterwards every session must still open the dashboard.
 */
import { getWithJar, type CookieJar } from '../lib/cookies.ts';
import { mapWithConcurrency, signInOverHttp } from '../lib/sign-in.ts';
import { DEFAULT_TOKEN_TTL_SECONDS, createBenchUser, type AppInstance, type Mock } from '../lib/stack.ts';
import { percentile, round, sleep } from '../lib/stats.ts';

/** authkit refreshes a token of ≤ 5 min lifetime once fewer than this many seconds are left. */
const REFRESH_WINDOW_SECONDS = 30;
import { isSignedIn } from './refresh.ts';

export interface LoadOptions {
  sessions: number;
  requestsPerSession: number;
  expiringShare: number;
  /** Dashboard requests/s measured earlier in this run, to place the expiry mid-run. */
  expectedRps: number;
  maxSeconds: number;
}

export interface LoadTestResult {
  sessions: number;
  requestsPerSession: number;
  expiringSessions: number;
  expiringTokenTtlSeconds: number;
  requests: number;
  failed: number;
  networkErrors: number;
  refreshCalls: number;
  lostSessions: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  completed: boolean;
}

export async function loadTest(app: AppInstance, mock: Mock, options: LoadOptions, log: (line: string) => void): Promise<LoadTestResult> {
  const expiring = Math.max(1, Math.round(options.sessions * options.expiringShare));
  const users = await mapWithConcurrency(Array.from({ length: options.sessions }), 8, (_, index) =>
    createBenchUser(mock.control, `load${index}`),
  );

  const signInStarted = performance.now();
  const signIn = (user: (typeof users)[number]) =>
    signInOverHttp({ appUrl: app.url, email: user.email, password: user.password }).then((result) => result.jar);
  const steadyJars = await mapWithConcurrency(users.slice(0, options.sessions - expiring), 4, signIn);
  log(`  ${steadyJars.length} sessions signed in over HTTP in ${((performance.now() - signInStarted) / 1000).toFixed(1)} s`);

  // Aim the refresh window at mid-run (from the throughput measured earlier), 3–20 s away.
  const expectedSeconds = (options.sessions * options.requestsPerSession) / Math.max(1, options.expectedRps);
  const secondsToWindow = Math.min(20, Math.max(3, Math.round(expectedSeconds / 2)));
  const expiringTtl = REFRESH_WINDOW_SECONDS + secondsToWindow;
  await mock.control.setAccessTokenTtl(expiringTtl);
  let expiringJars: CookieJar[];
  let dueAt: number;
  try {
    expiringJars = await mapWithConcurrency(users.slice(options.sessions - expiring), 4, signIn);
    dueAt = Date.now() + secondsToWindow * 1000 + 1_000;
  } finally {
    await mock.control.setAccessTokenTtl(DEFAULT_TOKEN_TTL_SECONDS);
  }
  const jars = [...steadyJars, ...expiringJars];

  const before = mock.seq();
  const deadline = Date.now() + options.maxSeconds * 1000;
  const latencies: number[] = [];
  let requests = 0;
  let failed = 0;
  let networkErrors = 0;
  let completed = true;
  const started = performance.now();
  await Promise.all(
    jars.map(async (jar, index) => {
      const email = (users[index] as (typeof users)[number]).email;
      const isExpiring = index >= steadyJars.length;
      for (let i = 0; i < options.requestsPerSession; i += 1) {
        if (isExpiring && i === Math.floor(options.requestsPerSession / 2) && Date.now() < dueAt) await sleep(dueAt - Date.now());
        if (Date.now() > deadline) {
          completed = false;
          return;
        }
        const t0 = performance.now();
        try {
          const { response, body } = await getWithJar(`${app.url}/dashboard`, jar, 30_000);
          requests += 1;
          if (response.status === 200 && body.includes(email)) latencies.push(performance.now() - t0);
          else failed += 1;
        } catch {
          requests += 1;
          networkErrors += 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const refreshCalls = mock.calls(before, { endpoint: 'authenticate', grantType: 'refresh_token' }).length;
  const alive = await mapWithConcurrency(jars, 8, (jar, index) => isSignedIn(app.url, jar, (users[index] as (typeof users)[number]).email));

  return {
    sessions: options.sessions,
    requestsPerSession: options.requestsPerSession,
    expiringSessions: expiring,
    expiringTokenTtlSeconds: expiringTtl,
    requests,
    failed,
    networkErrors,
    refreshCalls,
    lostSessions: alive.filter((ok) => !ok).length,
    seconds: round(seconds, 1),
    rps: round(requests / seconds, 1),
    p50Ms: round(percentile(latencies, 50), 1),
    p99Ms: round(percentile(latencies, 99), 1),
    completed,
  };
}
