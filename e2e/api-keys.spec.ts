/**
 * Organization API keys (issue #23, part 4): an admin creates a key on /dashboard/admin (its secret
 * shown once), a machine calls GET /api/v1/organization with it over plain HTTP (no cookie), and a
 * revoked key is refused. authkit's validateApiKey() checks each request with WorkOS, through the
 * bounded client: an unknown, malformed or missing key is a 401 JSON, WorkOS failing or slow a 503
 * with Retry-After, never a 500.
 */
import { randomUUID } from 'node:crypto';
import { request as playwrightRequest } from '@playwright/test';
import { expect, test } from './fixtures';
import type { MockWorkOSControl } from './mock-workos/control-client';

// The second test makes WorkOS' key validation fail for whoever asks next: these tests run one after the other.
test.describe.configure({ mode: 'serial' });

const INVALID = {
  status: 401,
  headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
  body: { error: 'invalid_token', message: 'The API key is not valid: unknown, revoked, or not an organization key.' },
};

/** GET /api/v1/organization as a machine: no browser, no cookie, only these headers. */
async function callApi(baseURL: string | undefined, headers: Record<string, string>) {
  const client = await playwrightRequest.newContext({ baseURL });
  try {
    const response = await client.get('/api/v1/organization', { headers });
    return { status: response.status(), headers: response.headers(), body: (await response.json()) as unknown };
  } finally {
    await client.dispose();
  }
}

/** An admin (users:manage) of an organization of their own: its keys are this test's only. */
async function adminOfNewOrganization(mock: MockWorkOSControl) {
  const tag = randomUUID().slice(0, 8);
  const organization = await mock.createOrganization({ name: `Keys ${tag}`, domains: [], entitlements: [], featureFlags: [] });
  const { user } = await mock.createUser({
    email: `api-keys-${tag}@example.com`,
    password: 'authkit-demo-password',
    memberships: [{ organizationId: organization.id, role: 'admin' }],
  });
  return { organization, user };
}

test('an admin creates a key (its secret shown once), a machine reads the organization with it, and a revoked key is refused', async ({
  page,
  baseURL,
  mock,
  signedInAs,
}) => {
  const { organization, user } = await adminOfNewOrganization(mock);
  await signedInAs(user, { returnTo: '/dashboard/admin' });
  const panel = page.getByRole('region', { name: 'Organization API keys' });
  await expect(panel).toContainText('No API keys yet.');
  await panel.getByLabel('Key name').fill('Nightly export');
  await panel.getByRole('button', { name: 'Create API key' }).click();
  await expect(panel.getByRole('status')).toContainText('API key “Nightly export” created. Copy its secret now: it is not shown again.');
  const secret = (await panel.getByTestId('api-key-secret').textContent()) ?? '';
  expect(secret).toMatch(/^sk_org_[\w-]{32}$/);
  await expect(panel.getByTestId('api-key')).toHaveCount(1);
  await expect(panel.getByTestId('api-key')).toContainText(`Nightly export sk_…${secret.slice(-4)}`);

  const answer = await callApi(baseURL, { Authorization: `Bearer ${secret}` });
  expect(answer).toMatchObject({ status: 200, headers: { 'cache-control': 'private, no-store, max-age=0' } });
  expect(answer.body).toEqual({
    organization: { id: organization.id, name: organization.name },
    apiKey: { id: expect.stringMatching(/^api_key_/), name: 'Nightly export', permissions: [] },
  });

  // Shown once: not in the page again, its HTML or its RSC payload.
  await page.reload();
  await expect(panel.getByTestId('api-key')).toContainText('last used');
  expect(await page.content()).not.toContain(secret);
  expect(await (await page.request.get('/dashboard/admin', { headers: { RSC: '1' } })).text()).not.toContain(secret);

  await panel.getByRole('button', { name: 'Revoke Nightly export' }).click();
  await expect(panel.getByRole('status')).toHaveText('The API key is revoked: requests made with it are refused from now on.');
  await expect(panel).toContainText('No API keys yet.');
  expect(await callApi(baseURL, { Authorization: `Bearer ${secret}` })).toMatchObject(INVALID);
});

test('a missing, malformed or unknown key is a 401 JSON; WorkOS failing or slower than 4 s a 503 with Retry-After, asked once', async ({
  baseURL,
  mock,
}) => {
  expect(await callApi(baseURL, {})).toMatchObject({
    status: 401,
    headers: { 'www-authenticate': 'Bearer' },
    body: { error: 'unauthorized', message: 'This API takes an API key: send Authorization: Bearer <API key>.' },
  });
  expect(await callApi(baseURL, { Authorization: 'Basic a2V5Og==' })).toMatchObject({
    status: 401,
    headers: { 'www-authenticate': 'Bearer' },
  });
  const asked = async () => (await mock.requests({ endpoint: 'validate_api_key' })).length;
  const before = await asked();
  expect(await callApi(baseURL, { Authorization: 'Bearer not a key' })).toMatchObject(INVALID); // malformed: WorkOS is not asked
  expect(await asked()).toBe(before);
  expect(await callApi(baseURL, { Authorization: `Bearer sk_org_${randomUUID()}` })).toMatchObject(INVALID);
  expect(await asked()).toBe(before + 1);

  const unavailable = {
    status: 503,
    headers: { 'retry-after': '5' },
    body: { error: 'unavailable', message: 'WorkOS could not be reached to check the API key. Try again shortly.' },
  };
  for (const action of [
    { type: 'status', status: 500 },
    { type: 'delay', delayMs: 6_000 },
  ] as const) {
    await mock.injectFault({ endpoint: 'validate_api_key', action });
    const since = await asked();
    expect(await callApi(baseURL, { Authorization: `Bearer sk_org_${randomUUID()}` }), action.type).toMatchObject(unavailable);
    expect(await asked(), `${action.type}: no retry`).toBe(since + 1);
  }
});
