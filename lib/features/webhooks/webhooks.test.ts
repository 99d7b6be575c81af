/**
 * The webhook route with the real SDK's verification, fed by the mock WorkOS:
 * its deliveries (signed with an endpoint's secret, retried, duplicated,
 * replayed, out of order) through a real HTTP server, and every refusal with its
 * exact status. Then the two stores: memory, and Redis shared by two instances.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { STARTER_WEBHOOK_EVENTS } from '@/e2e/mock-workos/defaults';
import { SEED_ORGANIZATION_IDS, SEED_USER_IDS } from '@/e2e/mock-workos/seed';
import { toEventResponse } from '@/e2e/mock-workos/serializers';
import { STALE_SIGNATURE_AGE_MS, webhookSignature } from '@/e2e/mock-workos/store/webhooks';
import { changeSeedMemberRole, useRunningMock } from '@/e2e/mock-workos/test-helpers';
import { isSessionRevoked } from '@/lib/auth/session/revoked-sessions';
import { WEBHOOK_EVENT_TYPES } from '@/lib/auth';
import { withRedisServer } from '@/test/redis-server-for-tests';
import { TEST_ENV } from '@/test/auth-config';
import { listOrganizationsForUser } from '../organizations/organizations';
import { entriesOfOrganization, MAX_WEBHOOK_BYTES, webhookReceiver } from './receive';
import { MAX_AUDIT_ENTRIES, memoryWebhookStore, redisWebhookStore, type AuditEntry, type WebhookStore } from './store';

const running = useRunningMock();

vi.mock('@/lib/auth/authkit/client', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  workos: () => running.workos,
}));

const SECRET = 'whsec_unit_test_secret';
let store: WebhookStore;
let receive: (request: Request) => Promise<Response>;
let warnings: Record<string, unknown>[];
let infos: Record<string, unknown>[];

beforeAll(() => {
  // addRevokedSession reads the configuration (for REDIS_URL).
  for (const [name, value] of Object.entries(TEST_ENV)) vi.stubEnv(name, value);
});
afterAll(() => vi.unstubAllEnvs());
beforeEach(() => {
  store = memoryWebhookStore();
  receive = webhookReceiver({ secret: SECRET, store });
  warnings = [];
  infos = [];
  vi.spyOn(console, 'warn').mockImplementation((line: string) => warnings.push(JSON.parse(line) as Record<string, unknown>));
  vi.spyOn(console, 'info').mockImplementation((line: string) => infos.push(JSON.parse(line) as Record<string, unknown>));
});
afterEach(() => vi.restoreAllMocks());

const changeMemberRole = (role: string) => changeSeedMemberRole(running.workos, role);

/** The mock's last event, as a delivery of it would carry it. */
const lastEventBody = () => JSON.stringify(toEventResponse(running.mock.store.events.list().at(-1) as never));

const post = (body: string, signature: string | null, headers: Record<string, string> = {}) =>
  receive(
    new Request('http://localhost/api/webhooks/workos', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'workos-signature': signature }), ...headers },
      body,
    }),
  );

const sign = (body: string, at = Date.now(), secret = SECRET) => webhookSignature(body, secret, at);

async function expectAnswer(response: Response, status: number, body: Record<string, unknown>) {
  expect({ status: response.status, body: await response.json() }).toEqual({ status, body: expect.objectContaining(body) });
}

describe('the events handled', () => {
  it('are the eight the mock subscribes the app to (dev:mock, the e2e suite): the two lists agree', () => {
    expect([...WEBHOOK_EVENT_TYPES].sort()).toEqual([...STARTER_WEBHOOK_EVENTS].sort());
  });
});

