/**
 * Targets 1 and 2 — what the proxy costs per request, and that it makes no
 * WorkOS calls in steady state.
 *
 * The signed-in dashboard (proxy: unseal, verify the access token against the
 * cached JWKS, forward the session; page: read the session) against
 * /bench-control, the same DashboardView rendered from fixed data outside the
 * proxy. Both get the same Cookie header. Many short rounds alternate the
 * order so a burst of load from elsewhere on the machine hits both routes
 * alike, and the ratio is the median of the per-round ratios:
 *   throughput — 8 connections, requests/s;
 *   latency    — 1 connection (no queueing), p50/p99 from every sample.
 * Every dashboard request counts towards the steady-state window; a top-up run
 * makes it at least `steadyRequests`.
 */
import type { CookieJar } from '../lib/cookies.ts';
import { runLoad, type LoadResult } from '../lib/load.ts';
import type { AppInstance, Mock } from '../lib/stack.ts';
import { median, percentile, round } from '../lib/stats.ts';

export interface OverheadOptions {
  rounds: number;
  throughputRequests: number;
  latencyRequests: number;
  steadyRequests: number;
  connections: number;
}

export interface RouteFigures {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  failed: number;
}

export interface OverheadResult {
  dashboard: RouteFigures;
  control: RouteFigures;
  /** Median over rounds of dashboard ÷ control requests/s (paired within each round). */
  throughputRatio: number;
  roundRatios: number[];
  addedP50Ms: number;
  addedP99Ms: number;
  connections: number;
}

export interface SteadyStateResult {
  signedInRequests: number;
  failed: number;
  seconds: number;
  jwksFetches: number;
  tokenCalls: number;
  refreshCalls: number;
  otherWorkOSCalls: Record<string, number>;
}

function figures(throughput: LoadResult[], latency: LoadResult[]): RouteFigures {
  const samples = latency.flatMap((run) => run.latenciesMs);
  const all = [...throughput, ...latency];
  return {
    rps: round(median(throughput.map((run) => run.rps)), 1),
    p50Ms: round(percentile(samples, 50)),
    p99Ms: round(percentile(samples, 99)),
    requests: all.reduce((sum, run) => sum + run.requests, 0),
    failed: all.reduce((sum, run) => sum + run.non2xx + run.errors + run.timeouts, 0),
  };
}

export async function measureOverhead(
  app: AppInstance,
  mock: Mock,
  jar: CookieJar,
  /** Mock log bookmarks: JWKS fetches count from the instance's start, token calls from after sign-in. */
  bookmarks: { appStart: number; afterSignIn: number },
  options: OverheadOptions,
  log: (line: string) => void,
): Promise<{ overhead: OverheadResult; steady: SteadyStateResult }> {
  const cookie = jar.header();
  const dashboard = `${app.url}/dashboard`;
  const control = `${app.url}/bench-control`;
  const started = performance.now();
  const runs = { dashboard: { throughput: [] as LoadResult[], latency: [] as LoadResult[] }, control: { throughput: [] as LoadResult[], latency: [] as LoadResult[] } };

  // Warm-up: JIT, React caches, the organization cache. Counted for steady state, not for figures.
  const warmup = await Promise.all([
    runLoad({ url: dashboard, cookie, connections: 2, amount: 100, maxSeconds: 30 }),
    runLoad({ url: control, cookie, connections: 2, amount: 100, maxSeconds: 30 }),
  ]);
  let dashboardRequests = warmup[0].requests;
  let dashboardFailed = warmup[0].non2xx + warmup[0].errors + warmup[0].timeouts;

  for (let round = 0; round < options.rounds; round += 1) {
    const order = round % 2 === 0 ? (['control', 'dashboard'] as const) : (['dashboard', 'control'] as const);
    for (const route of order) {
      const url = route === 'dashboard' ? dashboard : control;
      runs[route].throughput.push(await runLoad({ url, cookie, connections: options.connections, amount: options.throughputRequests, maxSeconds: 60 }));
    }
    for (const route of order) {
      const url = route === 'dashboard' ? dashboard : control;
      runs[route].latency.push(await runLoad({ url, cookie, connections: 1, amount: options.latencyRequests, maxSeconds: 60 }));
    }
    const last = (route: 'dashboard' | 'control') => runs[route].throughput.at(-1)!;
    log(`  round ${round + 1}/${options.rounds}: dashboard ${last('dashboard').rps.toFixed(0)} req/s, control ${last('control').rps.toFixed(0)} req/s`);
  }
  // Paired per round: a burst of load from elsewhere on the machine skews a round, not the median.
  const roundRatios = runs.dashboard.throughput.map((run, index) => run.rps / (runs.control.throughput[index] as LoadResult).rps);
  const dashboardFigures = figures(runs.dashboard.throughput, runs.dashboard.latency);
  const controlFigures = figures(runs.control.throughput, runs.control.latency);
  dashboardRequests += dashboardFigures.requests;
  dashboardFailed += dashboardFigures.failed;

  if (dashboardRequests < options.steadyRequests) {
    const topUp = await runLoad({ url: dashboard, cookie, connections: options.connections, amount: options.steadyRequests - dashboardRequests, maxSeconds: 120 });
    dashboardRequests += topUp.requests;
    dashboardFailed += topUp.non2xx + topUp.errors + topUp.timeouts;
  }

  const calls = mock.calls(bookmarks.afterSignIn);
  const count = (predicate: (entry: (typeof calls)[number]) => boolean) => calls.filter(predicate).length;
  const otherWorkOSCalls: Record<string, number> = {};
  for (const entry of calls) {
    if (entry.endpoint === 'jwks' || entry.endpoint === 'authenticate') continue;
    otherWorkOSCalls[entry.endpoint] = (otherWorkOSCalls[entry.endpoint] ?? 0) + 1;
  }

  return {
    overhead: {
      dashboard: dashboardFigures,
      control: controlFigures,
      throughputRatio: round(median(roundRatios), 3),
      roundRatios: roundRatios.map((ratio) => round(ratio, 3)),
      addedP50Ms: round(dashboardFigures.p50Ms - controlFigures.p50Ms),
      addedP99Ms: round(dashboardFigures.p99Ms - controlFigures.p99Ms),
      connections: options.connections,
    },
    steady: {
      signedInRequests: dashboardRequests,
      failed: dashboardFailed,
      seconds: round((performance.now() - started) / 1000, 1),
      jwksFetches: mock.calls(bookmarks.appStart, { endpoint: 'jwks' }).length,
      tokenCalls: count((entry) => entry.endpoint === 'authenticate'),
      refreshCalls: count((entry) => entry.endpoint === 'authenticate' && entry.grantType === 'refresh_token'),
      otherWorkOSCalls,
    },
  };
}
