/**
 * `npm run bench` — what authentication costs per request against its peers
 * (no proxy, a proxy that does nothing, plain authkit), and that sessions hold
 * across instances and under load. See docs/performance.md.
 *
 * Runs against production builds of temporary copies of this repo (this app,
 * and one per peer: bench/lib/variants.ts) and the mock WorkOS, everything on
 * 127.0.0.1, every request loop bounded in count and time. Prints a table,
 * writes bench/results/latest.json. It leaves nothing in the OS temp dir: at
 * the end, on Ctrl-C or SIGTERM it removes its logs and the build copies
 * (unless --keep-builds or --build-only: then a rerun with unchanged sources
 * builds nothing).
 *
 *   npm run bench                         everything (≈ 10 min on a 2-core VM, plus ≈ 3 min of builds the first time)
 *   npm run bench -- --quick              small counts, for development (not for publishing)
 *   npm run bench -- --only=peers,refresh some phases (peers, bearer, refresh, load, signin, lighthouse, scaleout, twoinstances)
 *   npm run bench -- --skip=lighthouse    all but some phases
 *   npm run bench -- --ablation           peers also include (m), this app without the verified-session memo,
 *                                         and (f), this app's proxy forwarding the cookie unverified (the split)
 *   npm run bench -- --baseline=DIR       peers also include (b), the (o) build of another commit (see baselineBuild in
 *                                         bench/lib/variants.ts): a before/after paired round by round in one sitting
 *   npm run bench -- --build-only         only build (or find kept) the copies the other flags would use, and keep them
 *   npm run bench -- --keep-builds        keep the build copies (OS temp dir) for the next run
 */
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromiumLaunchOptions } from '../e2e/support/browser.ts';
import { stopAllLoad } from './lib/load.ts';
import { cacheReport, groupMemory } from './lib/memory.ts';
import { ensureNginx, startLoadBalancer } from './lib/nginx.ts';
import { closePlaywrightBrowsers, killAllNow, killBrowsers, stopAll } from './lib/processes.ts';
import { printTable, type Check } from './lib/report.ts';
import { signInOverHttp } from './lib/sign-in.ts';
import {
  DEFAULT_TOKEN_TTL_SECONDS,
  ROOT,
  createBenchUser,
  freePort,
  redirectUri,
  startApp,
  startMock,
  type AppInstance,
  type Mock,
} from './lib/stack.ts';
import { missingRedisServerMessage, provisionRedisServer, startRedisServer, type RunningRedisServer } from '../test/redis-server.ts';
import { round } from './lib/stats.ts';
import { accessTokenOf, measureBearer } from './phases/bearer.ts';
import { browserSignIn } from './phases/browser-sign-in.ts';
import { pageQuality } from './phases/lighthouse.ts';
import { loadTest } from './phases/load.ts';
import { measurePeers } from './phases/peers.ts';
import { refreshBurst } from './phases/refresh.ts';
import { scaleOut } from './phases/scale-out.ts';
import { BENCH_FIXTURE } from './variants/fixture.ts';
import {
  ABLATION_PEER_IDS,
  PEER_IDS,
  PEER_LABELS,
  baselineBuild,
  ensurePeerBuild,
  removePeerBuilds,
  type PeerBuild,
  type PeerId,
} from './lib/variants.ts';

const PHASES = ['peers', 'bearer', 'refresh', 'load', 'signin', 'lighthouse', 'scaleout', 'twoinstances'] as const;
type Phase = (typeof PHASES)[number];

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    // Also measure (m), this app without the verified-session memo (what the memo buys), and (f), this
    // app's proxy forwarding the cookie unverified (what authenticating costs against the rest), in the same run.
    ablation: { type: 'boolean', default: false },
    // The (o) build of another commit, measured as peer (b) in the same rounds: before/after in one sitting.
    baseline: { type: 'string' },
    // Build (or find cached) what the enabled phases need, then stop: measure later on a quiet machine.
    'build-only': { type: 'boolean', default: false },
    // Keep the build copies for the next run (each run removes them otherwise).
    'keep-builds': { type: 'boolean', default: false },
    only: { type: 'string' },
    skip: { type: 'string' },
    out: { type: 'string', default: path.join(ROOT, 'bench/results/latest.json') },
  },
});

