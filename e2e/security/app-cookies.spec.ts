/**
 * Issue #30, defect 2: the app's own sealed cookies (the sign-in context, the
 * provider tokens) go through one reader. Whatever such a cookie holds, a page
 * never answers 500 for it: garbage, a forged or tampered seal, another
 * password's, an older shape all read as absent. (The reader itself, fed
 * random bytes and mutated seals: lib/auth/session/app-cookies.test.ts.)
 */
import { expect, test } from '../fixtures';
import { seal } from './support';

const APP_COOKIES = ['app-sign-in-context', 'app-provider-tokens'];

test('an unreadable app cookie reads as absent: the dashboard still answers 200, signed in', async ({ page, testUser, signedInAs }) => {
  await signedInAs(testUser, { returnTo: '/' });
  const context = { userId: testUser.id, startedFrom: '/pricing', intent: 'sign-in', hostedStepSeconds: 3 };
  const real = await seal(context);
  const parts = real.split('*');
  parts[4] = `${parts[4]?.[0] === 'A' ? 'B' : 'A'}${parts[4]?.slice(1)}`;
  const values: Record<string, string> = {
    'a forged seal': 'Fe26.2*1*a*b*c*d*e*f',
    garbage: 'not a seal',
    'a tampered seal': parts.join('*'),
    "another password's seal": await seal(context, 'x'.repeat(32)),
    'an older shape': await seal({ startedFrom: '/pricing' }),
  };
  for (const name of APP_COOKIES) {
    for (const [label, value] of Object.entries(values)) {
      await test.step(`${name}: ${label}`, async () => {
        await page.context().addCookies([{ name, value, url: page.url() }]);
        const response = await page.goto('/dashboard');
        expect(response?.status()).toBe(200);
        await expect(page.getByTestId('user-email')).toHaveText(testUser.email);
        await expect(page.getByTestId('sign-in-context')).toHaveCount(0);
        await expect(page.getByTestId('oauth-provider-none')).toBeVisible();
        // The proxy expired what does not unseal at all: the next request no longer carries it.
        // (An older shape of our own seal unseals; only its reader knows the schema, and ignores it.)
        if (label !== 'an older shape') {
          expect((await page.context().cookies()).filter((cookie) => cookie.name === name)).toEqual([]);
        }
      });
    }
  }

  // Sign-out expires both, whatever they hold.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  expect((await page.context().cookies()).map((cookie) => cookie.name).filter((name) => APP_COOKIES.includes(name))).toEqual([]);
});
