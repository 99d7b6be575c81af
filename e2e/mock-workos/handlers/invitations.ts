/**
 * Invitations, with the API key: list (by organization, by email), send
 * (the email, with its accept link, goes to the outbox), get (by id or
 * token), accept, revoke, resend.
 */
import type { HttpHandler } from 'msw';
import { toInvitationResponse } from '../serializers.ts';
import { fieldError, isEmailAddress, WorkOSError, type InvitationRecord, type MockWorkOSStore } from '../store.ts';
import { apiOperation, created, listResponse, originOf, text } from './api.ts';
import { jsonResponse, type HandlerOptions } from './shared.ts';

/** The invitation's accept link: the mock's stand-in for AuthKit's `/invite` page, on the origin the app called. */
const acceptInvitationUrl = (origin: string, token: string) =>
  `${origin}/authkit/invite?${new URLSearchParams({ invitation_token: token })}`;

export function invitationHandlers(store: MockWorkOSStore, options: HandlerOptions): HttpHandler[] {
  const serialize = (request: Request) => (invitation: InvitationRecord) =>
    toInvitationResponse(invitation, store.invitationState(invitation), acceptInvitationUrl(originOf(request), invitation.token));
  const linkFor = (request: Request) => (token: string) => acceptInvitationUrl(originOf(request), token);
  const byEmail = ({ params }: { params: Record<string, string> }) => ({ email: store.invitations.get(params.id ?? '')?.email });

  return [
    apiOperation(
      store,
      options,
      { method: 'get', path: '/user_management/invitations', endpoint: 'list_invitations' },
      ({ request, query }) => {
        const organizationId = query.get('organization_id') ?? undefined;
        const email = query.get('email')?.trim().toLowerCase();
        const invitations = [...store.invitations.values()].filter(
          (invitation) => (!organizationId || invitation.organizationId === organizationId) && (!email || invitation.email === email),
        );
        return listResponse(invitations, query, serialize(request));
      },
    ),

    apiOperation(
      store,
      options,
      {
        method: 'post',
        path: '/user_management/invitations',
        endpoint: 'send_invitation',
        subject: ({ body }) => ({ email: text(body, 'email') }),
      },
      ({ request, body }) => {
        const email = text(body, 'email') ?? '';
        if (!isEmailAddress(email)) {
          throw new WorkOSError(422, 'invalid_request_parameters', `"${email}" is not an email address.`, {
            errors: [fieldError('email', 'email_invalid', `"${email}" is not an email address.`)],
          });
        }
        const invitation = store.sendInvitation(
          {
            email,
            organizationId: text(body, 'organization_id'),
            roleSlug: text(body, 'role_slug'),
            expiresInDays: typeof body.expires_in_days === 'number' ? body.expires_in_days : undefined,
            inviterUserId: text(body, 'inviter_user_id'),
          },
          linkFor(request),
        );
        return created(serialize(request)(invitation));
      },
    ),

    apiOperation(
      store,
      options,
      { method: 'get', path: '/user_management/invitations/{id}', endpoint: 'get_invitation', subject: byEmail },
      ({ request, params }) => jsonResponse(serialize(request)(store.requireInvitation(params.id ?? ''))),
    ),

    apiOperation(
      store,
      options,
      { method: 'get', path: '/user_management/invitations/by_token/{token}', endpoint: 'find_invitation_by_token' },
      ({ request, params }) => {
        const invitation = store.findInvitationByToken(params.token ?? '');
        if (!invitation) throw new WorkOSError(404, 'entity_not_found', 'Invitation not found for this token.');
        return jsonResponse(serialize(request)(invitation));
      },
    ),

    apiOperation(
      store,
      options,
      { method: 'post', path: '/user_management/invitations/{id}/accept', endpoint: 'accept_invitation', subject: byEmail },
      ({ request, params }) => jsonResponse(serialize(request)(store.acceptInvitation(params.id ?? ''))),
    ),

    apiOperation(
      store,
      options,
      { method: 'post', path: '/user_management/invitations/{id}/revoke', endpoint: 'revoke_invitation', subject: byEmail },
      ({ request, params }) => jsonResponse(serialize(request)(store.revokeInvitation(params.id ?? ''))),
    ),

    apiOperation(
      store,
      options,
      { method: 'post', path: '/user_management/invitations/{id}/resend', endpoint: 'resend_invitation', subject: byEmail },
      ({ request, params }) => jsonResponse(serialize(request)(store.resendInvitation(params.id ?? '', linkFor(request)))),
    ),
  ];
}