function phaseList(value: string | undefined): Phase[] {
  if (!value) return [];
  const names = value.split(',').map((name) => name.trim());
  for (const name of names) if (!PHASES.includes(name as Phase)) throw new Error(`unknown phase "${name}" (phases: ${PHASES.join(', ')})`);
  return names as Phase[];
}
const only = phaseList(args.only);
const skip = phaseList(args.skip);
const enabled = (phase: Phase) => (only.length === 0 || only.includes(phase)) && !skip.includes(phase);

const quick = args.quick;
const SETTINGS = {
  peers: quick
    ? { rounds: 2, throughputRequests: 150, latencyRequests: 50, warmupRequests: 100, steadyRequests: 1_000, connections: 8 }
    : // 12 rounds of 500 requests (≈ 3 s per run): on this VM a 300-request run swung by up to 2× with
      // whether a major GC fell inside it; longer runs and more pairs give a steadier median ratio.
      { rounds: 12, throughputRequests: 500, latencyRequests: 100, warmupRequests: 500, steadyRequests: 5_000, connections: 8 },
  bearer: quick
    ? { rounds: 2, throughputRequests: 300, latencyRequests: 50, warmupRequests: 300, connections: 8 }
    : { rounds: 12, throughputRequests: 1_000, latencyRequests: 200, warmupRequests: 1_000, connections: 8 },
  refreshParallel: [5, 10, 20],
  // The issue's 100 × 50, then 4× the sessions to see how req/s, p99 and RSS grow.
  load: quick
    ? [
        { sessions: 20, requestsPerSession: 10, maxSeconds: 60 },
        { sessions: 80, requestsPerSession: 10, maxSeconds: 120 },
      ]
    : [
        { sessions: 100, requestsPerSession: 50, maxSeconds: 150 },
        { sessions: 400, requestsPerSession: 50, maxSeconds: 420 },
      ],
  signInRuns: quick ? 5 : 20,
  scaleOutRequests: quick ? 200 : 1_000,
  twoInstancesParallel: 20,
};

/** Access-token lifetime of the peers phase's session (see there). */
const PEERS_TOKEN_TTL_SECONDS = 3_600;

const wallStart = performance.now();
const log = (line: string) => process.stdout.write(`${line}\n`);
const elapsed = () => `${((performance.now() - wallStart) / 1000).toFixed(0)}s`;

// ── Cleanup: every process we start is in a registered process group; every file in the OS temp dir goes too. ──
let mock: Mock | undefined;
let redis: RunningRedisServer | undefined;
let tempDir: string | undefined;
let cleaningUp: Promise<void> | undefined;
let stoppedBySignal = false;
function cleanup({ keepLogs = false } = {}): Promise<void> {
  cleaningUp ??= (async () => {
    stopAllLoad();
    await closePlaywrightBrowsers();
    killBrowsers();
    await stopAll();
    await mock?.running.close().catch(() => undefined);
    await redis?.stop();
    if (tempDir && !process.env.BENCH_KEEP_TEMP) {
      if (keepLogs) {
        // A failed run keeps its logs only: the error names one of them.
        for (const entry of readdirSync(tempDir)) if (entry !== 'logs') rmSync(path.join(tempDir, entry), { recursive: true, force: true });
        log(`The logs of this run stay in ${path.join(tempDir, 'logs')}: remove ${tempDir} when done.`);
      } else rmSync(tempDir, { recursive: true, force: true });
    }
    if (!args['keep-builds'] && !args['build-only']) {
      log("removing this run's build copies (--keep-builds keeps them for the next run)…");
      removePeerBuilds();
    }
  })();
  return cleaningUp;
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    stoppedBySignal = true;
    log(`\n${signal}: stopping every process the benchmark started…`);
    void cleanup().finally(() => process.exit(130));
  });
}
process.once('exit', () => {
  killAllNow();
  killBrowsers();
});