describe('a delivery', () => {
  it('is processed once: an audit line, and the organization switcher forgets the member’s memberships', async () => {
    expect(await listOrganizationsForUser(SEED_USER_IDS.member)).toEqual([
      { id: SEED_ORGANIZATION_IDS.acme, name: 'Acme', role: 'member' },
    ]);
    await changeMemberRole('admin');
    const body = lastEventBody();
    const event = JSON.parse(body) as { id: string; created_at: string };
    await expectAnswer(await post(body, sign(body)), 200, { received: true });
    expect(await store.recent()).toEqual([
      {
        eventId: event.id,
        type: 'organization_membership.updated',
        createdAt: event.created_at,
        receivedAt: expect.any(String),
        organizationId: SEED_ORGANIZATION_IDS.acme,
        userId: SEED_USER_IDS.member,
        summary: `${SEED_USER_IDS.member}: admin, active`,
      },
    ]);
    // The cached list was dropped: the next read asks WorkOS and sees the new role.
    expect(await listOrganizationsForUser(SEED_USER_IDS.member)).toEqual([{ id: SEED_ORGANIZATION_IDS.acme, name: 'Acme', role: 'admin' }]);
    expect(await running.control.requests({ userId: SEED_USER_IDS.member, endpoint: 'list_organization_memberships' })).toHaveLength(3);
    expect(infos).toEqual([expect.objectContaining({ event: 'webhook_received', eventId: event.id, outcome: 'processed' })]);
  });

  it('session.revoked: the session is refused by this app at once, before its access token expires', async () => {
    const { sessionId } = await signedInSession();
    await running.control.endSession(sessionId);
    const body = lastEventBody();
    expect(isSessionRevoked(sessionId)).toBe(false);
    await expectAnswer(await post(body, sign(body)), 200, { received: true });
    expect(isSessionRevoked(sessionId)).toBe(true);
  });
});

/** A session of member@example.com at the mock (no app involved). */
async function signedInSession() {
  const auth = await running.workos.userManagement.authenticateWithPassword({
    clientId: 'client_01MOCKWORKOS',
    email: 'member@example.com',
    password: 'authkit-demo-password',
  });
  const [session] = (await running.workos.userManagement.listSessions(auth.user.id)).data;
  return { sessionId: session?.id ?? '' };
}

describe('refusals: the exact 4xx (never a 500), nothing processed', () => {
  it.each([
    ['no secret configured', 503, 'webhooks_not_configured'],
    ['no signature', 400, 'missing_signature'],
    ['a header that is not t=…, v1=…', 400, 'malformed_signature'],
    ['another secret', 401, 'invalid_signature'],
    ['a body changed after signing', 401, 'invalid_signature'],
    ['a signature 6 minutes old', 401, 'stale_timestamp'],
  ])('%s → %i %s', async (_, status, error) => {
    await changeMemberRole('admin');
    const body = lastEventBody();
    const delivery: Record<string, () => Promise<Response>> = {
      webhooks_not_configured: () =>
        webhookReceiver({ secret: undefined, store }).call(null, new Request('http://x/', { method: 'POST', body })),
      missing_signature: () => post(body, null),
      malformed_signature: () => post(body, 'sha256=abc'),
      invalid_signature: () =>
        _.startsWith('a body') ? post(body.replace('admin', 'owner'), sign(body)) : post(body, sign(body, Date.now(), 'whsec_other')),
      stale_timestamp: () => post(body, sign(body, Date.now() - STALE_SIGNATURE_AGE_MS)),
    };
    await expectAnswer(await (delivery[error] as () => Promise<Response>)(), status, { error, message: expect.any(String) });
    expect(await store.recent()).toEqual([]);
    expect(warnings).toEqual([expect.objectContaining({ event: 'webhook_refused', reason: error })]);
  });

  it('a signed body that is not a WorkOS event, or a handled event without its fields → 400 malformed_event', async () => {
    for (const body of [
      'not json',
      '[]',
      JSON.stringify({
        id: 'event_1',
        event: 'organization_membership.updated',
        data: { id: 'om_1' },
        created_at: new Date().toISOString(),
      }),
    ]) {
      await expectAnswer(await post(body, sign(body)), 400, { error: 'malformed_event' });
    }
    expect(await store.recent()).toEqual([]);
  });

  it('an event type this endpoint does not handle → 422 unhandled_event, naming the ones it does', async () => {
    await running.workos.organizations.createOrganization({ name: 'Hooli' });
    const body = lastEventBody();
    const response = await post(body, sign(body));
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      error: 'unhandled_event',
      message: `This endpoint handles ${WEBHOOK_EVENT_TYPES.join(', ')}: subscribe it to those events only.`,
    });
    expect(warnings).toEqual([
      expect.objectContaining({ event: 'webhook_refused', reason: 'unhandled_event', type: 'organization.created' }),
    ]);
  });

  it('a body over 256 KB → 413, without reading more than that', async () => {
    const body = 'x'.repeat(MAX_WEBHOOK_BYTES + 1);
    await expectAnswer(await post(body, sign(body)), 413, { error: 'payload_too_large' });
    await expectAnswer(await post('{}', sign('{}'), { 'content-length': String(MAX_WEBHOOK_BYTES + 1) }), 413, {
      error: 'payload_too_large',
    });
    // Streamed without a length: read no further than the limit.
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const streamed = new Request('http://localhost/api/webhooks/workos', { method: 'POST', body: endless, duplex: 'half' } as RequestInit);
    await expectAnswer(await receive(streamed), 413, { error: 'payload_too_large' });
    expect(pulled).toBeLessThanOrEqual(MAX_WEBHOOK_BYTES / (64 * 1024) + 2);
  });

  it('the same event again: a redelivery (signed anew) → 200 duplicate; the very same request (a replay) → 409; processed once', async () => {
    await changeMemberRole('admin');
    const body = lastEventBody();
    const first = sign(body, Date.now() - 1_000);
    await expectAnswer(await post(body, first), 200, { received: true });
    await expectAnswer(await post(body, sign(body)), 200, { received: true, duplicate: true });
    await expectAnswer(await post(body, first), 409, { error: 'replayed_delivery' });
    expect(await store.recent()).toHaveLength(1);
  });
});

