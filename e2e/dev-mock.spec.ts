/**
 * The README's main command: `npm run dev:mock` starts the mock and `next dev`,
 * and a person can sign in with a demo account, with no CSP violation in the
 * console (Next's dev tools and error overlay inject inline styles). Runs on
 * its own free ports, in its own process group, killed afterwards.
 * demo:start webhooks
 * The mock's webhooks reach the app's route and are accepted there.
 * demo:end webhooks
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { MockWorkOSControl } from './mock-workos/control-client'; // demo:line webhooks
import { SEED_ORGANIZATION_IDS } from './mock-workos/seed'; // demo:line webhooks
import { freePort } from './support/ports';
import { expect, submitHostedSignIn, test } from './fixtures';

// next dev compiles each route on first hit (2–7 s each, more on a busy machine).
test.setTimeout(180_000);

let devMock: ChildProcess | undefined;
let output = '';

// On failure the launcher's output (next dev's log) goes into the report: the test
// output alone cannot tell a slow compile from a server that went away.
test.afterEach(async () => {
  const testInfo = test.info();
  if (testInfo.status !== testInfo.expectedStatus)
    await testInfo.attach('npm run dev:mock output', { body: output, contentType: 'text/plain' });
});

test.afterAll(() => {
  if (devMock?.pid === undefined || devMock.exitCode !== null) return;
  try {
    process.kill(-devMock.pid, 'SIGTERM'); // the whole group: npm, the launcher, next and its workers
  } catch {
    // already gone
  }
});

async function waitForApp(origin: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (devMock?.exitCode !== null) throw new Error(`npm run dev:mock exited early:\n${output}`);
    try {
      const response = await fetch(`${origin}/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`npm run dev:mock did not serve ${origin}/ in time:\n${output}`);
}

test('npm run dev:mock starts the app against the mock, and a demo account can sign in', async ({ browser }) => {
  const [appPort, mockPort] = [await freePort(), await freePort()];
  const origin = `http://localhost:${appPort}`;
  devMock = spawn('npm', ['run', 'dev:mock'], {
    env: { ...process.env, PORT: String(appPort), MOCK_WORKOS_PORT: String(mockPort), NEXT_TELEMETRY_DISABLED: '1' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  devMock.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  devMock.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  await waitForApp(origin, Date.now() + 120_000);
  expect(output).toContain(`Mock WorkOS on http://127.0.0.1:${mockPort}`);
  expect(output).toContain('admin@example.com');

  const context = await browser.newContext({ baseURL: origin });
  // Both channels: Chromium's console message for each blocked resource, and the DOM event.
  const cspViolations: string[] = [];
  await context.exposeFunction('reportCspViolation', (report: string) => cspViolations.push(report));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportCspViolation: (report: string) => void }).reportCspViolation(
        `securitypolicyviolation: ${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} on ${location.href}`,
      );
    });
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(`console: ${message.text()}`);
  });
  await page.goto('/');
  await expect(page.getByTestId('demo-accounts-hint')).toHaveText(
    'This server signs in against the mock WorkOS. Its sign-in page lists the demo accounts and their password; npm run dev:mock prints them too.',
  );
  // The dev tools button is styled by inline styles: unstyled, it is a grey box in the top-left corner.
  const devTools = page.getByRole('button', { name: 'Open Next.js Dev Tools' });
  await expect(devTools).toBeVisible({ timeout: 30_000 });
  expect(cspViolations).toEqual([]);
  const viewportHeight = page.viewportSize()?.height ?? 0;
  await expect
    .poll(async () => (await devTools.boundingBox())?.y ?? -1, {
      message: 'the dev tools button sits in the bottom-left corner (it is styled)',
    })
    .toBeGreaterThan(viewportHeight / 2);
  await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 60_000 });
  expect(new URL(page.url()).port).toBe(String(mockPort));
  await submitHostedSignIn(page, 'admin@example.com');
  await expect(page).toHaveURL(`${origin}/dashboard`, { timeout: 60_000 });
  await expect(page.getByTestId('user-email')).toHaveText('admin@example.com', { timeout: 30_000 });
  await expect(page.getByTestId('role')).toHaveText('admin');
  await devTools.click();
  await expect(page.getByRole('menu').or(page.getByRole('dialog')).first()).toBeVisible();
  expect(cspViolations).toEqual([]);
  await context.close();
  // demo:start webhooks

  // Webhooks: the mock delivers its changes to the app's route, signed with the secret dev:mock gave both.
  // (A first request compiles the route, so the first delivery is not spent waiting for next dev.)
  const unsigned = await fetch(`${origin}/api/webhooks/workos`, { method: 'POST', body: '{}' });
  expect([unsigned.status, ((await unsigned.json()) as { error: string }).error]).toEqual([400, 'missing_signature']);
  const mock = new MockWorkOSControl(`http://127.0.0.1:${mockPort}`);
  const { user } = await mock.createUser({
    email: `dev-mock-${Date.now()}@example.com`,
    memberships: [{ organizationId: SEED_ORGANIZATION_IDS.acme, role: 'member' }],
  });
  await expect
    .poll(async () =>
      (await mock.webhookDeliveries({ userId: user.id })).map((delivery) => [delivery.event, delivery.attempts.at(-1)?.status]),
    )
    .toEqual([
      ['user.created', 200],
      ['organization_membership.created', 200],
    ]);
  // demo:end webhooks
});
