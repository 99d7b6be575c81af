/**
 * `npm run bench` — what authentication costs per request, and that sessions
 * hold across instances and under load. See docs/performance.md.
 *
 * Runs against the e2e production build (`npm run build:e2e`, rebuilt unless
 * --reuse-build) and the mock WorkOS, everything on 127.0.0.1, every request
 * loop bounded in count and time. Prints a table, writes bench/results/latest.json.
 *
 *   npm run bench                         everything (≈ 7 min on a loaded 2-core VM)
 *   npm run bench -- --quick              small counts, for development (not for publishing)
 *   npm run bench -- --only=overhead,refresh   some phases (overhead, refresh, load, signin, lighthouse, scaleout, twoinstances)
 *   npm run bench -- --skip=lighthouse    all but some phases
 *   npm run bench -- --reuse-build        keep an existing e2e build
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromiumLaunchOptions } from '../e2e/support/browser.ts';
import { E2E_BUILD_MARKER } from '../e2e/support/env.ts';
import { stopAllLoad } from './lib/load.ts';
import { ensureNginx, startLoadBalancer } from './lib/nginx.ts';
import { killAllNow, killBrowsers, runToCompletion, stopAll } from './lib/processes.ts';
import { printTable, type Check } from './lib/report.ts';
import { signInOverHttp } from './lib/sign-in.ts';
import { ROOT, createBenchUser, freePort, redirectUri, startApp, startMock, type AppInstance, type Mock } from './lib/stack.ts';
import { hasRedisServer, startRedisServer, type RunningRedisServer } from '../test/redis-server.ts';
import { round } from './lib/stats.ts';
import { browserSignIn } from './phases/browser-sign-in.ts';
import { pageQuality } from './phases/lighthouse.ts';
import { loadTest } from './phases/load.ts';
import { measureOverhead } from './phases/overhead.ts';
import { refreshBurst } from './phases/refresh.ts';
import { scaleOut } from './phases/scale-out.ts';

const PHASES = ['overhead', 'refresh', 'load', 'signin', 'lighthouse', 'scaleout', 'twoinstances'] as const;
type Phase = (typeof PHASES)[number];

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    skip: { type: 'string' },
    'reuse-build': { type: 'boolean', default: false },
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
  overhead: quick
    ? { rounds: 2, throughputRequests: 150, latencyRequests: 50, steadyRequests: 1_000, connections: 8 }
    : { rounds: 8, throughputRequests: 500, latencyRequests: 100, steadyRequests: 5_000, connections: 8 },
  refreshParallel: [5, 10, 20],
  load: quick ? { sessions: 20, requestsPerSession: 10 } : { sessions: 100, requestsPerSession: 50 },
  signInRuns: quick ? 5 : 20,
  scaleOutRequests: quick ? 200 : 1_000,
  twoInstancesParallel: 20,
};

const wallStart = performance.now();
const log = (line: string) => process.stdout.write(`${line}\n`);
const elapsed = () => `${((performance.now() - wallStart) / 1000).toFixed(0)}s`;

// ── Cleanup: every process we start is in a registered process group. ──────────
let mock: Mock | undefined;
let redis: RunningRedisServer | undefined;
let tempDir: string | undefined;
let cleaningUp: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaningUp ??= (async () => {
    stopAllLoad();
    killBrowsers();
    await stopAll();
    await mock?.running.close().catch(() => undefined);
    await redis?.stop();
    if (tempDir && !process.env.BENCH_KEEP_TEMP) rmSync(tempDir, { recursive: true, force: true });
  })();
  return cleaningUp;
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
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
const check = (id: string, metric: string, value: string, target: string, pass: boolean | null) => checks.push({ id, metric, value, target, pass });

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

async function ensureBuild(logDir: string) {
  const reusable = existsSync(E2E_BUILD_MARKER) && existsSync('.next/BUILD_ID') && readFileSync(E2E_BUILD_MARKER, 'utf8') === readFileSync('.next/BUILD_ID', 'utf8');
  if (args['reuse-build'] && reusable) {
    log('build: reusing the existing e2e production build (--reuse-build)');
    return;
  }
  log('build: npm run build:e2e (production build with the e2e environment)…');
  await runToCompletion('build', process.execPath, [path.join(ROOT, 'e2e/support/build.ts')], { env: process.env, logFile: path.join(logDir, 'build.log'), timeoutMs: 240_000 });
  log(`build: done (${elapsed()})`);
}

async function main() {
  process.chdir(ROOT);
  const machineAtStart = machine();
  tempDir = mkdtempSync(path.join(os.tmpdir(), 'authkit-bench-'));
  const logDir = path.join(tempDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  log(`authkit starter benchmark — ${quick ? 'QUICK (development figures only)' : 'full'} run, logs in ${logDir}`);
  log(`machine: ${machineAtStart.cpu}, ${machineAtStart.memoryGiB} GiB, load ${machineAtStart.loadAverage.join(' ')}, Node ${machineAtStart.node}`);

  // The browser phases need the full Chromium (not a headless shell): stop now, not after the build.
  if (enabled('signin') || (enabled('lighthouse') && !process.env.CHROME_PATH)) chromiumLaunchOptions({ fullBrowser: true });
  await ensureBuild(logDir);

  const ports = { app: await freePort(), balancer: await freePort(), one: await freePort(), two: await freePort(), pairOne: await freePort(), pairTwo: await freePort() };
  mock = await startMock([redirectUri(ports.app), redirectUri(ports.balancer), redirectUri(ports.pairOne)]);
  const appStart = mock.seq();
  const app: AppInstance = await startApp({ name: 'app', port: ports.app, mockPort: mock.running.port, logDir, dataDir: path.join(tempDir, 'oauth-tokens') });
  log(`app: next start on ${app.url}, mock WorkOS on ${mock.url} (${elapsed()})`);

  // Control route sanity: it must render here (flag on) — and 404 without the flag is unit-tested.
  const controlProbe = await fetch(`${app.url}/bench-control`);
  await controlProbe.arrayBuffer();
  if (controlProbe.status !== 200) throw new Error(`/bench-control answered ${controlProbe.status}; is BENCH_CONTROL_ROUTE=1 reaching the server?`);

  let dashboardRps = 100;
  if (enabled('overhead')) {
    log(`\n[1+2] proxy overhead and steady state (${elapsed()})`);
    const user = await createBenchUser(mock.control, 'overhead');
    const { jar } = await signInOverHttp({ appUrl: app.url, email: user.email, password: user.password });
    const afterSignIn = mock.seq();
    const { overhead, steady } = await measureOverhead(app, mock, jar, { appStart, afterSignIn }, SETTINGS.overhead, log);
    dashboardRps = overhead.dashboard.rps;
    results.overhead = overhead;
    results.steadyState = steady;
    const { dashboard, control } = overhead;
    check('overhead.ratio', 'Proxy overhead: dashboard ÷ control req/s (8 conn.)', `${overhead.throughputRatio.toFixed(3)} (median of ${overhead.roundRatios.length} rounds; ${dashboard.rps} vs ${control.rps} req/s)`, '≥ 0.90', overhead.throughputRatio >= 0.9);
    check('overhead.p99', 'Proxy overhead: added p99 latency (1 conn.)', `${overhead.addedP99Ms} ms (p99 ${dashboard.p99Ms} vs ${control.p99Ms}; p50 ${dashboard.p50Ms} vs ${control.p50Ms})`, '≤ 2 ms', overhead.addedP99Ms <= 2);
    check('overhead.failed', 'Proxy overhead: failed requests', String(dashboard.failed + control.failed), '0', dashboard.failed + control.failed === 0);
    check('steady.jwks', `Steady state: JWKS fetches (${steady.signedInRequests} signed-in requests, 1 process)`, String(steady.jwksFetches), '≤ 1 per process', steady.jwksFetches <= 1);
    check('steady.tokens', 'Steady state: token calls', `${steady.tokenCalls} (other WorkOS calls: ${JSON.stringify(steady.otherWorkOSCalls)})`, '0', steady.tokenCalls === 0 && steady.failed === 0);
  }

  if (enabled('refresh')) {
    log(`\n[3] refresh at expiry (${elapsed()})`);
    const bursts = [];
    for (const parallel of SETTINGS.refreshParallel) {
      const burst = await refreshBurst(app, mock, parallel);
      bursts.push(burst);
      log(`  N=${parallel}: ${burst.refreshCalls} refresh calls, ${burst.failed} failed, ${burst.deletedCookie} cookie deletions, session ${burst.sessionLost ? 'LOST' : 'kept'}`);
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

  if (enabled('load')) {
    log(`\n[7] load: ${SETTINGS.load.sessions} sessions × ${SETTINGS.load.requestsPerSession} requests (${elapsed()})`);
    const load = await loadTest(app, mock, { ...SETTINGS.load, expiringShare: 0.1, expectedRps: dashboardRps, maxSeconds: 150 }, log);
    results.load = load;
    log(`  ${load.requests} requests in ${load.seconds} s (${load.rps} req/s), ${load.refreshCalls} refreshes, ${load.failed + load.networkErrors} failed, ${load.lostSessions} sessions lost`);
    check(
      'load',
      `Load ${load.sessions}×${load.requestsPerSession}, ${load.expiringSessions} refreshing: failed / lost sessions`,
      `${load.failed + load.networkErrors} / ${load.lostSessions} (${load.refreshCalls} refreshes, p99 ${load.p99Ms} ms)`,
      '0 / 0',
      load.completed && load.failed + load.networkErrors === 0 && load.lostSessions === 0 && load.refreshCalls >= load.expiringSessions,
    );
  }

  if (enabled('signin')) {
    log(`\n[4] sign-in round trip in Chromium, ${SETTINGS.signInRuns} runs (${elapsed()})`);
    const signIn = await browserSignIn(app, mock, SETTINGS.signInRuns, log);
    results.signInRoundTrip = signIn;
    check('signin', 'Sign-in round trip: submit → dashboard loaded, median (p90)', `${signIn.finishMedianMs} ms (${signIn.finishP90Ms} ms), ${signIn.runs} runs`, 'median ≤ 250 ms', signIn.failures === 0 && signIn.finishMedianMs <= 250);
    check('signin.start', 'Sign-in start: click → hosted page loaded, median (p90)', `${signIn.startMedianMs} ms (${signIn.startP90Ms} ms)`, 'reported', null);
  }

  if (enabled('lighthouse')) {
    log(`\n[5] page weight and Lighthouse (${elapsed()})`);
    const user = await createBenchUser(mock.control, 'lighthouse');
    const { jar } = await signInOverHttp({ appUrl: app.url, email: user.email, password: user.password });
    const pages = await pageQuality(app.publicOrigin, [{ path: '/' }, { path: '/dashboard', cookie: jar.header() }], path.dirname(path.resolve(args.out)));
    results.pages = pages;
    for (const page of pages) {
      const onPage = new URL(page.finalUrl).pathname === page.path;
      check(`pages.${page.path}.js`, `${page.path}: JavaScript transferred`, `${(page.javascriptBytes / 1024).toFixed(1)} KiB in ${page.javascriptRequests} files (page total ${(page.totalBytes / 1024).toFixed(1)} KiB)`, 'reported', onPage ? null : false);
      check(
        `pages.${page.path}.lighthouse`,
        `${page.path}: Lighthouse perf / a11y / best practices`,
        `${page.performance} / ${page.accessibility} / ${page.bestPractices} (LCP ${page.lcpMs} ms, TBT ${page.tbtMs} ms)`,
        '≥ 95 / 100 / 100',
        onPage && page.performance >= 95 && page.accessibility === 100 && page.bestPractices === 100,
      );
    }
  }

  if (enabled('scaleout')) {
    log(`\n[6] scale-out: two instances behind nginx (${elapsed()})`);
    const nginx = ensureNginx(log);
    // Free the single-instance server's CPU for the two new ones.
    await app.stop();
    const sinceSeq = mock.seq();
    const shared = { mockPort: mock.running.port, publicPort: ports.balancer, logDir, dataDir: path.join(tempDir, 'oauth-tokens') };
    const one = await startApp({ name: 'instance-1', port: ports.one, ...shared });
    const two = await startApp({ name: 'instance-2', port: ports.two, ...shared });
    const balancer = await startLoadBalancer(nginx, { port: ports.balancer, upstreamPorts: [ports.one, ports.two], dir: path.join(tempDir, 'nginx') });
    const scale = await scaleOut([one, two], balancer, mock, { requests: SETTINGS.scaleOutRequests, maxSeconds: 120, sinceSeq });
    results.scaleOut = scale;
    log(`  ${scale.requests} requests ${JSON.stringify(scale.perInstance)}, alternating: ${scale.alternated}, refreshes ${JSON.stringify(scale.refreshedBy)}`);
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
    if (!hasRedisServer()) throw new Error('the twoinstances phase needs redis-server (apt-get install redis-server)');
    await app.stop();
    redis = await startRedisServer();
    const bursts: Record<string, unknown> = {};
    const configurations: Array<[string, Record<string, string>]> = [
      ['without Redis', {}],
      ['with Redis', { REDIS_URL: redis.url }],
    ];
    for (const [label, extraEnv] of configurations) {
      const shared = { mockPort: mock.running.port, logDir, dataDir: path.join(tempDir, 'oauth-tokens'), extraEnv };
      const pair = [await startApp({ name: `pair-one-${label.replace(/\W/g, '')}`, port: ports.pairOne, ...shared }), await startApp({ name: `pair-two-${label.replace(/\W/g, '')}`, port: ports.pairTwo, ...shared })];
      const burst = await refreshBurst(pair, mock, SETTINGS.twoInstancesParallel);
      await Promise.all(pair.map((instance) => instance.stop()));
      bursts[label] = burst;
      log(`  ${label}: ${burst.refreshCalls} refresh calls, ${burst.failed} failed, ${burst.deletedCookie} cookie deletions, session ${burst.sessionLost ? 'LOST' : 'kept'}`);
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

  const wallSeconds = round((performance.now() - wallStart) / 1000, 1);
  const output = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    quick,
    wallSeconds,
    machine: { ...machineAtStart, loadAverageAtEnd: os.loadavg().map((value) => round(value, 2)) },
    caveat: 'Figures are ratios within one run where possible; absolute numbers depend on the machine and on anything else running on it. Publish figures taken on a quiet machine.',
    checks,
    results,
  };
  mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
  writeFileSync(path.resolve(args.out), `${JSON.stringify(output, null, 2)}\n`);

  log(`\nResults (${quick ? 'QUICK run — not for publishing' : 'full run'}; load average ${machineAtStart.loadAverage[0]} → ${output.machine.loadAverageAtEnd[0]} on ${machineAtStart.cpu})`);
  printTable(checks, log);
  log(`\nwall time ${wallSeconds} s · JSON: ${path.relative(ROOT, path.resolve(args.out))}`);
  const failed = checks.filter((entry) => entry.pass === false).length;
  log(failed === 0 ? 'All targets met.' : `${failed} target(s) missed: see docs/performance.md for what each means.`);
}

try {
  await main();
} catch (error) {
  process.exitCode = 1;
  log(`\nbenchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  await cleanup();
}