// ── Results ───────────────────────────────────────────────────────────────
const results: Record<string, unknown> = {};
const checks: Check[] = [];
const check = (id: string, metric: string, value: string, target: string, pass: boolean | null) =>
  checks.push({ id, metric, value, target, pass });

function machine() {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpu: `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown'}`,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    loadAverage: os.loadavg().map((value) => round(value, 2)),
  };
}

function gitCommit(): string | undefined {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

async function buildPeers(peers: readonly PeerId[], logDir: string): Promise<Partial<Record<PeerId, PeerBuild>> & { o: PeerBuild }> {
  const builds = {} as Partial<Record<PeerId, PeerBuild>> & { o: PeerBuild };
  for (const peer of peers) {
    if (peer === 'b') {
      builds.b = baselineBuild(args.baseline ?? '');
      log(`build: (b) ${PEER_LABELS.b}: ${builds.b.dir}`);
      continue;
    }
    log(`build: (${peer}) ${PEER_LABELS[peer]}…`);
    const build = await ensurePeerBuild(ROOT, peer, logDir);
    builds[peer] = build;
    log(`build: (${peer}) ${build.reused ? 'unchanged sources, cached build' : `built in ${build.seconds.toFixed(0)} s`} (${build.dir})`);
  }
  return builds;
}

function memorySnapshot(app: AppInstance) {
  const processes = groupMemory(app);
  return {
    processes,
    totalRssMiB: round(
      processes.reduce((sum, entry) => sum + entry.rssMiB, 0),
      1,
    ),
  };
}

/** Written after every phase too, so a run cut short still leaves what it measured. */
function writeResults(machineAtStart: ReturnType<typeof machine>, status: string) {
  const output = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    quick,
    status,
    wallSeconds: round((performance.now() - wallStart) / 1000, 1),
    machine: { ...machineAtStart, loadAverageAtEnd: os.loadavg().map((value) => round(value, 2)) },
    caveat:
      'Figures are ratios within one run where possible; absolute numbers depend on the machine and on anything else running on it. Publish figures taken on a quiet machine.',
    checks,
    results,
  };
  mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
  writeFileSync(path.resolve(args.out), `${JSON.stringify(output, null, 2)}\n`);
  return output;
}

