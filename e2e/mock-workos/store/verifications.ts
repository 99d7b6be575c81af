/**
 * What proves a user or lets them finish signing in: magic auth codes, email
 * verification codes, password reset tokens (each sent through the outbox),
 * MFA factors and their challenges (TOTP verified with RFC 6238 by otpauth;
 * SMS codes go to the outbox, generic OTP codes back to the app), and pending
 * authentications (the token a sign-in gets when it owes one more step).
 */
import { Secret, TOTP } from 'otpauth';
import { toOneTimeCodeEventData, toPasswordResetEventData } from '../serializers.ts';
import { assertPasswordStrength } from './directory.ts';
import { InvitationStore } from './invitations.ts';
import {
  fieldError,
  generateId,
  invalidParameters,
  MAGIC_CODE_MAX_ATTEMPTS,
  MAGIC_CODE_TTL_SECONDS,
  notFoundError,
  ONE_TIME_CODE_TTL_SECONDS,
  OTP_CHALLENGE_TTL_SECONDS,
  randomToken,
  sixDigitCode,
  WorkOSError,
  type AuthChallengeRecord,
  type AuthFactorRecord,
  type AuthFactorType,
  type OneTimeCodeRecord,
  type PendingAuthentication,
  type UserRecord,
  type UserSeed,
} from './records.ts';

/** The issuer authenticator apps show when the app names none. */
const DEFAULT_TOTP_ISSUER = 'AuthKit Demo';
const E164 = /^\+[1-9]\d{6,14}$/;

/** A TOTP factor's parameters: what an authenticator app is given (secret, issuer, account name). */
export interface TotpParameters {
  issuer: string;
  user: string;
  secret: string;
}

export const totpOf = (totp: TotpParameters) =>
  new TOTP({ issuer: totp.issuer, label: totp.user, secret: Secret.fromBase32(totp.secret), digits: 6, period: 30 });

type CodeOutcome = 'ok' | 'incorrect' | 'expired' | 'used' | 'too_many_attempts';

export abstract class VerificationStore extends InvitationStore {
  readonly magicAuths = new Map<string, OneTimeCodeRecord>();
  readonly emailVerifications = new Map<string, OneTimeCodeRecord>();
  readonly passwordResets = new Map<string, OneTimeCodeRecord>();
  readonly authFactors = new Map<string, AuthFactorRecord>();
  readonly authChallenges = new Map<string, AuthChallengeRecord>();
  readonly #pending = new Map<string, PendingAuthentication>();

  protected override clearState(): void {
    super.clearState();
    for (const map of [this.magicAuths, this.emailVerifications, this.passwordResets, this.authFactors, this.authChallenges, this.#pending])
      map.clear();
  }

  /** A seeded account with a fixed demo code gets a TOTP factor that accepts it. */
  override createUser(seed: UserSeed): UserRecord {
    const user = super.createUser(seed);
    if (seed.mfa)
      this.#addFactor({ type: 'totp', userId: user.id, issuer: DEFAULT_TOTP_ISSUER, user: user.email, demoCode: seed.mfa.totpCode });
    return user;
  }

  protected override forgetUser(userId: string): void {
    super.forgetUser(userId);
    for (const map of [this.magicAuths, this.emailVerifications, this.passwordResets]) {
      for (const [id, record] of map) if (record.userId === userId) map.delete(id);
    }
    for (const [id, factor] of this.authFactors) if (factor.userId === userId) this.deleteFactor(id);
    for (const [token, pending] of this.#pending) if (pending.userId === userId) this.#pending.delete(token);
  }

  #newCode(user: UserRecord, code: string, ttlSeconds: number): OneTimeCodeRecord {
    const now = this.isoNow();
    return {
      id: '',
      userId: user.id,
      email: user.email,
      code,
      expiresAt: new Date(this.now() + ttlSeconds * 1000).toISOString(),
      attempts: 0,
      usedAt: null,
      createdAt: now,
      updatedAt: now,
    };
  }

  /** Checks `code` against `record` and uses it up when right; a wrong guess counts. */
  #check(record: OneTimeCodeRecord | undefined, code: string): CodeOutcome {
    if (!record) return 'incorrect';
    if (record.usedAt) return 'used';
    if (record.attempts >= MAGIC_CODE_MAX_ATTEMPTS) return 'too_many_attempts';
    if (Date.parse(record.expiresAt) <= this.now()) return 'expired';
    if (record.code !== code) {
      record.attempts += 1;
      return 'incorrect';
    }
    record.usedAt = this.isoNow();
    record.updatedAt = record.usedAt;
    return 'ok';
  }

  #latest(map: Map<string, OneTimeCodeRecord>, userId: string): OneTimeCodeRecord | undefined {
    return [...map.values()].filter((record) => record.userId === userId).at(-1);
  }