describe('deliveries from the mock WorkOS, through a real HTTP endpoint', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer(async (incoming, outgoing) => {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === 'string') headers.set(name, value);
      const response = await receive(
        new Request(`http://127.0.0.1${incoming.url}`, { method: 'POST', headers, body: Buffer.concat(chunks) }),
      );
      outgoing.writeHead(response.status, { 'content-type': 'application/json' }).end(await response.text());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/workos`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function subscribe() {
    const endpoint = await running.workos.webhooks.createWebhookEndpoint({ endpointUrl: url, events: [...STARTER_WEBHOOK_EVENTS] });
    receive = webhookReceiver({ secret: endpoint.secret, store });
  }
  const attempts = async (event: string) =>
    (await running.control.webhookDeliveries({ event })).map((delivery) =>
      delivery.attempts.map(({ kind, status }) => `${kind} ${status}`),
    );

  it('bad signature → 401, WorkOS retries, the retry is processed; a duplicate → 200 without processing: one audit line each', async () => {
    await subscribe();
    await running.control.injectWebhookFault({ mode: 'bad_signature', match: { event: 'organization_membership.updated' } });
    await running.control.injectWebhookFault({ mode: 'duplicate', match: { event: 'user.updated' } });
    await changeMemberRole('admin');
    await running.workos.userManagement.updateUser({ userId: SEED_USER_IDS.member, firstName: 'Renamed' });
    await running.mock.store.webhooks.settled();
    expect(await attempts('organization_membership.updated')).toEqual([['delivery 401']]);
    expect(await attempts('user.updated')).toEqual([['delivery 200', 'duplicate 200']]);

    await running.control.retryWebhooksNow({ event: 'organization_membership.updated' });
    expect(await attempts('organization_membership.updated')).toEqual([['delivery 401', 'retry 200']]);
    expect((await store.recent()).map((entry) => entry.type)).toEqual(['user.updated', 'organization_membership.updated']);
  });

  it('out of order: a role change delivered after the removal that followed it; the panel shows them in the order they happened', async () => {
    await subscribe();
    await running.control.injectWebhookFault({ mode: 'out_of_order', match: { userId: SEED_USER_IDS.member } });
    await changeMemberRole('admin');
    const [membership] = (await running.workos.userManagement.listOrganizationMemberships({ userId: SEED_USER_IDS.member })).data;
    await running.workos.userManagement.deactivateOrganizationMembership(membership?.id ?? '');
    await running.mock.store.webhooks.settled();
    const received = await store.recent();
    expect(received.map((entry) => entry.summary)).toEqual([
      `${SEED_USER_IDS.member}: admin, inactive`,
      `${SEED_USER_IDS.member}: admin, active`,
    ]);
    // It arrived last.
    expect(received[1]?.receivedAt.localeCompare(received[0]?.receivedAt ?? '')).toBeGreaterThanOrEqual(0);
  });
});

describe('entriesOfOrganization (what one organization’s admin sees)', () => {
  const entry = (fields: Partial<AuditEntry>): AuditEntry => ({
    eventId: `event_${Math.random()}`,
    type: 'user.updated',
    createdAt: '2026-01-01T00:00:00.000Z',
    receivedAt: '2026-01-01T00:00:01.000Z',
    organizationId: null,
    userId: null,
    summary: '',
    ...fields,
  });

  it('its own events, and user events of the people its events name; nothing of another organization', () => {
    const ours = entry({ type: 'organization_membership.created', organizationId: 'org_a', userId: 'user_1' });
    const profile = entry({ userId: 'user_1' });
    const theirs = entry({ type: 'organization_membership.created', organizationId: 'org_b', userId: 'user_2' });
    const stranger = entry({ userId: 'user_2' });
    const anonymous = entry({ type: 'invitation.accepted', organizationId: 'org_a', userId: null });
    expect(entriesOfOrganization([ours, profile, theirs, stranger, anonymous], 'org_a')).toEqual([ours, profile, anonymous]);
  });
});

describe('the stores', () => {
  const entry = (index: number): AuditEntry => ({
    eventId: `event_${index}`,
    type: 'user.updated',
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(),
    receivedAt: new Date().toISOString(),
    organizationId: null,
    userId: 'user_1',
    summary: `#${index}`,
  });

  it('memory: keeps the last 500 entries, newest event first', async () => {
    const memory = memoryWebhookStore();
    for (let index = 0; index < MAX_AUDIT_ENTRIES + 2; index += 1) await memory.append(entry(index));
    const recent = await memory.recent();
    expect(recent).toHaveLength(MAX_AUDIT_ENTRIES);
    expect([recent[0]?.summary, recent.at(-1)?.summary]).toEqual([`#${MAX_AUDIT_ENTRIES + 1}`, '#2']);
  });

  describe('Redis', () => {
    const redis = withRedisServer();

    it('two instances share the processed ids (duplicate, replay) and one audit list, trimmed to 500', async () => {
      const one = redisWebhookStore(redis.connect());
      const two = redisWebhookStore(redis.connect());
      expect(await one.claim('event_1', 't=1, v1=a')).toBe('new');
      expect(await two.claim('event_1', 't=2, v1=b')).toBe('duplicate');
      expect(await two.claim('event_1', 't=1, v1=a')).toBe('replay');
      expect(await redis.inspector.pTTL('authkit:webhooks:processed:event_1')).toBeGreaterThan(4 * 24 * 60 * 60 * 1000 - 60_000);
      for (let index = 0; index < MAX_AUDIT_ENTRIES + 1; index += 1) await (index % 2 ? one : two).append(entry(index));
      expect(await redis.inspector.lLen('authkit:webhooks:audit')).toBe(MAX_AUDIT_ENTRIES);
      expect((await one.recent())[0]?.summary).toBe(`#${MAX_AUDIT_ENTRIES}`);
      // An entry that is not one of ours is skipped, not a failed panel.
      await redis.inspector.lPush('authkit:webhooks:audit', 'garbage');
      expect(await two.recent()).toHaveLength(MAX_AUDIT_ENTRIES);
    });

    it('Redis down: the process’s own memory takes over, a delivery never fails on it', async () => {
      const connection = redis.connect('redis://127.0.0.1:9');
      const fallback = memoryWebhookStore();
      const down = redisWebhookStore(connection, fallback);
      expect(await down.claim('event_1', 't=1, v1=a')).toBe('new');
      expect(await down.claim('event_1', 't=2, v1=b')).toBe('duplicate');
      await down.append(entry(1));
      expect(await down.recent()).toEqual([entry(1)].map((value) => ({ ...value, receivedAt: expect.any(String) })));
    });
  });
});
