import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  UnexpectedWorkOSAnswerError,
  getOrganization,
  listActiveMemberships,
  listUserSessions,
  parseWorkOSAnswer,
  revokeSession,
} from './workos-api';

/** The SDK calls the verbs make, and what WorkOS answers them. */
const sdk = vi.hoisted(() => ({
  memberships: [] as unknown[],
  sessions: [] as unknown[],
  organization: {} as unknown,
  calls: [] as unknown[][],
}));
vi.mock('./client', () => ({
  workos: () => ({
    userManagement: {
      listOrganizationMemberships: async (options: unknown) => {
        sdk.calls.push(['listOrganizationMemberships', options]);
        return { data: sdk.memberships };
      },
      listSessions: async (userId: string, options: unknown) => {
        sdk.calls.push(['listSessions', userId, options]);
        return { data: sdk.sessions };
      },
      revokeSession: async (options: unknown) => {
        sdk.calls.push(['revokeSession', options]);
      },
    },
    organizations: {
      getOrganization: async (organizationId: string) => {
        sdk.calls.push(['getOrganization', organizationId]);
        return sdk.organization;
      },
    },
  }),
}));

const answer = z.object({ data: z.array(z.object({ id: z.string(), name: z.string() })) });

describe('parseWorkOSAnswer', () => {
  it('returns the answer typed when it has the fields the app uses', () => {
    expect(parseWorkOSAnswer('list_things', answer, { data: [{ id: 'a', name: 'A', extra: 1 }] })).toEqual({
      data: [{ id: 'a', name: 'A' }],
    });
  });

  it('names every field that differs, once, and never a value', () => {
    const read = () => parseWorkOSAnswer('list_things', answer, { data: [{ id: 'a' }, { id: 7, name: null }, { id: 'c' }] });
    expect(read).toThrow(UnexpectedWorkOSAnswerError);
    expect(read).toThrow('WorkOS answered list_things with an unexpected shape at data.0.name, data.1.id, data.1.name, data.2.name');
    expect(() => parseWorkOSAnswer('list_things', answer, null)).toThrow('at (root)');
  });
});

describe('the verbs', () => {
  it('listActiveMemberships: the active memberships (first 100), as the app reads them', async () => {
    sdk.calls.length = 0;
    sdk.memberships = [{ organizationId: 'org_1', organizationName: 'Acme', role: { slug: 'admin' }, status: 'active' }];
    expect(await listActiveMemberships('user_1')).toEqual([{ organizationId: 'org_1', organizationName: 'Acme', role: 'admin' }]);
    expect(sdk.calls).toEqual([['listOrganizationMemberships', { userId: 'user_1', statuses: ['active'], limit: 100 }]]);
    sdk.memberships = [{ organizationId: '', organizationName: 'Acme', role: { slug: 'admin' } }];
    await expect(listActiveMemberships('user_1')).rejects.toThrow(
      'WorkOS answered list_organization_memberships with an unexpected shape at data.0.organizationId',
    );
  });

  it('listUserSessions: the first 100 sessions, with dates', async () => {
    sdk.calls.length = 0;
    const session = {
      id: 'session_1',
      userId: 'user_1',
      userAgent: null,
      ipAddress: '192.0.2.1',
      authMethod: 'password',
      status: 'active',
      createdAt: '2026-01-02T03:04:05.000Z',
      updatedAt: '2026-01-02T03:04:06+01:00',
    };
    sdk.sessions = [session];
    expect(await listUserSessions('user_1')).toEqual([
      { ...session, createdAt: new Date('2026-01-02T03:04:05.000Z'), updatedAt: new Date('2026-01-02T02:04:06.000Z') },
    ]);
    expect(sdk.calls).toEqual([['listSessions', 'user_1', { limit: 100 }]]);
    sdk.sessions = [{ ...session, id: '' }];
    await expect(listUserSessions('user_1')).rejects.toThrow('WorkOS answered list_sessions with an unexpected shape at data.0.id');
  });

  it('getOrganization: its id and name only; an empty id is an unexpected answer', async () => {
    sdk.calls.length = 0;
    sdk.organization = { object: 'organization', id: 'org_1', name: 'Acme', domains: [] };
    expect(await getOrganization('org_1')).toStrictEqual({ id: 'org_1', name: 'Acme' });
    expect(sdk.calls).toEqual([['getOrganization', 'org_1']]);
    sdk.organization = { id: '', name: 'Acme' };
    await expect(getOrganization('org_1')).rejects.toThrow('WorkOS answered get_organization with an unexpected shape at id');
  });

  it('revokeSession: the one session', async () => {
    sdk.calls.length = 0;
    await revokeSession('session_1');
    expect(sdk.calls).toEqual([['revokeSession', { sessionId: 'session_1' }]]);
  });
});