async function main() {
  process.chdir(ROOT);
  const machineAtStart = machine();
  tempDir = mkdtempSync(path.join(os.tmpdir(), 'authkit-bench-'));
  const logDir = path.join(tempDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  log(`authkit starter benchmark — ${quick ? 'QUICK (development figures only)' : 'full'} run, logs in ${logDir}`);
  log(
    `machine: ${machineAtStart.cpu}, ${machineAtStart.memoryGiB} GiB, load ${machineAtStart.loadAverage.join(' ')}, Node ${machineAtStart.node}`,
  );

  // The browser phases need the full Chromium (not a headless shell): provision it now (Playwright's, a system
  // one, or Debian's installed with apt-get as root, as for the e2e suite), or stop now, not after the build.
  if (enabled('signin') || (enabled('lighthouse') && !process.env.CHROME_PATH))
    chromiumLaunchOptions({ fullBrowser: true, installAllowed: process.env.BENCH_NO_INSTALL !== '1' });
  const peerIds: readonly PeerId[] = enabled('peers')
    ? [...PEER_IDS, ...(args.ablation ? ABLATION_PEER_IDS : []), ...(args.baseline ? (['b'] as const) : [])]
    : ['o'];
  const builds = await buildPeers(peerIds, logDir);
  results.builds = Object.fromEntries(
    Object.values(builds).map((build) => [build.peer, { hash: build.hash, reused: build.reused, seconds: round(build.seconds, 1) }]),
  );
  if (args['build-only']) {
    log(`builds ready (${elapsed()}); --build-only: not measuring`);
    return;
  }
  const buildOf = (peer: PeerId): PeerBuild => {
    const build = builds[peer];
    if (!build) throw new Error(`no build for peer (${peer})`);
    return build;
  };

  const ports = {
    app: await freePort(),
    balancer: await freePort(),
    one: await freePort(),
    two: await freePort(),
    pairOne: await freePort(),
    pairTwo: await freePort(),
  };
  mock = await startMock([redirectUri(ports.app), redirectUri(ports.balancer), redirectUri(ports.pairOne)]);
  const app: AppInstance = await startApp({ name: 'app', dir: builds.o.dir, port: ports.app, mockPort: mock.running.port, logDir });
  log(`app (o): next start on ${app.url}, mock WorkOS on ${mock.url} (${elapsed()})`);
  results.memoryAtStart = memorySnapshot(app);

  let dashboardRps = 100;
  if (enabled('peers')) {
    log(`\n[1+2] peers: this app against no proxy, a proxy that does nothing and plain authkit; steady state (${elapsed()})`);
    const others: Partial<Record<PeerId, AppInstance>> = {};
    for (const peer of peerIds) {
      if (peer !== 'o')
        others[peer] = await startApp({
          name: `peer-${peer}`,
          dir: buildOf(peer).dir,
          port: await freePort(),
          mockPort: mock.running.port,
          logDir,
        });
    }
    try {
      const user = await createBenchUser(mock.control, 'peers');
      // One Cookie header for the whole phase (autocannon does not keep Set-Cookie): its token must not
      // reach the refresh window while the rounds run, or every request would refresh (and fail once the
      // single-use refresh token is spent). A 5-minute token did, on a crowded machine; give it an hour.
      await mock.control.setAccessTokenTtl(PEERS_TOKEN_TTL_SECONDS);
      let jar;
      try {
        ({ jar } = await signInOverHttp({ appUrl: app.url, email: user.email, password: user.password }));
      } finally {
        await mock.control.setAccessTokenTtl(DEFAULT_TOKEN_TTL_SECONDS);
      }
      const { peers, steady } = await measurePeers(
        { o: app, ...others },
        mock,
        { cookie: jar.header(), email: user.email, fixtureEmail: BENCH_FIXTURE.session.user.email },
        SETTINGS.peers,
        log,
      );
      const own = peers.peers.o;
      if (!own) throw new Error('peers: no figures for (o)');
      dashboardRps = own.rps;
      results.peers = peers;
      results.steadyState = steady;
      const figure = (id: PeerId) => peers.peers[id] ?? { rps: Number.NaN, p50Ms: Number.NaN, p99Ms: Number.NaN, requests: 0, failed: 0 };
      const figures = (id: PeerId) => `${id} ${figure(id).rps}`;
      const ratioCheck = (key: string, target: number | null) => {
        const value = peers.throughputRatio[key];
        if (!value) return;
        const [of, peer] = key.split('/') as [PeerId, PeerId];
        check(
          `peers.${key}`,
          `Req/s ${key} (${peers.connections} conn., median of ${peers.rounds} rounds)`,
          `${value.median.toFixed(3)} (${value.min.toFixed(3)}–${value.max.toFixed(3)}; ${figures(of)} vs ${figures(peer)} req/s)`,
          target === null ? 'reported' : `≥ ${target.toFixed(2)}`,
          target === null ? null : value.median >= target,
        );
      };
      ratioCheck('o/k', 1.2);
      ratioCheck('o/n', 0.9);
      ratioCheck('o/a', null);
      if (args.baseline) ratioCheck('o/b', null);
      if (args.ablation) {
        ratioCheck('o/m', null);
        ratioCheck('o/f', null);
        ratioCheck('f/n', null);
      }
      const addedCheck = (metric: 'addedP50Ms' | 'addedP99Ms', key: string, target: number | null) => {
        const value = peers[metric][key];
        if (!value) return;
        const [of, peer] = key.split('-') as [PeerId, PeerId];
        const label = metric === 'addedP50Ms' ? 'p50' : 'p99';
        check(
          `peers.${label}.${key}`,
          `Added ${label}${of === 'o' ? '' : ` of (${of})`} over (${peer}), 1 conn. (median of ${peers.rounds} rounds)`,
          `${value.median >= 0 ? '+' : ''}${value.median} ms (${value.min} to ${value.max}; ${label} ${of} ${figure(of)[`${label}Ms`]} vs ${peer} ${figure(peer)[`${label}Ms`]} ms)`,
          target === null ? 'reported' : `≤ ${target} ms`,
          target === null ? null : value.median <= target,
        );
      };
      addedCheck('addedP50Ms', 'o-n', 0.5);
      addedCheck('addedP50Ms', 'o-a', null);
      addedCheck('addedP99Ms', 'o-n', null);
      addedCheck('addedP99Ms', 'o-a', null);
      if (args.baseline) addedCheck('addedP50Ms', 'o-b', null);
      if (args.ablation) {
        addedCheck('addedP50Ms', 'o-m', null);
        addedCheck('addedP50Ms', 'o-f', null);
        addedCheck('addedP50Ms', 'f-n', null);
      }
      const failed = peerIds.reduce((sum, id) => sum + figure(id).failed, 0);
      check('peers.failed', `Peers: failed requests (all ${peerIds.length})`, String(failed), '0', failed === 0);
      check(
        'steady.jwks',
        `Steady state: JWKS fetches (${steady.signedInRequests} signed-in requests to (o), ${steady.seconds} s)`,
        String(steady.jwksFetches),
        `≤ ${steady.jwksFetchesAllowed} (1 per process per 10 min)`,
        steady.jwksFetches <= steady.jwksFetchesAllowed,
      );
      check(
        'steady.tokens',
        'Steady state: token calls',
        `${steady.tokenCalls} (other WorkOS calls: ${JSON.stringify(steady.otherWorkOSCalls)})`,
        '0',
        steady.tokenCalls === 0 && steady.failed === 0,
      );
    } finally {
      for (const other of Object.values(others)) await other.stop();
    }
  }

  writeResults(machineAtStart, 'running');
  if (enabled('bearer')) {
    log(`\n[9] a Bearer-verified API route against an unauthenticated one (${elapsed()})`);
    const user = await createBenchUser(mock.control, 'bearer');
    // The token must outlive the phase: an hour, as for the peers phase.
    await mock.control.setAccessTokenTtl(PEERS_TOKEN_TTL_SECONDS);
    let accessToken: string;
    try {
      accessToken = await accessTokenOf((await signInOverHttp({ appUrl: app.url, email: user.email, password: user.password })).jar);
    } finally {
      await mock.control.setAccessTokenTtl(DEFAULT_TOKEN_TTL_SECONDS);
    }
    const bearer = await measureBearer(app, mock, accessToken, SETTINGS.bearer, log);
    results.bearer = bearer;
    check(
      'bearer.ratio',
      `Req/s GET /api/projects with a Bearer token ÷ without (${bearer.connections} conn., median of ${bearer.rounds} rounds)`,
      `${bearer.throughputRatio.median.toFixed(3)} (${bearer.throughputRatio.min.toFixed(3)}–${bearer.throughputRatio.max.toFixed(3)}; ${bearer.verified.rps} vs ${bearer.unauthenticated.rps} req/s)`,
      '≥ 0.90',
      bearer.verified.failed === 0 && bearer.unauthenticated.failed === 0 && bearer.throughputRatio.median >= 0.9,
    );
    check(
      'bearer.p50',
      'Added p50 of verifying the Bearer token, 1 conn. (median of rounds)',
      `${bearer.addedP50Ms.median >= 0 ? '+' : ''}${bearer.addedP50Ms.median} ms (p50 ${bearer.verified.p50Ms} vs ${bearer.unauthenticated.p50Ms} ms)`,
      'reported',
      null,
    );
    check(
      'bearer.workos',
      'Bearer route: WorkOS calls while measured (JWKS cached)',
      JSON.stringify(bearer.workosCalls),
      '{}',
      Object.keys(bearer.workosCalls).length === 0,
    );
  }

  writeResults(machineAtStart, 'running');
  if (enabled('refresh')) {
    log(`\n[3] refresh at expiry (${elapsed()})`);
    const bursts = [];
    for (const parallel of SETTINGS.refreshParallel) {
      const burst = await refreshBurst(app, mock, parallel);
      bursts.push(burst);
      log(
        `  N=${parallel}: ${burst.refreshCalls} refresh calls, ${burst.failed} failed, ${burst.deletedCookie} cookie deletions, session ${burst.sessionLost ? 'LOST' : 'kept'}`,
      );
    }
    results.refreshAtExpiry = bursts;
    for (const burst of bursts) {
      check(
        `refresh.n${burst.parallel}`,
        `Refresh at expiry, N=${burst.parallel}: refresh calls / failed / session lost`,
        `${burst.refreshCalls} / ${burst.failed} / ${burst.sessionLost ? 'yes' : 'no'}`,
        burst.parallel === 20 ? '0 failed, not lost' : 'reported',
        burst.parallel === 20 ? burst.failed === 0 && !burst.sessionLost : null,
      );
    }
  }

  writeResults(machineAtStart, 'running');
  if (enabled('load')) {
    const loads = [];
    for (const settings of SETTINGS.load) {
      log(`\n[7] load: ${settings.sessions} sessions × ${settings.requestsPerSession} requests (${elapsed()})`);
      const memoryBefore = memorySnapshot(app);
      const load = await loadTest(app, mock, { ...settings, expiringShare: 0.1, expectedRps: dashboardRps }, log);
      const memoryAfter = memorySnapshot(app);
      const caches = await cacheReport(app);
      loads.push({ ...load, memoryBefore, memoryAfter, caches: caches?.caches ?? null });
      log(
        `  ${load.requests} requests in ${load.seconds} s (${load.rps} req/s, p99 ${load.p99Ms} ms), ${load.refreshCalls} refreshes, ${load.failed + load.networkErrors} failed, ${load.lostSessions} sessions lost`,
      );
      log(
        `  RSS ${memoryBefore.totalRssMiB} → ${memoryAfter.totalRssMiB} MiB (${memoryAfter.processes.map((entry) => `pid ${entry.pid} ${entry.rssMiB} MiB`).join(', ')})`,
      );
      log(
        `  caches at the end: ${
          caches
            ? Object.entries(caches.caches)
                .map(([name, size]) => `${name} ${size.entries.join('+')}/${size.max}`)
                .join(', ')
            : 'no report (see the server log)'
        }`,
      );
      check(
        `load.${load.sessions}`,
        `Load ${load.sessions}×${load.requestsPerSession}, ${load.expiringSessions} refreshing: failed / lost sessions`,
        `${load.failed + load.networkErrors} / ${load.lostSessions} (${load.refreshCalls} refreshes, ${load.rps} req/s, p99 ${load.p99Ms} ms)`,
        '0 / 0',
        load.completed && load.failed + load.networkErrors === 0 && load.lostSessions === 0 && load.refreshCalls >= load.expiringSessions,
      );
      check(
        `load.${load.sessions}.rss`,
        `Load ${load.sessions}×${load.requestsPerSession}: RSS before → after (all processes)`,
        `${memoryBefore.totalRssMiB} → ${memoryAfter.totalRssMiB} MiB`,
        'reported',
        null,
      );
      const unbounded = caches
        ? Object.entries(caches.caches).filter(([, size]) => size.entries.some((entries) => entries > size.max))
        : [];
      check(
        `load.${load.sessions}.caches`,
        `Load ${load.sessions}×${load.requestsPerSession}: in-process caches (entries / bound)`,
        caches
          ? Object.entries(caches.caches)
              .map(([name, size]) => `${name} ${size.entries.join('+')}/${size.max}`)
              .join(', ')
          : 'no report',
        'each ≤ its bound',
        caches !== undefined && unbounded.length === 0,
      );
    }
    results.load = loads;
  }

  writeResults(machineAtStart, 'running');
  if (enabled('signin')) {
    log(`\n[4] sign-in round trip in Chromium, ${SETTINGS.signInRuns} runs (${elapsed()})`);
    const signIn = await browserSignIn(app, mock, SETTINGS.signInRuns, log);
    results.signInRoundTrip = signIn;
    check(
      'signin.lcp',
      'Sign-in round trip: submit → dashboard LCP, median (p90)',
      `${signIn.lcpMedianMs} ms (${signIn.lcpP90Ms} ms), ${signIn.runs} runs`,
      'median ≤ 250 ms',
      signIn.failures === 0 && signIn.lcpMedianMs <= 250,
    );
    check(
      'signin.load',
      'Sign-in round trip: submit → dashboard `load`, median (p90)',
      `${signIn.finishMedianMs} ms (${signIn.finishP90Ms} ms)`,
      'reported',
      signIn.failures === 0 ? null : false,
    );
    check(
      'signin.start',
      'Sign-in start: click → hosted page loaded, median (p90)',
      `${signIn.startMedianMs} ms (${signIn.startP90Ms} ms)`,
      'reported',
      null,
    );
    check(
      'signin.firstbyte',
      'Sign-in round trip: submit → dashboard first byte (the server hops), median',
      `${signIn.firstByteMedianMs} ms`,
      'reported',
      null,
    );
    check(
      'signin.harness',
      "Playwright's click() before the submit event (not in the figures above), median",
      `${signIn.harnessMedianMs} ms`,
      'reported',
      null,
    );
  }

  writeResults(machineAtStart, 'running');
  if (enabled('lighthouse')) {
    log(`\n[5] page weight and Lighthouse (${elapsed()})`);
    const user = await createBenchUser(mock.control, 'lighthouse');
    const { jar } = await signInOverHttp({ appUrl: app.url, email: user.email, password: user.password });
    const pages = await pageQuality(
      app.publicOrigin,
      [{ path: '/' }, { path: '/dashboard', cookie: jar.header() }],
      path.dirname(path.resolve(args.out)),
      path.join(tempDir, 'chrome-profile'),
    );
    results.pages = pages;
    for (const page of pages) {
      const onPage = new URL(page.finalUrl).pathname === page.path;
      check(
        `pages.${page.path}.js`,
        `${page.path}: JavaScript transferred`,
        `${(page.javascriptBytes / 1024).toFixed(1)} KiB in ${page.javascriptRequests} files (page total ${(page.totalBytes / 1024).toFixed(1)} KiB)`,
        'reported',
        onPage ? null : false,
      );
      check(
        `pages.${page.path}.lighthouse`,
        `${page.path}: Lighthouse perf / a11y / best practices`,
        `${page.performance} / ${page.accessibility} / ${page.bestPractices} (LCP ${page.lcpMs} ms, TBT ${page.tbtMs} ms)`,
        '≥ 95 / 100 / 100',
        onPage && page.performance >= 95 && page.accessibility === 100 && page.bestPractices === 100,
      );
    }
  }

  writeResults(machineAtStart, 'running');
  if (enabled('scaleout')) {
    log(`\n[6] scale-out: two instances behind nginx (${elapsed()})`);
    const nginx = ensureNginx(log);
    // Free the single-instance server's CPU for the two new ones.
    await app.stop();
    const sinceSeq = mock.seq();
    const shared = { mockPort: mock.running.port, publicPort: ports.balancer, logDir };
    const one = await startApp({ name: 'instance-1', dir: builds.o.dir, port: ports.one, ...shared });
    const two = await startApp({ name: 'instance-2', dir: builds.o.dir, port: ports.two, ...shared });
    const balancer = await startLoadBalancer(nginx, {
      port: ports.balancer,
      upstreamPorts: [ports.one, ports.two],
      dir: path.join(tempDir, 'nginx'),
    });
    const scale = await scaleOut([one, two], balancer, mock, { requests: SETTINGS.scaleOutRequests, maxSeconds: 120, sinceSeq });
    results.scaleOut = scale;
    log(
      `  ${scale.requests} requests ${JSON.stringify(scale.perInstance)}, alternating: ${scale.alternated}, refreshes ${JSON.stringify(scale.refreshedBy)}`,
    );
    check(
      'scaleout',
      'Scale-out (2 instances, nginx): failed / refreshes / survives on both',
      `${scale.failed} / ${scale.refreshCalls} / ${scale.survivesOnBoth ? 'yes' : 'no'} (${scale.requests} requests ${JSON.stringify(scale.perInstance)})`,
      '0 / ≥ 1 / yes',
      scale.failed === 0 && scale.refreshCalls >= 1 && scale.survivesOnBoth && scale.alternated,
    );
    check('scaleout.jwks', 'Scale-out: JWKS fetches (2 processes)', String(scale.jwksFetches), '≤ 2', scale.jwksFetches <= 2);
  }

  if (enabled('twoinstances')) {
    log(`\n[8] refresh at expiry across two instances, without and with Redis (${elapsed()})`);
    if (!provisionRedisServer({ allowed: process.env.BENCH_NO_INSTALL !== '1', log: (line) => log(`  ${line}`) }))
      throw new Error(`the twoinstances phase needs redis-server: ${missingRedisServerMessage()}`);
    await app.stop();
    redis = await startRedisServer();
    const bursts: Record<string, unknown> = {};
    const configurations: Array<[string, Record<string, string>]> = [
      ['without Redis', {}],
      ['with Redis', { REDIS_URL: redis.url }],
    ];
    for (const [label, extraEnv] of configurations) {
      const shared = { dir: builds.o.dir, mockPort: mock.running.port, logDir, extraEnv };
      const pair = [
        await startApp({ name: `pair-one-${label.replace(/\W/g, '')}`, port: ports.pairOne, ...shared }),
        await startApp({ name: `pair-two-${label.replace(/\W/g, '')}`, port: ports.pairTwo, ...shared }),
      ];
      const burst = await refreshBurst(pair, mock, SETTINGS.twoInstancesParallel);
      await Promise.all(pair.map((instance) => instance.stop()));
      bursts[label] = burst;
      log(
        `  ${label}: ${burst.refreshCalls} refresh calls, ${burst.failed} failed, ${burst.deletedCookie} cookie deletions, session ${burst.sessionLost ? 'LOST' : 'kept'}`,
      );
      check(
        `twoinstances.${label === 'with Redis' ? 'redis' : 'noredis'}`,
        `Refresh at expiry, 2 instances ${label}, N=${burst.parallel}: refresh calls / cookie deletions / session lost`,
        `${burst.refreshCalls} / ${burst.deletedCookie} / ${burst.sessionLost ? 'yes' : 'no'} (${burst.failed} failed)`,
        label === 'with Redis' ? '1 / 0 / no' : 'reported',
        label === 'with Redis' ? burst.refreshCalls === 1 && burst.deletedCookie === 0 && !burst.sessionLost && burst.failed === 0 : null,
      );
    }
    results.twoInstances = bursts;
  }

  const output = writeResults(machineAtStart, 'complete');
  const { wallSeconds } = output;

  log(
    `\nResults (${quick ? 'QUICK run — not for publishing' : 'full run'}; load average ${machineAtStart.loadAverage[0]} → ${output.machine.loadAverageAtEnd[0]} on ${machineAtStart.cpu})`,
  );
  printTable(checks, log);
  log(`\nwall time ${wallSeconds} s · JSON: ${path.relative(ROOT, path.resolve(args.out))}`);
  const failed = checks.filter((entry) => entry.pass === false).length;
  log(failed === 0 ? 'All targets met.' : `${failed} target(s) missed: see docs/performance.md for what each means.`);
}

try {
  await main();
} catch (error) {
  process.exitCode = 1;
  // Stopped by a signal, what fails is only what the stop interrupted.
  if (!stoppedBySignal) log(`\nbenchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  await cleanup({ keepLogs: process.exitCode === 1 });
}
