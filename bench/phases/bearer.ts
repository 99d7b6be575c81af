/**
 * Target 9 — what verifying a Bearer access token costs a route handler (README, "Call your own API").
 *
 * One server, this app (o), and one route, `GET /api/projects`, asked two ways:
 *   verified        — with a valid access token: the signature checked against the cached JWKS,
 *                     the issuer, expiry and revocation list, then the organization's data (200);
 *   unauthenticated — without one: the same route handler answering 401 at once (RFC 6750), the
 *                     baseline of a route handler that authenticates nothing.
 * Both pass through the proxy the same way (no session read). Each round measures both, in an order
 * swapped every round: throughput at `connections` (requests/s) and latency at 1 connection (p50);
 * the ratio and the added p50 are paired within each round, then summarised as the median over rounds.
 * WorkOS is called once at most (the first JWKS fetch), never per request.
 */
import { unsealData } from 'iron-session';
import { E2E_COOKIE_PASSWORD } from '../../e2e/support/env.ts';
import { SESSION_COOKIE, type CookieJar } from '../lib/cookies.ts';
import { runLoad, type LoadResult } from '../lib/load.ts';
import type { AppInstance, Mock } from '../lib/stack.ts';
import { median, round } from '../lib/stats.ts';

export interface BearerOptions {
  rounds: number;
  throughputRequests: number;
  latencyRequests: number;
  warmupRequests: number;
  connections: number;
}

interface Figures {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  failed: number;
}

interface Spread {
  median: number;
  min: number;
  max: number;
  perRound: number[];
}

export interface BearerResult {
  rounds: number;
  connections: number;
  verified: Figures;
  unauthenticated: Figures;
  /** verified req/s ÷ unauthenticated req/s, per round. */
  throughputRatio: Spread;
  /** verified p50 − unauthenticated p50 at 1 connection, per round (ms). */
  addedP50Ms: Spread;
  /** WorkOS calls during the phase, by endpoint: the first JWKS fetch at most. */
  workosCalls: Record<string, number>;
}

const PATH = '/api/projects';

function spread(values: number[], digits: number): Spread {
  return {
    median: round(median(values), digits),
    min: round(Math.min(...values), digits),
    max: round(Math.max(...values), digits),
    perRound: values.map((value) => round(value, digits)),
  };
}

function figures(throughput: LoadResult[], latency: LoadResult[]): Figures {
  const runs = [...throughput, ...latency];
  return {
    rps: round(median(throughput.map((run) => run.rps)), 1),
    p50Ms: round(median(latency.map((run) => run.p50))),
    p99Ms: round(median(latency.map((run) => run.p99))),
    requests: runs.reduce((sum, run) => sum + run.requests, 0),
    failed: runs.reduce((sum, run) => sum + run.non2xx + run.errors + run.timeouts, 0),
  };
}

/** The access token of a session cookie signed in over HTTP (the bench knows the e2e cookie password). */
export async function accessTokenOf(jar: CookieJar): Promise<string> {
  const { accessToken } = await unsealData<{ accessToken?: string }>(jar.get(SESSION_COOKIE) ?? '', { password: E2E_COOKIE_PASSWORD });
  if (!accessToken) throw new Error('bearer: the session cookie holds no access token');
  return accessToken;
}

export async function measureBearer(
  app: AppInstance,
  mock: Mock,
  accessToken: string,
  options: BearerOptions,
  log: (line: string) => void,
): Promise<BearerResult> {
  const url = `${app.url}${PATH}`;
  const modes = {
    verified: { headers: { authorization: `Bearer ${accessToken}` }, expectStatus: 200 },
    unauthenticated: { headers: {}, expectStatus: 401 },
  } as const;
  type Mode = keyof typeof modes;
  const probe = await fetch(url, { headers: modes.verified.headers, signal: AbortSignal.timeout(15_000) });
  if (probe.status !== 200) throw new Error(`bearer: ${PATH} answered ${probe.status} to a valid token; see ${app.logFile}`);
  const since = mock.seq();
  for (const mode of Object.keys(modes) as Mode[])
    await runLoad({ url, ...modes[mode], connections: options.connections, amount: options.warmupRequests, maxSeconds: 60 });

  const throughput: Record<Mode, LoadResult[]> = { verified: [], unauthenticated: [] };
  const latency: Record<Mode, LoadResult[]> = { verified: [], unauthenticated: [] };
  for (let index = 0; index < options.rounds; index += 1) {
    const order: Mode[] = index % 2 === 0 ? ['verified', 'unauthenticated'] : ['unauthenticated', 'verified'];
    for (const mode of order)
      throughput[mode].push(
        await runLoad({ url, ...modes[mode], connections: options.connections, amount: options.throughputRequests, maxSeconds: 60 }),
      );
    for (const mode of order)
      latency[mode].push(await runLoad({ url, ...modes[mode], connections: 1, amount: options.latencyRequests, maxSeconds: 60 }));
    const rps = (mode: Mode) => (throughput[mode].at(-1) as LoadResult).rps.toFixed(0);
    log(`  round ${index + 1}/${options.rounds}: req/s verified ${rps('verified')} · unauthenticated ${rps('unauthenticated')}`);
  }

  const workosCalls: Record<string, number> = {};
  for (const entry of mock.calls(since)) workosCalls[entry.endpoint] = (workosCalls[entry.endpoint] ?? 0) + 1;
  return {
    rounds: options.rounds,
    connections: options.connections,
    verified: figures(throughput.verified, latency.verified),
    unauthenticated: figures(throughput.unauthenticated, latency.unauthenticated),
    throughputRatio: spread(
      throughput.verified.map((run, index) => run.rps / (throughput.unauthenticated[index] as LoadResult).rps),
      3,
    ),
    addedP50Ms: spread(
      latency.verified.map((run, index) => run.p50 - (latency.unauthenticated[index] as LoadResult).p50),
      2,
    ),
    workosCalls,
  };
}
