/**
 * Targets 1 and 2 — what authentication costs per request, against its peers,
 * and that it makes no WorkOS calls in steady state.
 *
 * Four servers, one per peer build (bench/lib/variants.ts), all serving
 * `/dashboard` with the same DashboardView markup and all sent the same Cookie
 * header (a real session of this app; (a) and (n) ignore it):
 *   (o) this app · (a) no proxy · (n) a proxy that does nothing ·
 *   (k) plain authkit (`authkitProxy()` + `withAuth()`)
 * (and with --ablation (m), this app without the verified-session memo).
 * Each round measures every peer, one at a time, in an order rotated per round
 * so each peer takes each position equally often and a burst of load from
 * elsewhere on the machine hits all alike:
 *   throughput — `connections` connections (the server saturated), requests/s;
 *   latency    — 1 connection (no queueing), p50/p99 of the round's samples.
 * Ratios and added latencies are computed within each round (paired), then
 * summarised as the median over rounds with the min–max spread.
 * Every (o) request counts towards the steady-state window; a top-up run makes
 * it at least `steadyRequests`.
 */
import { runLoad, type LoadResult } from '../lib/load.ts';
import type { AppInstance, Mock } from '../lib/stack.ts';
import { median, round } from '../lib/stats.ts';
import type { PeerId } from '../lib/variants.ts';

export interface PeerOptions {
  rounds: number;
  throughputRequests: number;
  latencyRequests: number;
  /** Per peer before the rounds, at `connections`: enough for V8 to optimise the hot paths of the bigger builds too. */
  warmupRequests: number;
  steadyRequests: number;
  connections: number;
}

interface Spread {
  median: number;
  min: number;
  max: number;
  perRound: number[];
}

interface PeerFigures {
  /** Medians over rounds. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  failed: number;
}

export interface PeersResult {
  rounds: number;
  connections: number;
  peers: Partial<Record<PeerId, PeerFigures>>;
  /** (o) req/s ÷ peer req/s, per round, keyed `o/<peer>`; with (f), also `f/n`. */
  throughputRatio: Record<string, Spread>;
  /** (o) latency − peer latency at 1 connection, per round (ms), keyed `o-<peer>`; with (f), also `f-n`. */
  addedP50Ms: Record<string, Spread>;
  addedP99Ms: Record<string, Spread>;
}

export interface SteadyStateResult {
  signedInRequests: number;
  failed: number;
  seconds: number;
  jwksFetches: number;
  /**
   * What jose's cache allows in the window: (o)'s first fetch, plus one per
   * verifying process ((o), and (k)/(m) if measured) per 10 minutes elapsed.
   */
  jwksFetchesAllowed: number;
  tokenCalls: number;
  refreshCalls: number;
  otherWorkOSCalls: Record<string, number>;
}

function spread(all: number[], digits: number): Spread {
  // A round whose runs all failed has no latency samples (NaN): it counts as failed requests, not here.
  const values = all.filter(Number.isFinite);
  return {
    median: round(median(values), digits),
    min: round(Math.min(...values), digits),
    max: round(Math.max(...values), digits),
    perRound: all.map((value) => round(value, digits)),
  };
}

const failures = (run: LoadResult) => run.non2xx + run.errors + run.timeouts;

/** Fails fast when a peer does not serve the signed-in page (a redirect here would be measured as speed). */
async function probe(peer: PeerId, app: AppInstance, cookie: string, expectText: string): Promise<void> {
  const response = await fetch(`${app.url}/dashboard`, { redirect: 'manual', headers: { cookie }, signal: AbortSignal.timeout(15_000) });
  const body = await response.text();
  if (response.status !== 200 || !body.includes(expectText)) {
    throw new Error(
      `peer (${peer}) answered /dashboard with ${response.status}${response.status === 200 ? ` without "${expectText}"` : ''}; see ${app.logFile}`,
    );
  }
}

