/**
 * Pins what webhooks.ts relies on in @workos-inc/node: constructEvent's
 * SignatureVerificationException messages (told apart into reasons) and its
 * camelCase event shapes (read into the app's types). A failure here names
 * this file: the SDK changed under it.
 */
import { createHmac } from 'node:crypto';
import { WorkOS } from '@workos-inc/node';
import { describe, expect, it, vi } from 'vitest';
import { verifyWebhook, WEBHOOK_EVENT_TYPES, WebhookRejectedError } from './webhooks';

const sdk = new WorkOS('sk_test_webhooks', { clientId: 'client_01WEBHOOKS' });
vi.mock('./client', () => ({ workos: () => sdk }));

const SECRET = 'whsec_pinned';
const sign = (body: string, at = Date.now(), secret = SECRET) =>
  `t=${at}, v1=${createHmac('sha256', secret).update(`${at}.${body}`).digest('hex')}`;
const event = (type: string, data: Record<string, unknown>) =>
  JSON.stringify({ object: 'event', id: 'event_01PIN', event: type, data, created_at: '2026-03-01T10:00:00.000Z' });

async function reason(payload: string, signature: string | null) {
  try {
    await verifyWebhook(payload, signature, SECRET, 180_000);
  } catch (error) {
    if (error instanceof WebhookRejectedError) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('verifyWebhook', () => {
  const body = event('user.created', { object: 'user', id: 'user_1', email: 'a@example.com' });

  it('tells the SDK’s refusals apart', async () => {
    expect(await reason(body, null)).toBe('missing_signature');
    expect(await reason(body, '')).toBe('missing_signature');
    expect(await reason(body, 'v1=abc')).toBe('malformed_signature');
    expect(await reason(body, `t=${Date.now()}, v2=abc`)).toBe('invalid_signature');
    expect(await reason(body, sign(body, Date.now(), 'whsec_other'))).toBe('invalid_signature');
    expect(await reason(`${body} `, sign(body))).toBe('invalid_signature');
    expect(await reason(body, sign(body, Date.now() - 180_001))).toBe('stale_timestamp');
    expect(await reason('not json', sign('not json'))).toBe('malformed_event');
    expect(await reason('{"event":"user.created"}', sign('{"event":"user.created"}'))).toBe('malformed_event');
    expect(await reason(body, sign(body, Date.now() - 179_000))).toBe('accepted');
  });

  it('says why in the refusal’s own words, as a log line prints it (name: message)', async () => {
    const refusal = (payload: string, signature: string | null) =>
      verifyWebhook(payload, signature, SECRET, 180_000).then(
        () => 'accepted',
        (error: unknown) => (error instanceof WebhookRejectedError ? `${error.reason} | ${String(error)}` : error),
      );
    const broken = event('organization_membership.created', { id: 'om_1' });
    // The SDK reads this one (no event id) without complaint; the app does not.
    const noId = JSON.stringify({ object: 'event', event: 'user.created', data: {} });
    expect([
      await refusal(body, null),
      await refusal('not json', sign('not json')),
      await refusal(noId, sign(noId)),
      await refusal(broken, sign(broken)),
    ]).toEqual([
      'missing_signature | WebhookRejectedError: No WorkOS-Signature header.',
      'malformed_event | WebhookRejectedError: The body is not a WorkOS event.',
      'malformed_event | WebhookRejectedError: The body has no event id or type.',
      'malformed_event | WebhookRejectedError: WorkOS answered webhook organization_membership.created with an unexpected shape at data.userId, data.organizationId, data.status, data.role, data.updatedAt',
    ]);
  });

  it('reads each handled event into the app’s type', async () => {
    const read = async (type: string, data: Record<string, unknown>) => {
      const payload = event(type, data);
      return (await verifyWebhook(payload, sign(payload), SECRET, 180_000)).event;
    };
    const createdAt = new Date('2026-03-01T10:00:00.000Z');
    expect(await read('user.deleted', { object: 'user', id: 'user_1', email: 'a@example.com', first_name: 'A' })).toEqual({
      id: 'event_01PIN',
      event: 'user.deleted',
      createdAt,
      data: { id: 'user_1', email: 'a@example.com' },
    });
    expect(
      await read('organization_membership.updated', {
        object: 'organization_membership',
        id: 'om_1',
        user_id: 'user_1',
        organization_id: 'org_1',
        status: 'inactive',
        role: { slug: 'member' },
        created_at: '2026-02-01T00:00:00.000Z',
        updated_at: '2026-03-01T09:59:59.000Z',
      }),
    ).toMatchObject({ data: { id: 'om_1', userId: 'user_1', organizationId: 'org_1', status: 'inactive', role: 'member' } });
    expect(
      await read('invitation.accepted', {
        object: 'invitation',
        id: 'inv_1',
        email: 'b@example.com',
        organization_id: 'org_1',
        accepted_user_id: 'user_2',
      }),
    ).toMatchObject({ data: { id: 'inv_1', email: 'b@example.com', organizationId: 'org_1', acceptedUserId: 'user_2' } });
    expect(
      await read('session.revoked', { object: 'session', id: 'session_1', user_id: 'user_1', organization_id: 'org_1' }),
    ).toMatchObject({
      data: { id: 'session_1', userId: 'user_1', organizationId: 'org_1' },
    });
  });

  it('answers another event type without reading it, and refuses a handled one missing its fields, naming them', async () => {
    const other = event('organization.created', { object: 'organization', id: 'org_1', name: 'Hooli', domains: [] });
    expect(await verifyWebhook(other, sign(other), SECRET, 180_000)).toEqual({
      id: 'event_01PIN',
      type: 'organization.created',
      event: null,
    });
    const broken = event('organization_membership.created', { id: 'om_1' });
    await expect(verifyWebhook(broken, sign(broken), SECRET, 180_000)).rejects.toThrow(
      /unexpected shape at data\.userId, data\.organizationId, data\.status, data\.role, data\.updatedAt/,
    );
  });

  it('handles exactly these types', () => {
    expect(WEBHOOK_EVENT_TYPES).toEqual([
      'user.created',
      'user.updated',
      'user.deleted',
      'organization_membership.created',
      'organization_membership.updated',
      'organization_membership.deleted',
      'invitation.accepted',
      'session.revoked',
    ]);
  });
});