  // ── magic auth ─────────────────────────────────────────────────────────

  /**
   * A 6-digit code by email. WorkOS signs up an email it does not know at its
   * first magic auth, so an unknown email gets a new (unverified) user.
   */
  createMagicAuth(email: string): OneTimeCodeRecord {
    const ssoOrganization = this.ssoOrganizationForEmail(email);
    if (ssoOrganization?.sso?.required) {
      throw new WorkOSError(400, null, `${ssoOrganization.name} requires single sign-on.`, {
        error: 'authentication_method_not_allowed',
        error_description: `${ssoOrganization.name} requires single sign-on.`,
      });
    }
    const user = this.findUserByEmail(email) ?? this.createUser({ email, emailVerified: false });
    const record = { ...this.#newCode(user, sixDigitCode(), MAGIC_CODE_TTL_SECONDS), id: generateId('magic_auth') };
    this.magicAuths.set(record.id, record);
    this.events.append('magic_auth.created', toOneTimeCodeEventData('magic_auth', record), null);
    this.outbox.send({
      kind: 'magic_auth',
      to: record.email,
      subject: 'Your sign-in code',
      text: `Your sign-in code is ${record.code}. It expires in ${MAGIC_CODE_TTL_SECONDS / 60} minutes.`,
      code: record.code,
      objectId: record.id,
    });
    return record;
  }

  requireMagicAuth(id: string): OneTimeCodeRecord {
    const record = this.magicAuths.get(id);
    if (!record) throw notFoundError('Magic Auth', id);
    return record;
  }

  /**
   * The magic-auth grant and the hosted page: the user's latest code, used up
   * when right. Proving the email verifies it.
   */
  verifyMagicAuth(email: string, code: string, magicAuthId?: string): UserRecord {
    const user = this.findUserByEmail(email);
    const record = magicAuthId ? this.magicAuths.get(magicAuthId) : user ? this.#latest(this.magicAuths, user.id) : undefined;
    const outcome = this.#check(record && user && record.userId === user.id ? record : undefined, code);
    if (outcome !== 'ok' || !user) throw this.#oneTimeCodeError(outcome);
    if (!user.emailVerified) this.updateUser(user.id, { emailVerified: true });
    return user;
  }

  #oneTimeCodeError(outcome: CodeOutcome): WorkOSError {
    const errors: Record<CodeOutcome, [string, string]> = {
      ok: ['invalid_one_time_code', 'The code is invalid.'],
      incorrect: ['invalid_one_time_code', 'The code is invalid.'],
      expired: ['one_time_code_expired', 'The code has expired.'],
      used: ['one_time_code_previously_used', 'The code has already been used.'],
      too_many_attempts: ['one_time_code_too_many_attempts', 'Too many attempts: request a new code.'],
    };
    const [code, message] = errors[outcome];
    return new WorkOSError(400, code, message);
  }

  // ── email verification ────────────────────────────────────────────────

