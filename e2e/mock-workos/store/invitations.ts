/**
 * Invitations: sent by email (the outbox) with a secret token and an accept
 * link, listed, resent, revoked, accepted. Accepting makes the invited user a
 * member of the organization with the invitation's role. Each change appends
 * its `invitation.*` event.
 */
import { randomBytes } from 'node:crypto';
import { toInvitationEventData } from '../serializers.ts';
import { DirectoryStore } from './directory.ts';
import {
  generateId,
  INVITATION_DEFAULT_EXPIRY_DAYS,
  notFoundError,
  WorkOSError,
  type InvitationRecord,
  type InvitationState,
} from './records.ts';

const MIN_INVITATION_EXPIRY_DAYS = 1;
const MAX_INVITATION_EXPIRY_DAYS = 30;

export interface InvitationInput {
  email: string;
  organizationId?: string;
  roleSlug?: string;
  expiresInDays?: number;
  inviterUserId?: string;
}

export abstract class InvitationStore extends DirectoryStore {
  readonly invitations = new Map<string, InvitationRecord>();

  protected override clearState(): void {
    super.clearState();
    this.invitations.clear();
  }

  invitationState(invitation: InvitationRecord): InvitationState {
    if (invitation.acceptedAt) return 'accepted';
    if (invitation.revokedAt) return 'revoked';
    return Date.parse(invitation.expiresAt) <= this.now() ? 'expired' : 'pending';
  }

  requireInvitation(id: string): InvitationRecord {
    const invitation = this.invitations.get(id);
    if (!invitation) throw notFoundError('Invitation', id);
    return invitation;
  }

  findInvitationByToken(token: string): InvitationRecord | undefined {
    for (const invitation of this.invitations.values()) if (invitation.token === token) return invitation;
    return undefined;
  }

