/**
 * A model test for a page of your own: app/projects/page.tsx, an organization's
 * projects. README, "Write your first test", walks through it. Copy it next to
 * your page and change the path, the text and the users.
 */
import { SEED_ORGANIZATION_IDS } from './mock-workos/seed';
import { expect, mockUrl, submitHostedSignIn, test } from './fixtures';

test('signed out, /projects sends the visitor to sign in, then back to the same URL', async ({ page, baseURL }) => {
  await page.goto('/projects?sort=name');
  // The proxy sent the browser to the hosted sign-in page (the mock's, in tests). This test is
  // about that trip, so it signs in there; the tests below only need a session: signedInAs.
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  const signInPage = new URL(page.url());
  expect(`${signInPage.origin}${signInPage.pathname}`).toBe(`${mockUrl()}/authkit/sign-in`);
  await submitHostedSignIn(page, 'member@example.com');
  await expect(page).toHaveURL(`${baseURL}/projects?sort=name`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Projects');
});

test('a member sees the projects of their organization, without the New project button', async ({ page, signedInAs }) => {
  await signedInAs('member@example.com', { returnTo: '/projects' });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Projects');
  await expect(page.getByRole('list', { name: 'Projects' }).getByRole('listitem')).toHaveText(['Giant magnet', 'Rocket skates']);
  await expect(page.getByRole('button', { name: 'New project' })).toHaveCount(0);
});

test('a role with posts:write sees the New project button', async ({ page, testUser, signedInAs }) => {
  // testUser is a member of Acme; the option gives this session's access token the admin role.
  await signedInAs(testUser, { role: 'admin', returnTo: '/projects' });
  await expect(page.getByRole('button', { name: 'New project' })).toBeVisible();
});

test('each organization sees only its own projects', async ({ page, signedInAs }) => {
  await signedInAs('multi-org@example.com', { organization: SEED_ORGANIZATION_IDS.globex, returnTo: '/projects' });
  await expect(page.getByRole('list', { name: 'Projects' }).getByRole('listitem')).toHaveText(['Hammock district']);
});