  sendVerificationEmail(userId: string): OneTimeCodeRecord {
    const user = this.requireUser(userId);
    if (user.emailVerified) throw new WorkOSError(400, 'email_already_verified', `${user.email} is already verified.`);
    const record = { ...this.#newCode(user, sixDigitCode(), ONE_TIME_CODE_TTL_SECONDS), id: generateId('email_verification') };
    this.emailVerifications.set(record.id, record);
    this.events.append('email_verification.created', toOneTimeCodeEventData('email_verification', record), null);
    this.outbox.send({
      kind: 'email_verification',
      to: record.email,
      subject: 'Verify your email address',
      text: `Your email verification code is ${record.code}. It expires in ${ONE_TIME_CODE_TTL_SECONDS / 60} minutes.`,
      code: record.code,
      objectId: record.id,
    });
    return record;
  }

  requireEmailVerification(id: string): OneTimeCodeRecord {
    const record = this.emailVerifications.get(id);
    if (!record) throw notFoundError('Email verification', id);
    return record;
  }

  verifyEmail(userId: string, code: string): UserRecord {
    const user = this.requireUser(userId);
    if (user.emailVerified) throw new WorkOSError(400, 'email_previously_verified', `${user.email} is already verified.`);
    const outcome = this.#check(this.#latest(this.emailVerifications, userId), code);
    const errors: Record<Exclude<CodeOutcome, 'ok'>, string> = {
      incorrect: 'email_verification_code_incorrect',
      too_many_attempts: 'email_verification_code_incorrect',
      expired: 'email_verification_code_expired',
      used: 'email_verification_code_previously_used',
    };
    if (outcome !== 'ok') throw new WorkOSError(400, errors[outcome], `The email verification code is ${outcome.replaceAll('_', ' ')}.`);
    return this.updateUser(userId, { emailVerified: true });
  }

  /**
   * Ends a one-time code's life now, as if its lifetime had run out (a magic auth, an email
   * verification, a password reset or an SMS challenge, by id): tests of an expired code, without
   * waiting. Returns its new expiry, or null for an id that is none of these.
   */
  expireOneTimeCode(id: string): string | null {
    const record = this.magicAuths.get(id) ?? this.emailVerifications.get(id) ?? this.passwordResets.get(id) ?? this.authChallenges.get(id);
    if (!record?.expiresAt) return null;
    record.expiresAt = this.isoNow();
    return record.expiresAt;
  }

  // ── password reset ────────────────────────────────────────────────────

  createPasswordReset(email: string, resetUrlFor: (token: string) => string): OneTimeCodeRecord {
    const user = this.findUserByEmail(email);
    if (!user) throw new WorkOSError(404, 'entity_not_found', `User not found: '${email}'.`);
    const record = { ...this.#newCode(user, randomToken(32), ONE_TIME_CODE_TTL_SECONDS), id: generateId('password_reset') };
    this.passwordResets.set(record.id, record);
    this.events.append('password_reset.created', toPasswordResetEventData(record), null);
    const link = resetUrlFor(record.code);
    this.outbox.send({
      kind: 'password_reset',
      to: record.email,
      subject: 'Reset your password',
      text: `Reset your password: ${link} (the link expires in ${ONE_TIME_CODE_TTL_SECONDS / 60} minutes).`,
      link,
      objectId: record.id,
    });
    return record;
  }

  requirePasswordReset(id: string): OneTimeCodeRecord {
    const record = this.passwordResets.get(id);
    if (!record) throw notFoundError('Password reset', id);
    return record;
  }

  resetPassword(token: string, newPassword: string): UserRecord {
    const record = [...this.passwordResets.values()].find((candidate) => candidate.code === token);
    const failure = (code: string, message: string) =>
      new WorkOSError(400, 'password_reset_error', message, { errors: [{ code, message }] });
    if (!record) throw failure('password_reset_token_invalid', 'The password reset token is invalid.');
    if (record.usedAt) throw failure('password_reset_token_used', 'The password reset token has already been used.');
    if (Date.parse(record.expiresAt) <= this.now()) throw failure('password_reset_token_expired', 'The password reset token has expired.');
    try {
      assertPasswordStrength(newPassword);
    } catch (error) {
      if (error instanceof WorkOSError) throw new WorkOSError(400, 'password_reset_error', error.message, error.extra);
      throw error;
    }
    this.#check(record, token);
    const user = this.updateUser(record.userId, { password: newPassword });
    this.events.append('password_reset.succeeded', toPasswordResetEventData(record), null);
    return user;
  }

  // ── MFA factors and challenges ─────────────────────────────────────────

  #addFactor(input: {
    type: AuthFactorType;
    userId: string | null;
    issuer?: string;
    user?: string;
    secret?: string;
    phoneNumber?: string;
    demoCode?: string;
  }): AuthFactorRecord {
    const now = this.isoNow();
    const factor: AuthFactorRecord = {
      id: generateId('auth_factor'),
      type: input.type,
      userId: input.userId,
      totp:
        input.type === 'totp'
          ? { issuer: input.issuer ?? DEFAULT_TOTP_ISSUER, user: input.user ?? '', secret: input.secret ?? new Secret({ size: 20 }).base32 }
          : null,
      phoneNumber: input.type === 'sms' ? (input.phoneNumber ?? null) : null,
      demoCode: input.demoCode ?? null,
      createdAt: now,
      updatedAt: now,
    };
    this.authFactors.set(factor.id, factor);
    return factor;
  }

