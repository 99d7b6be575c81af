/**
 * Webhooks from the mock: endpoints registered through the SDK, each change
 * delivered to a real HTTP endpoint with WorkOS' signature (checked with the
 * SDK's own verification), retries on the store's clock as WorkOS documents
 * them, and the faults a receiver must cope with.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureVerificationException } from '@workos-inc/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WorkOSOpenApiSpec } from './openapi-spec.ts';
import { SEED_ORGANIZATION_IDS, SEED_USER_IDS } from './seed.ts';
import { STALE_SIGNATURE_AGE_MS, WEBHOOK_RETRY_DELAYS_MINUTES, webhookSignature } from './store/webhooks.ts';
import { changeSeedMemberRole, useRunningMock, useTestClock } from './test-helpers.ts';

const clock = useTestClock();
const running = useRunningMock({ clock: clock.now });

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver: records every request and answers with the next scripted status (then 200). */
let receiver: Server;
let receiverUrl: string;
let received: Received[] = [];
let script: number[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(script.shift() ?? 200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
beforeEach(() => {
  received = [];
  script = [];
});

const subscribe = (events: string[] = ['organization_membership.updated', 'user.updated']) =>
  running.workos.webhooks.createWebhookEndpoint({ endpointUrl: receiverUrl, events: events as never });

const changeMemberRole = (role = 'admin') => changeSeedMemberRole(running.workos, role);

const verify = (request: Received, secret: string, tolerance?: number) =>
  running.workos.webhooks.constructEvent({
    payload: request.body,
    sigHeader: String(request.headers['workos-signature']),
    secret,
    tolerance,
  });

const store = () => running.mock.store;

describe('webhook endpoints', () => {
  it('delivers each subscribed event once, signed with the endpoint secret, as GET /events lists it', async () => {
    const endpoint = await subscribe();
    expect(endpoint).toMatchObject({
      endpointUrl: receiverUrl,
      status: 'enabled',
      events: ['organization_membership.updated', 'user.updated'],
    });
    expect(endpoint.secret).toMatch(/^whsec_[\w-]{32}$/);
    await changeMemberRole();
    // Not subscribed: no delivery.
    await running.workos.userManagement.createUser({ email: 'not-delivered@example.com' });
    await store().webhooks.settled();

    expect(received).toHaveLength(1);
    const [request] = received;
    if (!request) throw new Error('nothing delivered');
    expect(request.headers['content-type']).toBe('application/json');
    expect(String(request.headers['workos-signature'])).toMatch(/^t=\d{13}, v1=[0-9a-f]{64}$/);
    const event = await verify(request, endpoint.secret);
    const [listed] = (await running.workos.events.listEvents({ events: ['organization_membership.updated'] })).data;
    expect(event).toEqual(listed);
    expect(event).toMatchObject({
      event: 'organization_membership.updated',
      data: { userId: SEED_USER_IDS.member, role: { slug: 'admin' } },
    });
    // The body is the spec's event, as GET /events would list it.
    const body = { object: 'list', data: [JSON.parse(request.body)], list_metadata: { before: null, after: null } };
    expect(
      WorkOSOpenApiSpec.shared().validate({
        path: '/events',
        method: 'get',
        status: 200,
        headers: new Headers({ 'content-type': 'application/json' }),
        body: JSON.stringify(body),
      }),
    ).toEqual({ ok: true });
    expect(await running.control.webhookDeliveries()).toEqual([
      expect.objectContaining({
        eventId: event.id,
        event: 'organization_membership.updated',
        organizationId: SEED_ORGANIZATION_IDS.acme,
        userId: SEED_USER_IDS.member,
        state: 'delivered',
        attempts: [expect.objectContaining({ kind: 'delivery', signature: 'valid', status: 200, response: '{"received":true}' })],
        nextAttemptAt: null,
      }),
    ]);
  });

  it('refuses an endpoint off this machine (422 invalid_url) and a second one for the same URL (409), and a disabled one gets nothing', async () => {
    await expect(subscribeAt('https://example.com/webhooks')).rejects.toMatchObject({ status: 422, code: 'invalid_url' });
    const endpoint = await subscribe();
    await expect(subscribe()).rejects.toMatchObject({ status: 409, code: 'duplicate_endpoint' });
    await running.workos.webhooks.updateWebhookEndpoint({ id: endpoint.id, status: 'disabled' });
    await changeMemberRole();
    await store().webhooks.settled();
    expect(received).toEqual([]);
    await running.workos.webhooks.deleteWebhookEndpoint({ id: endpoint.id });
    expect((await running.workos.webhooks.listWebhookEndpoints()).data).toEqual([]);
  });

  it('webhookSignature, for a test that signs a delivery of its own: the SDK accepts it, not under another secret or body', async () => {
    const payload = JSON.stringify({
      object: 'event',
      id: 'event_01SIGNEDBYATEST',
      event: 'user.created',
      data: { object: 'user', id: 'user_01SIGNED', email: 'signed@example.com' },
      created_at: '2026-03-01T10:00:00.000Z',
    });
    const sigHeader = webhookSignature(payload, 'whsec_of_a_test', Date.now());
    const construct = (input: { payload: string; secret: string }) => running.workos.webhooks.constructEvent({ ...input, sigHeader });
    await expect(construct({ payload, secret: 'whsec_of_a_test' })).resolves.toMatchObject({ id: 'event_01SIGNEDBYATEST' });
    await expect(construct({ payload, secret: 'whsec_another' })).rejects.toThrow(SignatureVerificationException);
    await expect(construct({ payload: `${payload} `, secret: 'whsec_of_a_test' })).rejects.toThrow(SignatureVerificationException);
  });

  it('a reset forgets endpoints registered through the API', async () => {
    await subscribe();
    await running.control.reset();
    expect((await running.workos.webhooks.listWebhookEndpoints()).data).toEqual([]);
  });
});

const subscribeAt = (endpointUrl: string) =>
  running.workos.webhooks.createWebhookEndpoint({ endpointUrl, events: ['user.updated'] as never });

describe('retries', () => {
  it('retries a non-2xx answer 12 times over about 3 days on the store clock, then gives up', async () => {
    await subscribe();
    script = Array.from({ length: 20 }, () => 503);
    await changeMemberRole();
    await store().webhooks.settled();
    expect(received).toHaveLength(1);

    let elapsedMinutes = 0;
    for (const [index, minutes] of WEBHOOK_RETRY_DELAYS_MINUTES.entries()) {
      const [delivery] = await running.control.webhookDeliveries();
      expect(delivery?.state).toBe('pending');
      // Not a minute early.
      clock.offsetMs = (elapsedMinutes + minutes) * 60_000 - 1_000;
      await store().webhooks.runDue();
      expect(received).toHaveLength(index + 1);
      clock.offsetMs += 1_000;
      await store().webhooks.runDue();
      expect(received).toHaveLength(index + 2);
      elapsedMinutes += minutes;
    }
    expect(elapsedMinutes / 60).toBeCloseTo(68.25, 2);
    const [delivery] = await running.control.webhookDeliveries();
    expect(delivery?.state).toBe('failed');
    expect(delivery?.attempts.map((attempt) => [attempt.kind, attempt.status])).toEqual([
      ['delivery', 503],
      ...WEBHOOK_RETRY_DELAYS_MINUTES.map(() => ['retry', 503]),
    ]);
    // Every attempt is signed anew: each passes the SDK's 3-minute tolerance when it is made.
    expect(new Set(received.map((request) => request.headers['workos-signature'])).size).toBe(13);
  });

  it('a refused or dropped connection is a failed attempt too; the retry that is answered 2xx ends it', async () => {
    const endpoint = await subscribeAt('http://127.0.0.1:9/nothing-listens-here');
    await running.workos.userManagement.updateUser({ userId: SEED_USER_IDS.member, firstName: 'Mem' });
    await store().webhooks.settled();
    const [failed] = await running.control.webhookDeliveries();
    expect(failed?.attempts).toEqual([
      expect.objectContaining({ status: null, response: expect.stringMatching(/^TypeError: fetch failed/) }),
    ]);
    await running.workos.webhooks.updateWebhookEndpoint({ id: endpoint.id, endpointUrl: receiverUrl });
    expect((await running.control.retryWebhooksNow()).map((delivery) => delivery.state)).toEqual(['delivered']);
    expect(received).toHaveLength(1);
  });
});

describe('faults', () => {
  it('bad_signature: the SDK refuses the first attempt; the retry is signed right', async () => {
    const { secret } = await subscribe();
    await running.control.injectWebhookFault({ mode: 'bad_signature', match: { organizationId: SEED_ORGANIZATION_IDS.acme } });
    script = [401];
    await changeMemberRole();
    await store().webhooks.settled();
    await expect(verify(received[0] as Received, secret)).rejects.toBeInstanceOf(SignatureVerificationException);
    await running.control.retryWebhooksNow({ event: 'organization_membership.updated' });
    await expect(verify(received[1] as Received, secret)).resolves.toMatchObject({ event: 'organization_membership.updated' });
    const [delivery] = await running.control.webhookDeliveries();
    expect(delivery?.faults).toEqual(['bad_signature']);
    expect(delivery?.attempts.map(({ kind, signature, status }) => [kind, signature, status])).toEqual([
      ['delivery', 'bad', 401],
      ['retry', 'valid', 200],
    ]);
  });

  it('stale_timestamp: signed right but 6 minutes ago, past the tolerance', async () => {
    const { secret } = await subscribe();
    await running.control.injectWebhookFault({ mode: 'stale_timestamp' });
    script = [401];
    await changeMemberRole();
    await store().webhooks.settled();
    const stale = received[0] as Received;
    expect(Date.now() - Number(/^t=(\d+)/.exec(String(stale.headers['workos-signature']))?.[1])).toBeGreaterThanOrEqual(
      STALE_SIGNATURE_AGE_MS,
    );
    await expect(verify(stale, secret)).rejects.toThrow('Timestamp outside the tolerance zone');
    await expect(verify(stale, secret, STALE_SIGNATURE_AGE_MS + 60_000)).resolves.toMatchObject({
      event: 'organization_membership.updated',
    });
  });

  it('duplicate: after the 2xx, the same event again, signed anew; replay: the very same request again', async () => {
    await subscribe();
    await running.control.injectWebhookFault({ mode: 'duplicate', match: { event: 'organization_membership.updated' } });
    await changeMemberRole();
    await store().webhooks.settled();
    expect(received).toHaveLength(2);
    expect(received[1]?.body).toBe(received[0]?.body);
    expect(received[1]?.headers['workos-signature']).not.toBe(received[0]?.headers['workos-signature']);

    received = [];
    await running.control.injectWebhookFault({ mode: 'replay' });
    await changeMemberRole('member');
    await store().webhooks.settled();
    expect(received).toHaveLength(2);
    expect(received[1]?.body).toBe(received[0]?.body);
    expect(received[1]?.headers['workos-signature']).toBe(received[0]?.headers['workos-signature']);
    expect((await running.control.webhookDeliveries()).map((delivery) => delivery.attempts.map((attempt) => attempt.kind))).toEqual([
      ['delivery', 'duplicate'],
      ['delivery', 'replay'],
    ]);
  });

  it('out_of_order: the matching event is held until the next matching one has been delivered', async () => {
    await subscribe();
    await running.control.injectWebhookFault({ mode: 'out_of_order', match: { userId: SEED_USER_IDS.member } });
    await changeMemberRole('admin');
    await store().webhooks.settled();
    expect(received).toEqual([]);
    expect((await running.control.webhookDeliveries()).map((delivery) => delivery.state)).toEqual(['held']);
    await changeMemberRole('member');
    await store().webhooks.settled();
    const roles = received.map((request) => (JSON.parse(request.body) as { data: { role: { slug: string } } }).data.role.slug);
    expect(roles).toEqual(['member', 'admin']);
  });

  it('refuses an unknown fault mode or match field with 422', async () => {
    await expect(running.control.injectWebhookFault({ mode: 'lost' as never })).rejects.toMatchObject({ status: 422 });
    await expect(running.control.injectWebhookFault({ mode: 'replay', match: { email: 'x' } as never })).rejects.toMatchObject({
      status: 422,
    });
  });
});
