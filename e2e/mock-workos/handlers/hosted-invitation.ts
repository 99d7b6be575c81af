/**
 * The invitation link of the mock's hosted AuthKit, `GET /authkit/invite?invitation_token=…`
 * (the `accept_invitation_url` of ./invitations.ts), and what it hands to the sign-in it starts.
 *
 * A sign-in needs the app's PKCE challenge and state, so a link opened from an
 * email cannot sign anyone in by itself: as AuthKit does for a sign-in that
 * starts outside the app, the page remembers the invitation in this browser (a
 * cookie for the authorize path only, like the pre-approval ticket) and sends it
 * to the app's sign-in endpoint (WorkOS: "initiate login URL", here
 * `config.initiateLoginUri`). The app redirects back to authorize as always;
 * authorize finds the invitation (or an `invitation_token` parameter, as the
 * SDK's getAuthorizationUrl sends it) and shows the sign-up page for a new user,
 * the sign-in page for an existing one, both saying what will be accepted. The
 * sign-in accepts it when it succeeds (./hosted-ui.ts): the code it issues is for
 * the invitation's organization, whose membership now has the invitation's role.
 *
 * A link that cannot be used says why on the mock's error page, with a stable code.
 */
import * as pages from '../pages.ts';
import type { InvitationRecord, InvitationState, MockWorkOSStore } from '../store.ts';
import { cookieOf } from './shared.ts';

const INVITATION_COOKIE = 'mock_workos_invitation';
const INVITATION_COOKIE_PATH = '/user_management/authorize';
/** As long as a pending sign-in lives (records.ts AUTHORIZATION_REQUEST_TTL_SECONDS). */
const INVITATION_COOKIE_MAX_AGE_SECONDS = 30 * 60;

export type InvitationProblem = Exclude<InvitationState, 'pending'> | 'not_found';

/** The stable code, title and words of each unusable link. */
const INVITATION_PROBLEMS: Record<InvitationProblem, { code: string; title: string; message: string; status: number }> = {
  not_found: {
    code: 'invitation_not_found',
    title: 'Invitation not found',
    message: 'This invitation link is not valid. Check that you opened the whole link, or ask for a new invitation.',
    status: 404,
  },
  expired: {
    code: 'invitation_expired',
    title: 'Invitation expired',
    message: 'This invitation has expired. Ask the person who invited you to send a new one.',
    status: 410,
  },
  revoked: {
    code: 'invitation_revoked',
    title: 'Invitation revoked',
    message: 'This invitation was revoked. Ask the person who invited you for a new one.',
    status: 410,
  },
  accepted: {
    code: 'invitation_accepted',
    title: 'Invitation already accepted',
    message: 'This invitation has already been accepted. Sign in to the application instead.',
    status: 410,
  },
};

/** The pending invitation of `token`, or why there is none. */
export function pendingInvitation(
  store: MockWorkOSStore,
  token: string | null | undefined,
): { ok: true; invitation: InvitationRecord } | { ok: false; problem: InvitationProblem } {
  const invitation = token ? store.findInvitationByToken(token) : undefined;
  if (!invitation) return { ok: false, problem: 'not_found' };
  const state = store.invitationState(invitation);
  return state === 'pending' ? { ok: true, invitation } : { ok: false, problem: state };
}

export function invitationProblemPage(store: MockWorkOSStore, problem: InvitationProblem): Response {
  const { code, title, message, status } = INVITATION_PROBLEMS[problem];
  const link = problem === 'accepted' ? { href: store.config.initiateLoginUri, label: 'Sign in' } : undefined;
  return pages.errorPage(title, message, status, { code, link });
}

/** What the sign-in and sign-up pages say about the invitation. */
export function invitationView(store: MockWorkOSStore, invitation: InvitationRecord): pages.InvitationView {
  const organizationId = invitation.organizationId;
  const role = organizationId ? store.roleFor(invitation.roleSlug ?? 'member', organizationId) : undefined;
  return {
    email: invitation.email,
    organizationName: organizationId ? (store.organizations.get(organizationId)?.name ?? null) : null,
    roleName: role?.name ?? null,
  };
}

export function invitationTokenOf(request: Request): string | undefined {
  const value = cookieOf(request, INVITATION_COOKIE);
  return value === undefined ? undefined : decodeURIComponent(value);
}

const invitationCookie = (token: string) =>
  `${INVITATION_COOKIE}=${encodeURIComponent(token)}; Path=${INVITATION_COOKIE_PATH}; Max-Age=${INVITATION_COOKIE_MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax`;

export const expiredInvitationCookie = () => `${INVITATION_COOKIE}=; Path=${INVITATION_COOKIE_PATH}; Max-Age=0; HttpOnly; SameSite=Lax`;

/** `GET /authkit/invite`: a usable link goes on to the app's sign-in endpoint, remembered in this browser. */
export function openInvitationLink(store: MockWorkOSStore, request: Request): Response {
  const found = pendingInvitation(store, new URL(request.url).searchParams.get('invitation_token'));
  if (!found.ok) return invitationProblemPage(store, found.problem);
  return new Response(null, {
    status: 302,
    headers: {
      Location: store.config.initiateLoginUri,
      'Set-Cookie': invitationCookie(found.invitation.token),
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    },
  });
}