  /** A user's TOTP factor, with the challenge that confirms it (POST /user_management/users/{id}/auth_factors). */
  enrollUserFactor(
    userId: string,
    input: { issuer?: string; user?: string; secret?: string },
  ): { factor: AuthFactorRecord; challenge: AuthChallengeRecord } {
    const user = this.requireUser(userId);
    if (input.secret !== undefined && !/^[A-Z2-7]{16,}=*$/i.test(input.secret)) {
      throw invalidParameters([
        fieldError('totp_secret', 'totp_secret_invalid', 'totp_secret must be a base32 secret of at least 16 characters.'),
      ]);
    }
    const factor = this.#addFactor({ type: 'totp', userId, issuer: input.issuer, user: input.user ?? user.email, secret: input.secret });
    return { factor, challenge: this.challengeFactor(factor.id) };
  }

  /** A factor on its own (POST /auth/factors/enroll), optionally a user's. */
  enrollFactor(input: { type: AuthFactorType; issuer?: string; user?: string; phoneNumber?: string; userId?: string }): AuthFactorRecord {
    if (input.userId !== undefined) this.requireUser(input.userId);
    if (input.type === 'totp' && (!input.issuer || !input.user)) {
      throw new WorkOSError(422, 'invalid_request_parameters', 'A totp factor needs totp_issuer and totp_user.');
    }
    if (input.type === 'sms' && !E164.test(input.phoneNumber ?? '')) {
      throw new WorkOSError(422, 'invalid_phone_number', 'phone_number must be in E.164 format, e.g. +15555550123.');
    }
    return this.#addFactor({ ...input, userId: input.userId ?? null });
  }

  requireFactor(id: string): AuthFactorRecord {
    const factor = this.authFactors.get(id);
    if (!factor) throw notFoundError('Authentication factor', id);
    return factor;
  }

  factorsOfUser(userId: string): AuthFactorRecord[] {
    return [...this.authFactors.values()].filter((factor) => factor.userId === userId);
  }

  deleteFactor(id: string): void {
    this.requireFactor(id);
    this.authFactors.delete(id);
    for (const [challengeId, challenge] of this.authChallenges) if (challenge.factorId === id) this.authChallenges.delete(challengeId);
  }

  challengeFactor(factorId: string, smsTemplate?: string): AuthChallengeRecord {
    const factor = this.requireFactor(factorId);
    if (smsTemplate !== undefined && factor.type !== 'sms') throw new WorkOSError(422, null, 'sms_template only applies to an sms factor.');
    if (smsTemplate !== undefined && !smsTemplate.includes('{{code}}'))
      throw new WorkOSError(422, null, 'sms_template must contain {{code}}.');
    const now = this.isoNow();
    const code = factor.type === 'totp' ? null : sixDigitCode();
    const challenge: AuthChallengeRecord = {
      id: generateId('auth_challenge'),
      factorId,
      code,
      expiresAt: factor.type === 'totp' ? null : new Date(this.now() + OTP_CHALLENGE_TTL_SECONDS * 1000).toISOString(),
      attempts: 0,
      verifiedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    this.authChallenges.set(challenge.id, challenge);
    if (factor.type === 'sms' && code !== null && factor.phoneNumber) {
      const text = (smsTemplate ?? 'Your verification code is {{code}}.').replaceAll('{{code}}', code);
      this.outbox.send({ kind: 'sms_challenge', to: factor.phoneNumber, subject: 'SMS', text, code, objectId: challenge.id });
    }
    return challenge;
  }

  requireChallenge(id: string): AuthChallengeRecord {
    const challenge = this.authChallenges.get(id);
    if (!challenge) throw notFoundError('Authentication challenge', id);
    return challenge;
  }

  /** `valid: false` for a wrong code (counted); 400 after too many, 422 once verified or expired. */
  verifyChallenge(id: string, code: string): { challenge: AuthChallengeRecord; valid: boolean } {
    const challenge = this.requireChallenge(id);
    const factor = this.requireFactor(challenge.factorId);
    if (challenge.verifiedAt)
      throw new WorkOSError(422, 'authentication_challenge_previously_verified', 'The challenge was already verified.');
    if (challenge.expiresAt && Date.parse(challenge.expiresAt) <= this.now()) {
      throw new WorkOSError(422, 'authentication_challenge_expired', 'The challenge has expired.');
    }
    if (challenge.attempts >= MAGIC_CODE_MAX_ATTEMPTS) {
      throw new WorkOSError(400, 'one_time_code_too_many_attempts', 'Too many attempts: start a new challenge.');
    }
    const valid =
      factor.type !== 'totp' || !factor.totp ? challenge.code === code : code === factor.demoCode || this.#totpValid(factor.totp, code);
    challenge.updatedAt = this.isoNow();
    if (valid) challenge.verifiedAt = challenge.updatedAt;
    else challenge.attempts += 1;
    return { challenge, valid };
  }

  /** RFC 6238, one 30-second step either side (a clock a little off, a code typed as it changes). */
  #totpValid(totp: TotpParameters, code: string): boolean {
    return totpOf(totp).validate({ token: code, timestamp: this.now(), window: 1 }) !== null;
  }

