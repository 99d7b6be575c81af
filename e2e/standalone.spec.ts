/**
 * The deployable artifact: `node .next/standalone/server.js` from the e2e build,
 * which `npm run build:e2e` makes without any WorkOS value (the way a CI or
 * container build is made) and completes with `.next/static` and `public`.
 * Every value reaches the server at run time only. Each test starts its own
 * server (and mock) on free ports and stops it by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { formatConfigProblems, parseAuthConfig } from '../lib/auth/config/env';
import { startMockWorkOS } from './mock-workos/server';
import { E2E_API_KEY, E2E_CLIENT_ID, appEnv, appOrigin, redirectUri } from './support/env';
import { freePort } from './support/ports';
import { expect, signInThroughHostedPage, test } from './fixtures';

const STANDALONE_SERVER = path.join('.next', 'standalone', 'server.js');

/** This test run's environment without anything WorkOS, so only what a test passes reaches the server. */
function environmentWithoutWorkOS(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(NEXT_PUBLIC_)?WORKOS_/.test(name))) as NodeJS.ProcessEnv;
}

interface StandaloneServer {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startStandalone(env: NodeJS.ProcessEnv): StandaloneServer {
  const child = spawn(process.execPath, [STANDALONE_SERVER], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, output: () => output, exited };
}

async function stop(server: StandaloneServer): Promise<void> {
  if (server.process.exitCode === null && server.process.signalCode === null) server.process.kill('SIGTERM');
  await server.exited;
}

test.beforeAll(() => {
  if (!existsSync(STANDALONE_SERVER))
    throw new Error(`${STANDALONE_SERVER} is missing: run \`npm run build:e2e\` (next.config.js sets output: 'standalone').`);
});

test('the e2e build was made without a redirect URI: the server code reads it at run time', () => {
  // A build made with NEXT_PUBLIC_WORKOS_REDIRECT_URI set has its value inlined here instead.
  const serverChunks = path.join('.next', 'standalone', '.next', 'server');
  const code = readdirSync(serverChunks, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(path.join(serverChunks, file), 'utf8'))
    .join('\n');
  expect(code).toContain('process.env.NEXT_PUBLIC_WORKOS_REDIRECT_URI??');
  expect(code).not.toMatch(/https?:\/\/[^"'`\s]+\/api\/auth\/callback/);
});

test('the standalone server refuses to start without the WorkOS values, with the one message and no stack trace', async () => {
  const server = startStandalone({ ...environmentWithoutWorkOS(), PORT: String(await freePort()), HOSTNAME: '127.0.0.1' });
  try {
    const missing = parseAuthConfig({});
    if (missing.ok) throw new Error('an empty environment cannot be a valid configuration');
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain(`\n${formatConfigProblems(missing.problems)}\n`);
    expect(server.output()).not.toMatch(/^\s+at /m);
  } finally {
    await stop(server);
  }
});

test('node .next/standalone/server.js serves the app with its assets, and a demo account signs in', async ({ browser }) => {
  const appPort = await freePort();
  const origin = appOrigin(appPort);
  // Its own mock: the shared one only accepts the shared app's redirect URI.
  const mock = await startMockWorkOS({ port: 0, clientId: E2E_CLIENT_ID, apiKey: E2E_API_KEY, redirectUris: [redirectUri(appPort)] });
  const server = startStandalone({
    ...environmentWithoutWorkOS(),
    ...appEnv({ appPort, mockPort: mock.port }),
    PORT: String(appPort),
    HOSTNAME: 'localhost',
  });
  try {
    await expect
      .poll(
        async () => {
          if (server.process.exitCode !== null) throw new Error(`the standalone server exited early:\n${server.output()}`);
          return fetch(`${origin}/`).then(
            (response) => response.status,
            () => 0,
          );
        },
        { timeout: 20_000 },
      )
      .toBe(200);

    // public/ was copied next to server.js.
    expect((await fetch(`${origin}/robots.txt`)).status).toBe(200);

    const context = await browser.newContext({ baseURL: origin });
    const page = await context.newPage();
    const assetStatuses: number[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/_next/static/')) assetStatuses.push(response.status());
    });
    await signInThroughHostedPage(page, { email: 'admin@example.com' });
    await expect(page).toHaveURL(`${origin}/dashboard`);
    await expect(page.getByTestId('user-email')).toHaveText('admin@example.com');
    // .next/static was copied too: scripts and styles load, and the page is styled.
    // Waited for, not read once: under load the page can show its text before its assets have all arrived.
    await expect.poll(() => assetStatuses.length).toBeGreaterThan(0);
    expect(assetStatuses.every((status) => status === 200)).toBe(true);
    await expect.poll(() => page.evaluate(() => document.styleSheets.length)).toBeGreaterThan(0);
    await context.close();
  } finally {
    await stop(server);
    await mock.close();
  }
});
