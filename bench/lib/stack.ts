/**
 * What the benchmark runs against: the mock WorkOS (in this process, so its
 * request log is read directly) and `next start` instances of the peer builds
 * (bench/lib/variants.ts), all on 127.0.0.1.
 */
import path from 'node:path';
import { MockWorkOSControl } from '../../e2e/mock-workos/control-client.ts';
import { DEMO_PASSWORD, SEED_ORGANIZATION_IDS } from '../../e2e/mock-workos/seed.ts';
import { startMockWorkOS, type RunningMockWorkOS } from '../../e2e/mock-workos/server.ts';
import type { MockEndpoint, RequestLogEntry } from '../../e2e/mock-workos/store.ts';
import { E2E_API_KEY, E2E_CLIENT_ID, appEnv, appOrigin, redirectUri } from '../../e2e/support/env.ts';
import { startProcess, stopProcess, waitForHttp, type ManagedProcess } from './processes.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** WorkOS' default access-token lifetime, which the mock also uses. */
export const DEFAULT_TOKEN_TTL_SECONDS = 300;

export interface Mock {
  running: RunningMockWorkOS;
  control: MockWorkOSControl;
  url: string;
  /** Mock calls logged after entry `sinceSeq` (see {@link Mock.seq}). */
  calls(sinceSeq: number, filter?: { endpoint?: MockEndpoint; grantType?: string; userId?: string }): RequestLogEntry[];
  /** The latest log sequence number: a bookmark for calls(). */
  seq(): number;
}

export async function startMock(redirectUris: string[]): Promise<Mock> {
  const running = await startMockWorkOS({ port: 0, host: '127.0.0.1', clientId: E2E_CLIENT_ID, apiKey: E2E_API_KEY, redirectUris });
  const control = new MockWorkOSControl(running.url);
  return {
    running,
    control,
    url: running.url,
    calls: (sinceSeq, filter = {}) => running.store.requestLog(filter).filter((entry) => entry.seq > sinceSeq),
    seq: () => running.store.requestLog().at(-1)?.seq ?? 0,
  };
}

export interface AppInstance {
  name: string;
  port: number;
  /** Where the benchmark sends requests. */
  url: string;
  /** The origin the app calls itself (its redirect URI's), e.g. http://localhost:PORT. */
  publicOrigin: string;
  process: ManagedProcess;
  logFile: string;
  stop(): Promise<void>;
}

export interface StartAppOptions {
  name: string;
  /** The built copy to serve (a peer build's directory). */
  dir: string;
  /** Chosen up front: the mock's redirect-URI allow-list must name it. */
  port: number;
  mockPort: number;
  /** The port the public origin (redirect URI) uses: the instance's own, or a load balancer's. */
  publicPort?: number;
  logDir: string;
  /** More environment, e.g. REDIS_URL. */
  extraEnv?: Record<string, string>;
}

export async function startApp({ name, dir, port, mockPort, publicPort, logDir, extraEnv = {} }: StartAppOptions): Promise<AppInstance> {
  const publicAppPort = publicPort ?? port;
  const logFile = path.join(logDir, `${name}.log`);
  const env: Record<string, string | undefined> = {
    NODE_ENV: 'production',
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    // e.g. BENCH_APP_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the servers under load.
    NODE_OPTIONS: process.env.BENCH_APP_NODE_OPTIONS,
    ...appEnv({ appPort: publicAppPort, mockPort }),
    ...extraEnv,
  };
  const nextBin = path.join(dir, 'node_modules/next/dist/bin/next');
  const managed = startProcess(name, process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    env,
    logFile,
    cwd: dir,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/`, managed, 60_000);
  return { name, port, url, publicOrigin: appOrigin(publicAppPort), process: managed, logFile, stop: () => stopProcess(managed) };
}

export { redirectUri };
export { freePort } from '../../e2e/support/ports.ts';

let userCounter = 0;

/** A fresh password user, member of Acme (what the control page's fixture shows). */
export async function createBenchUser(control: MockWorkOSControl, label: string): Promise<{ id: string; email: string; password: string }> {
  userCounter += 1;
  const email = `bench-${label}-${userCounter}-${Date.now().toString(36)}@example.com`;
  const { user } = await control.createUser({
    email,
    password: DEMO_PASSWORD,
    firstName: 'Bench',
    lastName: 'Member',
    memberships: [{ organizationId: SEED_ORGANIZATION_IDS.acme, role: 'member' }],
  });
  return { id: user.id, email, password: DEMO_PASSWORD };
}
