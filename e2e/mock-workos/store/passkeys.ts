/**
 * Users' passkeys (WebAuthn credentials), as hosted AuthKit keeps them: the
 * public key and signature counter of each credential a user registered on the
 * hosted page, verified with @simplewebauthn/server at registration and at every
 * sign-in (origin, RP ID, challenge, user verification, signature, counter).
 * And progressive enrollment: a password user the hosted page should offer to
 * create a passkey, until they have one, skip it (asked again in 14 days, as
 * WorkOS does) or ask never to be asked again.
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  type WebAuthnCredential,
} from '@simplewebauthn/server';
import { COSEALG } from '@simplewebauthn/server/helpers';
import type { UserRecord, UserSeed } from './records.ts';
import { VerificationStore } from './verifications.ts';

/** What WorkOS shows as the relying party's name (the dashboard's team name; here the mock's). */
const RP_NAME = 'AuthKit Demo';
/**
 * The signature algorithms offered and accepted: the library's classic defaults, named so it does not probe
 * Node for post-quantum ones (an experimental Web Crypto call that prints warnings).
 */
const ALGORITHMS = [COSEALG.EdDSA, COSEALG.ES256, COSEALG.RS256];
/** WorkOS reminds a user who skipped the prompt two weeks later. */
export const PASSKEY_PROMPT_SNOOZE_SECONDS = 14 * 24 * 3600;

export interface PasskeyRecord {
  /** The credential id (base64url), as the browser reports it. */
  id: string;
  userId: string;
  /** COSE public key. */
  publicKey: WebAuthnCredential['publicKey'];
  counter: number;
  transports: string[];
  createdAt: string;
  lastUsedAt: string | null;
}

/** Where and for what a WebAuthn ceremony was started: what its response must match. */
export interface WebAuthnCeremony {
  challenge: string;
  /** The page's origin, e.g. `http://localhost:4010`. */
  origin: string;
  rpId: string;
}

/** A registration or assertion the mock refuses; the message is for the page. */
export class PasskeyRefusedError extends Error {
  override name = 'PasskeyRefusedError';
}

/** The user handle a passkey carries: the user id's bytes (base64url in JSON). */
const userHandleOf = (userId: string) => new TextEncoder().encode(userId);

export abstract class PasskeyStore extends VerificationStore {
  readonly passkeys = new Map<string, PasskeyRecord>();
  /** Users offered a passkey after a password sign-in: when they may be asked again (ms), or never. */
  readonly #prompts = new Map<string, { askAfter: number; never: boolean }>();

  protected override clearState(): void {
    super.clearState();
    this.passkeys.clear();
    this.#prompts.clear();
  }

  override createUser(seed: UserSeed): UserRecord {
    const user = super.createUser(seed);
    if (seed.passkeyProgressiveEnrollment) this.#prompts.set(user.id, { askAfter: 0, never: false });
    return user;
  }

  protected override forgetUser(userId: string): void {
    super.forgetUser(userId);
    for (const [id, passkey] of this.passkeys) if (passkey.userId === userId) this.passkeys.delete(id);
    this.#prompts.delete(userId);
  }

  passkeysOfUser(userId: string): PasskeyRecord[] {
    return [...this.passkeys.values()].filter((passkey) => passkey.userId === userId);
  }

  /** Whether the hosted page should offer this user a passkey now (after a password sign-in). */
  passkeyPromptDue(userId: string): boolean {
    const prompt = this.#prompts.get(userId);
    return !!prompt && !prompt.never && prompt.askAfter <= this.now() && this.passkeysOfUser(userId).length === 0;
  }

  /** "Not now" (asked again in 14 days) or "Don't ask again". */
  skipPasskeyPrompt(userId: string, { never }: { never: boolean }): void {
    const prompt = this.#prompts.get(userId);
    if (!prompt) return;
    prompt.askAfter = this.now() + PASSKEY_PROMPT_SNOOZE_SECONDS * 1000;
    prompt.never = never;
  }

