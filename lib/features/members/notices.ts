/** What the member and invitation actions report back on the admin page (`?members=…`, with `&ref=` for a failure). */
export const MEMBERS_NOTICE_PARAM = 'members';

export const MEMBERS_NOTICES = {
  role_changed: { tone: 'success', text: 'The role was changed. The member gets it at their next token refresh.' },
  removed: { tone: 'success', text: 'The member was removed. Their next token refresh has no organization.' },
  invitation_resent: { tone: 'success', text: 'The invitation was sent again.' },
  invitation_revoked: { tone: 'success', text: 'The invitation was revoked: its link no longer works.' },
  not_found: { tone: 'error', text: 'That member or invitation is not in your organization any more. The list shows what is there now.' },
  unknown_role: { tone: 'error', text: 'That role does not exist in this organization.' },
  self: { tone: 'error', text: 'You cannot remove yourself. Ask another admin.' },
  last_admin: { tone: 'error', text: 'The organization needs at least one admin: make someone else admin first.' },
  failed: { tone: 'error', text: 'WorkOS could not make the change right now. Try again in a moment.' },
} as const;

export type MembersNotice = keyof typeof MEMBERS_NOTICES;

export function readMembersNotice(value: unknown): MembersNotice | undefined {
  return typeof value === 'string' && Object.hasOwn(MEMBERS_NOTICES, value) ? (value as MembersNotice) : undefined;
}