  #event(change: 'created' | 'accepted' | 'revoked' | 'resent', invitation: InvitationRecord): void {
    this.events.append(
      `invitation.${change}`,
      toInvitationEventData(invitation, this.invitationState(invitation)),
      invitation.organizationId,
    );
  }

  /** `acceptUrl` builds the link the email carries (the handler knows the mock's origin). */
  #mail(invitation: InvitationRecord, acceptUrl: string): void {
    const organization = invitation.organizationId ? this.organizations.get(invitation.organizationId) : undefined;
    const where = organization ? ` to join ${organization.name}` : '';
    this.outbox.send({
      kind: 'invitation',
      to: invitation.email,
      subject: `You have been invited${where}`,
      text: `You have been invited${where}. Accept the invitation: ${acceptUrl} (it expires at ${invitation.expiresAt}).`,
      link: acceptUrl,
      objectId: invitation.id,
    });
  }

  /**
   * WorkOS' checks, in its words: an organization that exists, a role it has,
   * 1–30 days of validity, nobody already a member or already invited.
   */
  sendInvitation(input: InvitationInput, acceptUrlFor: (token: string) => string): InvitationRecord {
    const email = input.email.trim().toLowerCase();
    const organization = input.organizationId ? this.requireOrganization(input.organizationId) : undefined;
    if (input.inviterUserId !== undefined) this.requireUser(input.inviterUserId);
    const days = input.expiresInDays ?? INVITATION_DEFAULT_EXPIRY_DAYS;
    if (days < MIN_INVITATION_EXPIRY_DAYS) {
      throw new WorkOSError(400, 'expires_in_days_too_short', `expires_in_days must be at least ${MIN_INVITATION_EXPIRY_DAYS}.`);
    }
    if (days > MAX_INVITATION_EXPIRY_DAYS) {
      throw new WorkOSError(400, 'expires_in_days_too_long', `expires_in_days must be at most ${MAX_INVITATION_EXPIRY_DAYS}.`);
    }
    if (input.roleSlug !== undefined) {
      if (!organization) throw new WorkOSError(400, 'invalid_role', 'role_slug needs an organization_id.');
      if (!this.roleFor(input.roleSlug, organization.id)) {
        throw new WorkOSError(400, 'invalid_role', `role "${input.roleSlug}" does not exist in ${organization.name}.`);
      }
    }
    const existingUser = this.findUserByEmail(email);
    const pending = [...this.invitations.values()].filter(
      (invitation) => invitation.email === email && this.invitationState(invitation) === 'pending',
    );
    if (organization) {
      if (existingUser && this.activeMembership(existingUser.id, organization.id)) {
        throw new WorkOSError(400, 'user_already_organization_member', `${email} is already a member of ${organization.name}.`);
      }
      if (pending.some((invitation) => invitation.organizationId === organization.id)) {
        throw new WorkOSError(
          400,
          'email_already_invited_to_organization',
          `${email} already has a pending invitation to ${organization.name}.`,
        );
      }
    } else {
      if (existingUser) throw new WorkOSError(400, 'user_already_exists', `A user with email ${email} already exists.`);
      if (pending.some((invitation) => invitation.organizationId === null)) {
        throw new WorkOSError(400, 'email_already_invited', `${email} already has a pending invitation.`);
      }
    }
    const now = this.isoNow();
    const invitation: InvitationRecord = {
      id: generateId('invitation'),
      email,
      organizationId: organization?.id ?? null,
      roleSlug: organization ? (input.roleSlug ?? null) : null,
      inviterUserId: input.inviterUserId ?? null,
      token: randomBytes(24).toString('base64url'),
      expiresAt: new Date(this.now() + days * 24 * 60 * 60 * 1000).toISOString(),
      acceptedAt: null,
      acceptedUserId: null,
      revokedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    this.invitations.set(invitation.id, invitation);
    this.#event('created', invitation);
    this.#mail(invitation, acceptUrlFor(invitation.token));
    return invitation;
  }

  #assertPending(invitation: InvitationRecord, codes: Record<Exclude<InvitationState, 'pending'>, string>): void {
    const state = this.invitationState(invitation);
    if (state !== 'pending') throw new WorkOSError(400, codes[state], `The invitation is ${state}.`);
  }

  resendInvitation(id: string, acceptUrlFor: (token: string) => string): InvitationRecord {
    const invitation = this.requireInvitation(id);
    this.#assertPending(invitation, { accepted: 'invite_accepted', expired: 'invite_expired', revoked: 'invite_revoked' });
    invitation.updatedAt = this.isoNow();
    this.#event('resent', invitation);
    this.#mail(invitation, acceptUrlFor(invitation.token));
    return invitation;
  }

  revokeInvitation(id: string): InvitationRecord {
    const invitation = this.requireInvitation(id);
    this.#assertPending(invitation, { accepted: 'invite_not_pending', expired: 'invite_not_pending', revoked: 'invite_not_pending' });
    invitation.revokedAt = this.isoNow();
    invitation.updatedAt = invitation.revokedAt;
    this.#event('revoked', invitation);
    return invitation;
  }

  /**
   * Accepts for the user with the invitation's email (they must have signed
   * up): with an organization, they become an active member with its role
   * (the environment's `member` role when it names none).
   */
  acceptInvitation(id: string): InvitationRecord {
    const invitation = this.requireInvitation(id);
    this.#assertPending(invitation, { accepted: 'invite_not_pending', expired: 'invite_not_pending', revoked: 'invite_not_pending' });
    const user = this.findUserByEmail(invitation.email);
    if (!user) throw new WorkOSError(400, 'invalid_invite', `No user with email ${invitation.email} exists yet: they sign up first.`);
    if (invitation.organizationId && !this.activeMembership(user.id, invitation.organizationId)) {
      this.createMembership(user.id, invitation.organizationId, invitation.roleSlug ?? 'member');
    }
    invitation.acceptedAt = this.isoNow();
    invitation.acceptedUserId = user.id;
    invitation.updatedAt = invitation.acceptedAt;
    this.#event('accepted', invitation);
    return invitation;
  }

  override deleteOrganization(id: string): void {
    super.deleteOrganization(id);
    for (const [invitationId, invitation] of this.invitations) if (invitation.organizationId === id) this.invitations.delete(invitationId);
  }
}
