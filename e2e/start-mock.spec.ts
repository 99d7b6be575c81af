/**
 * `npm run start:mock`: the production server wired to the mock WorkOS, with the
 * demo accounts printed, and Ctrl-C stopping the server and the mock. Run with
 * `-- --no-build`: its build is the e2e build (e2e/support/build.ts), which
 * `npm test` has just made. Own free ports, own process group.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './support/ports';
import { expect, signInThroughHostedPage, test } from './fixtures';

let launcher: ChildProcess | undefined;
let output = '';

test.afterEach(async () => {
  const testInfo = test.info();
  if (testInfo.status !== testInfo.expectedStatus)
    await testInfo.attach('npm run start:mock output', { body: output, contentType: 'text/plain' });
  if (launcher?.pid !== undefined && launcher.exitCode === null && launcher.signalCode === null) {
    try {
      process.kill(-launcher.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

const answers = (url: string) =>
  fetch(url).then(
    (response) => response.status,
    () => 0,
  );

test('npm run start:mock serves the production build against the mock; Ctrl-C stops both', async ({ browser }) => {
  const [appPort, mockPort] = [await freePort(), await freePort()];
  const origin = `http://localhost:${appPort}`;
  const mockJwks = `http://127.0.0.1:${mockPort}/sso/jwks/client_01MOCKWORKOS`;
  launcher = spawn('npm', ['run', 'start:mock', '--', '--no-build'], {
    env: { ...process.env, PORT: String(appPort), MOCK_WORKOS_PORT: String(mockPort), NEXT_TELEMETRY_DISABLED: '1' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  launcher.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  launcher.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => launcher?.once('exit', resolve));

  await expect.poll(() => answers(`${origin}/`), { timeout: 20_000 }).toBe(200);
  expect(output).toContain(`Mock WorkOS on http://127.0.0.1:${mockPort}`);
  expect(output).toContain('Demo accounts (password: authkit-demo-password)');
  expect(output).toContain('admin@example.com');
  expect(output).toContain(`Starting the production server on ${origin} against the mock…`);

  const context = await browser.newContext({ baseURL: origin });
  const page = await context.newPage();
  await signInThroughHostedPage(page, { email: 'admin@example.com' });
  expect(new URL(page.url()).origin).toBe(origin);
  await expect(page.getByTestId('user-email')).toHaveText('admin@example.com');
  await context.close();

  // Ctrl-C: the terminal signals the whole foreground group (npm, its shell, the launcher).
  if (launcher.pid === undefined) throw new Error('npm run start:mock did not start');
  process.kill(-launcher.pid, 'SIGINT');
  await exited;
  expect(output).toContain('start:mock: SIGINT, stopping the app and the mock…');
  expect(await answers(`${origin}/`)).toBe(0);
  expect(await answers(mockJwks)).toBe(0);
});
