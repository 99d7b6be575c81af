/**
 * A real, throw-away `redis-server` for tests: Debian's package (`.ci/run`
 * installs it), on a free loopback port, with nothing written to disk, stopped
 * by the test that started it.
 *
 *   const redis = await startRedisServer();
 *   ... redis.url ...
 *   redis.pause(); redis.resume();   // SIGSTOP / SIGCONT: a server that accepts but never answers
 *   await redis.stop();
 *
 * Without redis-server the tests that need it are skipped, with one line that
 * says how to install it ({@link redisTestsSkipped}); with CI=true they fail
 * instead, since CI provisions it and must run them.
 *
 * Imported by vitest tests and the e2e suite alike, so relative imports only.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './free-port.ts';
import { SYSTEM_PACKAGES, installCommand, installWithApt } from './system-packages.ts';

export const REDIS_SERVER_BINARY = process.env.REDIS_SERVER_BINARY ?? 'redis-server';
const START_TIMEOUT_MS = 10_000;

export interface RunningRedisServer {
  url: string;
  port: number;
  pid: number;
  /** SIGSTOP: the socket stays open, nothing is answered. */
  pause(): void;
  /** SIGCONT after {@link pause}. */
  resume(): void;
  stop(): Promise<void>;
}

/** True when a `redis-server` binary can be run here. */
function hasRedisServer(): boolean {
  return spawnSync(REDIS_SERVER_BINARY, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** CI=true (or 1): CI provisions redis-server (`.ci/run`), so there a missing one is a failure, not a skip. */
const redisTestsMustRun = (): boolean => /^(true|1)$/i.test(process.env.CI ?? '');

let redisServerFound: boolean | undefined;
/** Skip the Redis tests: no redis-server here, and not in CI. */
export function redisTestsSkipped(): boolean {
  redisServerFound ??= hasRedisServer();
  return !redisServerFound && !redisTestsMustRun();
}

/** The one line a run without redis-server prints. */
export const SKIPPING_REDIS_TESTS =
  'Skipping the Redis tests: redis-server is not installed. Install it (`apt-get install redis-server` or `brew install redis`) or set REDIS_SERVER_BINARY; with CI=true they fail instead.';

const MISSING_REDIS_SERVER =
  'redis-server is not installed: `apt-get install -y redis-server` (Debian/Ubuntu), `brew install redis` (macOS), or set REDIS_SERVER_BINARY. `.ci/run` installs it.';

/** The same, with the exact command for this machine's package manager where it is known. */
export function missingRedisServerMessage(): string {
  const command = installCommand(SYSTEM_PACKAGES.redisServer);
  return command ? `redis-server is not installed: run \`${command}\`, or set REDIS_SERVER_BINARY.` : MISSING_REDIS_SERVER;
}

/**
 * {@link hasRedisServer}, after installing Debian's package with apt-get where
 * that is possible (running as root with apt-get: test/system-packages.ts).
 * `.ci/run` and the benchmark's two-instance phase call it.
 */
export function provisionRedisServer(options: { allowed?: boolean; log?: (line: string) => void } = {}): boolean {
  if (hasRedisServer()) return true;
  return installWithApt(SYSTEM_PACKAGES.redisServer, options) && hasRedisServer();
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

export async function startRedisServer(): Promise<RunningRedisServer> {
  if (!hasRedisServer()) {
    throw new Error(
      redisTestsMustRun()
        ? `${MISSING_REDIS_SERVER} CI=true: the Redis tests must run here, so they fail instead of skipping.`
        : MISSING_REDIS_SERVER,
    );
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    REDIS_SERVER_BINARY,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${REDIS_SERVER_BINARY}`);

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await answersPing(port))) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}): ${stderr.trim()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer on port ${port} within ${START_TIMEOUT_MS} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  let paused = false;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid,
    pause() {
      paused = true;
      child.kill('SIGSTOP');
    },
    resume() {
      paused = false;
      child.kill('SIGCONT');
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // A stopped process only acts on SIGTERM once it runs again.
      if (paused) child.kill('SIGCONT');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