  /**
   * Whether a sign-in into `organizationId` (null: into none) must use a second factor: the
   * environment requires MFA, or that organization does (the hosted page, once the organization is
   * known). Sign-ins with SSO or a passkey are exempt (the callers' business).
   */
  mfaRequiredIn(organizationId: string | null): boolean {
    return this.config.mfaRequired || (organizationId !== null && this.organizations.get(organizationId)?.mfaRequired === true);
  }

  /**
   * Whether an API sign-in of this user must use a second factor. The API asks before any
   * organization is chosen, so: the environment requires MFA, or one of their organizations does.
   */
  mfaRequiredFor(userId: string): boolean {
    return (
      this.config.mfaRequired ||
      this.membershipsOfUser(userId).some((membership) => membership.status === 'active' && this.mfaRequiredIn(membership.organizationId))
    );
  }

  totpFactorsOf(userId: string): AuthFactorRecord[] {
    return this.factorsOfUser(userId).filter((factor) => factor.type === 'totp');
  }

  /** A new secret for the hosted page's MFA set-up; nothing is stored until {@link confirmTotpEnrolment}. */
  proposeTotp(userId: string): TotpParameters {
    return { issuer: DEFAULT_TOTP_ISSUER, user: this.requireUser(userId).email, secret: new Secret({ size: 20 }).base32 };
  }

  /** The set-up's confirmation: with a current code of `totp`, the user's TOTP factor; with a wrong code, null (nothing stored). */
  confirmTotpEnrolment(userId: string, totp: TotpParameters, code: string): AuthFactorRecord | null {
    if (!this.#totpValid(totp, code)) return null;
    return this.#addFactor({ type: 'totp', userId, ...totp });
  }

  // ── pending authentications ────────────────────────────────────────────

  startPendingAuthentication(input: Omit<PendingAuthentication, 'token' | 'expiresAt'>): PendingAuthentication {
    const pending: PendingAuthentication = { ...input, token: randomToken(24), expiresAt: this.now() + ONE_TIME_CODE_TTL_SECONDS * 1000 };
    this.#pending.set(pending.token, pending);
    return pending;
  }

  /** The pending sign-in a token stands for, if it is for `step` and still live; it is used up by the caller's success. */
  pendingAuthentication(token: string | undefined, step: PendingAuthentication['step'], clientId: string): PendingAuthentication {
    const pending = token ? this.#pending.get(token) : undefined;
    if (
      !pending ||
      pending.step !== step ||
      pending.clientId !== clientId ||
      pending.expiresAt <= this.now() ||
      !this.users.has(pending.userId)
    ) {
      throw new WorkOSError(400, 'invalid_pending_authentication_token', 'The pending authentication token is invalid or has expired.');
    }
    return pending;
  }

  /** Who a pending token belongs to (for the request log), without checking or using it. */
  pendingUserId(token: string | undefined): string | undefined {
    return token ? this.#pending.get(token)?.userId : undefined;
  }

  endPendingAuthentication(token: string): void {
    this.#pending.delete(token);
  }
}
