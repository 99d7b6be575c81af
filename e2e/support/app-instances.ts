/**
 * Extra `next start` instances of the e2e build, for tests about several
 * instances (the suite's own app server is started by playwright.config.ts).
 * Each runs through app-server.ts, so its log lands in a file under
 * test-results/ and a server that could not start says why.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from './ports.ts';

const READY_TIMEOUT_MS = 60_000;

export interface AppInstance {
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

export async function startAppInstance(name: string, env: Record<string, string>): Promise<AppInstance> {
  const port = await freePort();
  const logFile = path.join('test-results', `${name}-${port}.log`);
  const child = spawn(process.execPath, ['e2e/support/app-server.ts', String(port), logFile], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited before it answered; see ${logFile}`);
    try {
      // The first render of a cold server on a busy machine can take seconds: wait for it, up to the deadline.
      const response = await fetch(`${url}/`, { redirect: 'manual', signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
      await response.arrayBuffer();
      if (response.status < 500) return { url, logFile, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} did not answer ${url} within ${READY_TIMEOUT_MS} ms; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