  /** Options for `navigator.credentials.create()`: a discoverable credential with user verification, none of the user's existing ones. */
  passkeyRegistrationOptions(userId: string, rpId: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const user = this.requireUser(userId);
    return generateRegistrationOptions({
      rpName: RP_NAME,
      rpID: rpId,
      userID: userHandleOf(user.id),
      userName: user.email,
      userDisplayName: [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email,
      attestationType: 'none',
      excludeCredentials: this.passkeysOfUser(user.id).map(({ id, transports }) => ({ id, transports })),
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      supportedAlgorithmIDs: ALGORITHMS,
    });
  }

  /** Verifies a registration response against its ceremony and keeps the credential for the user. */
  async registerPasskey(userId: string, response: RegistrationResponseJSON, ceremony: WebAuthnCeremony): Promise<PasskeyRecord> {
    this.requireUser(userId);
    const verification = await refusedUnless(
      verifyRegistrationResponse({
        response,
        expectedChallenge: ceremony.challenge,
        expectedOrigin: ceremony.origin,
        expectedRPID: ceremony.rpId,
        requireUserVerification: true,
        supportedAlgorithmIDs: ALGORITHMS,
      }),
    );
    if (!verification.verified || !verification.registrationInfo) throw new PasskeyRefusedError('The passkey could not be verified.');
    const { credential } = verification.registrationInfo;
    if (this.passkeys.has(credential.id)) throw new PasskeyRefusedError('This passkey is registered already.');
    const passkey: PasskeyRecord = {
      id: credential.id,
      userId,
      publicKey: credential.publicKey,
      counter: credential.counter,
      transports: credential.transports ?? response.response.transports ?? [],
      createdAt: this.isoNow(),
      lastUsedAt: null,
    };
    this.passkeys.set(passkey.id, passkey);
    return passkey;
  }

  /** Options for `navigator.credentials.get()`: any of this site's discoverable credentials, with user verification. */
  passkeyAuthenticationOptions(rpId: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return generateAuthenticationOptions({ rpID: rpId, userVerification: 'required', allowCredentials: [] });
  }

  /**
   * Verifies an assertion against its ceremony and the stored public key (signature, counter, user
   * handle) and answers whose passkey it is.
   */
  async verifyPasskeyAssertion(response: AuthenticationResponseJSON, ceremony: WebAuthnCeremony): Promise<UserRecord> {
    const passkey = this.passkeys.get(response.id);
    const user = passkey && this.users.get(passkey.userId);
    if (!passkey || !user) {
      throw new PasskeyRefusedError(
        'This passkey is not registered here (the mock forgets passkeys when it restarts). Sign in another way.',
      );
    }
    const userHandle = response.response.userHandle;
    if (userHandle !== undefined && userHandle !== Buffer.from(userHandleOf(user.id)).toString('base64url')) {
      throw new PasskeyRefusedError('The passkey was not verified: it belongs to another user.');
    }
    const verification = await refusedUnless(
      verifyAuthenticationResponse({
        response,
        expectedChallenge: ceremony.challenge,
        expectedOrigin: ceremony.origin,
        expectedRPID: ceremony.rpId,
        credential: { id: passkey.id, publicKey: passkey.publicKey, counter: passkey.counter, transports: passkey.transports },
        requireUserVerification: true,
      }),
    );
    if (!verification.verified) throw new PasskeyRefusedError('The passkey was not verified: its signature does not match.');
    passkey.counter = verification.authenticationInfo.newCounter;
    passkey.lastUsedAt = this.isoNow();
    return user;
  }
}

/** The library's answer, its refusals (a wrong origin, challenge, RP ID, flag or counter) as {@link PasskeyRefusedError}. */
async function refusedUnless<T>(verification: Promise<T>): Promise<T> {
  try {
    return await verification;
  } catch (error) {
    throw new PasskeyRefusedError(`The passkey was not verified: ${error instanceof Error ? error.message : String(error)}`);
  }
}
