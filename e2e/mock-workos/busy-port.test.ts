/**
 * A port another process holds: `npm run mock` and `npm run dev:mock` stop with
 * one line naming the variable that moves it (MOCK_WORKOS_PORT, PORT), before
 * starting anything else.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let holder: Server;
let busyPort: number;

beforeAll(async () => {
  holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, resolve));
  busyPort = (holder.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => holder.close(resolve)));

function run(script: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

describe('a busy port names the variable that moves it', () => {
  it('npm run mock: MOCK_WORKOS_PORT', async () => {
    const { code, stderr } = await run('e2e/mock-workos/cli.ts', { MOCK_WORKOS_PORT: String(busyPort) });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      `Port ${busyPort} is already in use (another \`npm run mock\`, or another server). Stop that process, or pick another port: MOCK_WORKOS_PORT=${busyPort + 1} npm run mock`,
    );
  });

  it('npm run dev:mock: PORT for the app, checked before next starts (it would move to another port on its own)', async () => {
    const { code, stderr } = await run('scripts/dev-mock.ts', { PORT: String(busyPort), MOCK_WORKOS_PORT: '0' });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      `Port ${busyPort} is already in use (another \`npm run dev:mock\`, or another server). Stop that process, or pick another port: PORT=${busyPort + 1} npm run dev:mock`,
    );
  });

  it('npm run dev:mock: MOCK_WORKOS_PORT for the mock', async () => {
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, resolve));
    const appPort = (free.address() as AddressInfo).port;
    await new Promise((resolve) => free.close(resolve));
    const { code, stderr } = await run('scripts/dev-mock.ts', { PORT: String(appPort), MOCK_WORKOS_PORT: String(busyPort) });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      `Port ${busyPort} is already in use (another \`npm run dev:mock\`, or another server). Stop that process, or pick another port: MOCK_WORKOS_PORT=${busyPort + 1} npm run dev:mock`,
    );
  });
});
