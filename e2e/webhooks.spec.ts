/**
 * The WorkOS webhook route (demo feature lib/features/webhooks/,
 * app/api/webhooks/workos/): public, since WorkOS sends no session, but every
 * delivery is checked by its signature. A session WorkOS revoked is refused at
 * once by the delivery of `session.revoked`, and forged, unsigned and replayed
 * deliveries are refused exactly. The webhooks of an organization's changes:
 * organization-admin.spec.ts; every refusal, unit by unit:
 * lib/features/webhooks/webhooks.test.ts.
 */
import { webhookSignature } from './mock-workos/store/webhooks';
import { E2E_API_KEY, E2E_WEBHOOK_SECRET } from './support/env';
import { expect, mockUrl, test } from './fixtures';

test('the webhook route is public but signed: a session revoked at WorkOS is refused at once, and forged deliveries are refused exactly', async ({
  page,
  request,
  baseURL,
  mock,
  testUser,
  signedInAs,
}) => {
  await signedInAs(testUser);
  const sessionId = (await page.getByTestId('session-id').textContent()) ?? '';
  await mock.endSession(sessionId);
  // Its access token is still valid: without the webhook, the app would notice at the next refresh.
  await page.reload();
  await expect(page.getByTestId('session-id')).toHaveText(sessionId);

  // The suite's endpoint is not subscribed to session.revoked (support/env.ts says why): deliver it as WorkOS would.
  const listed = await fetch(`${mockUrl()}/events?events=session.revoked&limit=100`, {
    headers: { Authorization: `Bearer ${E2E_API_KEY}` },
  });
  const event = ((await listed.json()) as { data: { data: { id: string } }[] }).data.find((candidate) => candidate.data.id === sessionId);
  const body = JSON.stringify(event);
  const signature = webhookSignature(body, E2E_WEBHOOK_SECRET, Date.now());
  const deliver = (headers: Record<string, string>, payload = body) =>
    request.post(`${baseURL}/api/webhooks/workos`, { headers: { 'content-type': 'application/json', ...headers }, data: payload });

  // No session, no cookie: the proxy lets it through to the route, which checks the signature itself.
  const forged = await deliver({ 'workos-signature': webhookSignature(body, 'whsec_forged', Date.now()) });
  expect([forged.status(), (await forged.json()).error]).toEqual([401, 'invalid_signature']);
  const unsigned = await deliver({});
  expect([unsigned.status(), (await unsigned.json()).error]).toEqual([400, 'missing_signature']);
  const delivered = await deliver({ 'workos-signature': signature });
  expect([delivered.status(), await delivered.json()]).toEqual([200, { received: true }]);
  const replayed = await deliver({ 'workos-signature': signature });
  expect([replayed.status(), (await replayed.json()).error]).toEqual([409, 'replayed_delivery']);
  expect((await request.get(`${baseURL}/api/webhooks/workos`)).status()).toBe(405);

  // Refused at once, on the next request.
  await page.reload();
  await expect(page).toHaveURL(/\/authkit\/sign-in/);
});