export async function measurePeers(
  apps: Partial<Record<PeerId, AppInstance>> & { o: AppInstance },
  mock: Mock,
  session: { cookie: string; email: string; fixtureEmail: string },
  options: PeerOptions,
  log: (line: string) => void,
): Promise<{ peers: PeersResult; steady: SteadyStateResult }> {
  const { cookie } = session;
  const ids = Object.keys(apps) as PeerId[];
  const app = (peer: PeerId) => apps[peer] as AppInstance;
  const url = (peer: PeerId) => `${app(peer).url}/dashboard`;
  const started = performance.now();

  // (k) verifies tokens too, so it fetches the JWKS once: let it, before counting (o)'s fetches
  // ((o) has verified nothing yet: its callback exchanges the code, it does not verify the token).
  // Likewise (m) and (b), which are this app too.
  const verifiers: PeerId[] = ids.filter((peer) => peer === 'k' || peer === 'm' || peer === 'b');
  for (const peer of verifiers) {
    await probe(peer, app(peer), cookie, session.email);
    await runLoad({ url: url(peer), cookie, connections: options.connections, amount: options.warmupRequests, maxSeconds: 60 });
  }
  const afterPeerWarmup = mock.seq();
  // (o) and (f) render the real dashboard for the signed-in user; (a) and (n) the fixture's.
  for (const peer of ids)
    if (!verifiers.includes(peer))
      await probe(peer, app(peer), cookie, peer === 'o' || peer === 'f' ? session.email : session.fixtureEmail);
  // Warm-up: JIT, React caches, the organization cache. Counted for steady state, not for figures.
  const warmup: Partial<Record<PeerId, LoadResult>> = {};
  for (const peer of ids)
    if (!verifiers.includes(peer))
      warmup[peer] = await runLoad({
        url: url(peer),
        cookie,
        connections: options.connections,
        amount: options.warmupRequests,
        maxSeconds: 60,
      });
  let steadyRequests = warmup.o?.requests ?? 0;
  let steadyFailed = warmup.o ? failures(warmup.o) : 0;

  const throughput = Object.fromEntries(ids.map((peer) => [peer, [] as LoadResult[]])) as Record<PeerId, LoadResult[]>;
  const latency = Object.fromEntries(ids.map((peer) => [peer, [] as LoadResult[]])) as Record<PeerId, LoadResult[]>;
  for (let index = 0; index < options.rounds; index += 1) {
    const order = ids.map((_, position) => ids[(position + index) % ids.length] as PeerId);
    for (const peer of order)
      throughput[peer].push(
        await runLoad({ url: url(peer), cookie, connections: options.connections, amount: options.throughputRequests, maxSeconds: 60 }),
      );
    for (const peer of order)
      latency[peer].push(await runLoad({ url: url(peer), cookie, connections: 1, amount: options.latencyRequests, maxSeconds: 60 }));
    const rps = (peer: PeerId) => (throughput[peer].at(-1) as LoadResult).rps.toFixed(0);
    log(`  round ${index + 1}/${options.rounds}: req/s ${ids.map((peer) => `${peer} ${rps(peer)}`).join(' · ')}`);
  }

  const peers: Partial<Record<PeerId, PeerFigures>> = {};
  for (const peer of ids) {
    const runs = [...throughput[peer], ...latency[peer]];
    peers[peer] = {
      rps: round(median(throughput[peer].map((run) => run.rps)), 1),
      p50Ms: round(median(latency[peer].map((run) => run.p50))),
      p99Ms: round(median(latency[peer].map((run) => run.p99))),
      requests: runs.reduce((sum, run) => sum + run.requests, 0),
      failed: runs.reduce((sum, run) => sum + failures(run), 0),
    };
  }
  const ratio = (peer: PeerId, of: PeerId = 'o') =>
    spread(
      throughput[of].map((run, index) => run.rps / (throughput[peer][index] as LoadResult).rps),
      3,
    );
  const added = (peer: PeerId, key: 'p50' | 'p99', of: PeerId = 'o') =>
    spread(
      latency[of].map((run, index) => run[key] - (latency[peer][index] as LoadResult)[key]),
      2,
    );
  // With (f) measured, (o)'s cost over (n) splits into o/f (authenticating) and f/n (everything else).
  const split = ids.includes('f') && ids.includes('n');

  const others = ids.filter((peer) => peer !== 'o');
  const own = peers.o as PeerFigures;
  steadyRequests += own.requests;
  steadyFailed += own.failed;
  if (steadyRequests < options.steadyRequests) {
    const topUp = await runLoad({
      url: url('o'),
      cookie,
      connections: options.connections,
      amount: options.steadyRequests - steadyRequests,
      maxSeconds: 120,
    });
    steadyRequests += topUp.requests;
    steadyFailed += failures(topUp);
  }

  const calls = mock.calls(afterPeerWarmup);
  const otherWorkOSCalls: Record<string, number> = {};
  for (const entry of calls) {
    if (entry.endpoint === 'jwks' || entry.endpoint === 'authenticate') continue;
    otherWorkOSCalls[entry.endpoint] = (otherWorkOSCalls[entry.endpoint] ?? 0) + 1;
  }
  return {
    peers: {
      rounds: options.rounds,
      connections: options.connections,
      peers,
      throughputRatio: {
        ...Object.fromEntries(others.map((peer) => [`o/${peer}`, ratio(peer)])),
        ...(split ? { 'f/n': ratio('n', 'f') } : {}),
      },
      addedP50Ms: {
        ...Object.fromEntries(others.map((peer) => [`o-${peer}`, added(peer, 'p50')])),
        ...(split ? { 'f-n': added('n', 'p50', 'f') } : {}),
      },
      addedP99Ms: Object.fromEntries(others.map((peer) => [`o-${peer}`, added(peer, 'p99')])),
    },
    steady: {
      signedInRequests: steadyRequests,
      failed: steadyFailed,
      seconds: round((performance.now() - started) / 1000, 1),
      jwksFetchesAllowed: 1 + (1 + verifiers.length) * Math.floor((performance.now() - started) / 600_000),
      // (k) and (m) fetched their key sets before the bookmark; after it, only jose's 10 min expiry refetches.
      jwksFetches: calls.filter((entry) => entry.endpoint === 'jwks').length,
      tokenCalls: calls.filter((entry) => entry.endpoint === 'authenticate').length,
      refreshCalls: calls.filter((entry) => entry.endpoint === 'authenticate' && entry.grantType === 'refresh_token').length,
      otherWorkOSCalls,
    },
  };
}
