/**
 * A second `next start` of the same e2e build, with some variables changed:
 * how tests prove that one build follows its runtime configuration (an https
 * redirect URI, a cookie domain). Started through the same script as the
 * suite's own app server, so it runs exactly what users run.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appEnv } from './env.ts';

export interface ExtraAppServer {
  /** http://localhost:<port>: reached over plain http whatever the redirect URI says. */
  url: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 100;

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { redirect: 'manual' });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

export async function startExtraAppServer({
  port,
  env,
  logFile,
}: {
  port: number;
  env: Record<string, string>;
  logFile: string;
}): Promise<ExtraAppServer> {
  const mockPort = Number(process.env.E2E_MOCK_PORT);
  if (!mockPort) throw new Error('E2E_MOCK_PORT is not set: run the suite through playwright.config.ts');
  const url = `http://localhost:${port}`;
  const child = spawn(process.execPath, ['e2e/support/app-server.ts', String(port), logFile], {
    env: { ...process.env, ...appEnv({ appPort: port, mockPort }), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = once(child, 'exit');
  const deadline = Date.now() + READY_TIMEOUT_MS;
  // Poll until the server answers: it has no readiness signal of its own.
  while (!(await answers(`${url}/`))) {
    if (child.exitCode !== null) throw new Error(`the extra app server stopped (exit ${child.exitCode}); see ${logFile}`);
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`the extra app server did not answer on ${url} within ${READY_TIMEOUT_MS} ms; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
