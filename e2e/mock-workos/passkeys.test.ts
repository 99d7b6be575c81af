/**
 * The store's passkeys: registration and sign-in verified by @simplewebauthn/server against a
 * software authenticator that signs for real, and every tampered or mismatched answer refused.
 * The hosted pages around them: handlers.test.ts; in a real browser: e2e/hosted-mfa-passkeys.spec.ts.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_USER_IDS } from './seed.ts';
import { createMockWorkOSStore } from './server.ts';
import { flipLastByte, SoftwareAuthenticator } from './software-authenticator.ts';
import type { MockWorkOSStore } from './store.ts';
import { PASSKEY_PROMPT_SNOOZE_SECONDS, PasskeyRefusedError, type WebAuthnCeremony } from './store/passkeys.ts';
import { API_KEY, CLIENT_ID, REDIRECT_URI } from './test-helpers.ts';

const ORIGIN = 'http://localhost:4010';
const RP_ID = 'localhost';
const START = Date.parse('2026-12-07T12:00:00.000Z');

/** The store's clock: still unless a test moves it. */
let now = START;
let store: MockWorkOSStore;

beforeAll(async () => {
  store = await createMockWorkOSStore({ clientId: CLIENT_ID, apiKey: API_KEY, redirectUris: [REDIRECT_URI], clock: () => now });
});
beforeEach(() => {
  now = START;
  store.reset();
});

/** Registers a passkey of `authenticator` for the seeded passkey user, as the hosted page does. */
async function register(authenticator: SoftwareAuthenticator, userId: string = SEED_USER_IDS.passkey) {
  const options = await store.passkeyRegistrationOptions(userId, RP_ID);
  return store.registerPasskey(userId, authenticator.register(options, ORIGIN), {
    challenge: options.challenge,
    origin: ORIGIN,
    rpId: RP_ID,
  });
}

/** A sign-in ceremony and the authenticator's answer to it (signed for `rpId`, by default the ceremony's). */
async function assertion(authenticator: SoftwareAuthenticator, { rpId = RP_ID } = {}) {
  const options = await store.passkeyAuthenticationOptions(RP_ID);
  const ceremony: WebAuthnCeremony = { challenge: options.challenge, origin: ORIGIN, rpId: RP_ID };
  return { ceremony, response: authenticator.authenticate(options, ORIGIN, { rpId }) };
}

async function refusal(call: Promise<unknown>): Promise<string> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(PasskeyRefusedError);
  return (error as Error).message;
}

describe('passkeys', () => {
  it('registers a passkey with user verification and signs its user in with it, advancing the signature counter', async () => {
    const authenticator = new SoftwareAuthenticator();
    const options = await store.passkeyRegistrationOptions(SEED_USER_IDS.passkey, RP_ID);
    expect(options).toMatchObject({
      rp: { id: RP_ID, name: 'AuthKit Demo' },
      user: { name: 'passkey@example.com', displayName: 'Pia Passkey', id: Buffer.from(SEED_USER_IDS.passkey).toString('base64url') },
      attestation: 'none',
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      excludeCredentials: [],
    });
    const passkey = await register(authenticator);
    expect(passkey).toMatchObject({ id: authenticator.credentialId.toString('base64url'), userId: SEED_USER_IDS.passkey, counter: 1 });
    expect(store.passkeysOfUser(SEED_USER_IDS.passkey)).toEqual([passkey]);

    const { ceremony, response } = await assertion(authenticator);
    const user = await store.verifyPasskeyAssertion(response, ceremony);
    expect(user.id).toBe(SEED_USER_IDS.passkey);
    expect(store.passkeys.get(passkey.id)).toMatchObject({ counter: 2, lastUsedAt: '2026-12-07T12:00:00.000Z' });
  });

  it('refuses an assertion whose signature was tampered with', async () => {
    const authenticator = new SoftwareAuthenticator();
    await register(authenticator);
    const { ceremony, response } = await assertion(authenticator);
    const tampered = { ...response, response: { ...response.response, signature: flipLastByte(response.response.signature) } };
    expect(await refusal(store.verifyPasskeyAssertion(tampered, ceremony))).toBe(
      'The passkey was not verified: its signature does not match.',
    );
    // The genuine answer still verifies: nothing was used up by the refusal.
    expect((await store.verifyPasskeyAssertion(response, ceremony)).id).toBe(SEED_USER_IDS.passkey);
  });

  it('refuses an assertion signed over other data (authenticator data changed after signing)', async () => {
    const authenticator = new SoftwareAuthenticator();
    await register(authenticator);
    const { ceremony, response } = await assertion(authenticator);
    const tampered = {
      ...response,
      response: { ...response.response, authenticatorData: flipLastByte(response.response.authenticatorData) },
    };
    expect(await refusal(store.verifyPasskeyAssertion(tampered, ceremony))).toBe(
      'The passkey was not verified: its signature does not match.',
    );
  });

  it('refuses an answer to another challenge, from another origin or for another RP ID', async () => {
    const authenticator = new SoftwareAuthenticator();
    await register(authenticator);
    const { ceremony, response } = await assertion(authenticator);
    expect(await refusal(store.verifyPasskeyAssertion(response, { ...ceremony, challenge: 'another-challenge' }))).toMatch(
      /^The passkey was not verified: Unexpected authentication response challenge/,
    );
    expect(await refusal(store.verifyPasskeyAssertion(response, { ...ceremony, origin: 'http://localhost:9999' }))).toMatch(
      /^The passkey was not verified: Unexpected authentication response origin/,
    );
    const forOtherSite = await assertion(authenticator, { rpId: 'evil.example' });
    expect(await refusal(store.verifyPasskeyAssertion(forOtherSite.response, forOtherSite.ceremony))).toMatch(
      /^The passkey was not verified: Unexpected RP ID hash/,
    );
  });

  it('refuses an unknown credential, a user handle of someone else, and a counter that went backwards (a cloned authenticator)', async () => {
    const stranger = new SoftwareAuthenticator();
    const { ceremony, response } = await assertion(stranger);
    expect(await refusal(store.verifyPasskeyAssertion(response, ceremony))).toBe(
      'This passkey is not registered here (the mock forgets passkeys when it restarts). Sign in another way.',
    );

    const authenticator = new SoftwareAuthenticator();
    await register(authenticator);
    const first = await assertion(authenticator);
    const otherUser = {
      ...first.response,
      response: { ...first.response.response, userHandle: Buffer.from(SEED_USER_IDS.admin).toString('base64url') },
    };
    expect(await refusal(store.verifyPasskeyAssertion(otherUser, first.ceremony))).toBe(
      'The passkey was not verified: it belongs to another user.',
    );

    const second = await assertion(authenticator);
    await store.verifyPasskeyAssertion(second.response, second.ceremony);
    // The first answer (counter 2) arrives after the second (counter 3) was accepted.
    expect(await refusal(store.verifyPasskeyAssertion(first.response, first.ceremony))).toMatch(
      /^The passkey was not verified: Response counter value 2 was lower than expected 3/,
    );
  });

  it('refuses a registration without user verification, or made for another challenge', async () => {
    const presenceOnly = new SoftwareAuthenticator({ userVerified: false });
    expect(await refusal(register(presenceOnly))).toMatch(/^The passkey was not verified: User verification/);
    const authenticator = new SoftwareAuthenticator();
    const options = await store.passkeyRegistrationOptions(SEED_USER_IDS.passkey, RP_ID);
    const response = authenticator.register(options, ORIGIN);
    expect(
      await refusal(
        store.registerPasskey(SEED_USER_IDS.passkey, response, { challenge: 'another-challenge', origin: ORIGIN, rpId: RP_ID }),
      ),
    ).toMatch(/^The passkey was not verified: Unexpected registration response challenge/);
    expect(store.passkeysOfUser(SEED_USER_IDS.passkey)).toEqual([]);
  });

  it('offers a passkey to a user with progressive enrollment until they have one; Not now asks again in 14 days, Don’t ask again never', async () => {
    expect(store.passkeyPromptDue(SEED_USER_IDS.passkey)).toBe(true);
    expect(store.passkeyPromptDue(SEED_USER_IDS.member)).toBe(false);

    store.skipPasskeyPrompt(SEED_USER_IDS.passkey, { never: false });
    expect(store.passkeyPromptDue(SEED_USER_IDS.passkey)).toBe(false);
    now = START + PASSKEY_PROMPT_SNOOZE_SECONDS * 1000 - 1;
    expect(store.passkeyPromptDue(SEED_USER_IDS.passkey)).toBe(false);
    now = START + PASSKEY_PROMPT_SNOOZE_SECONDS * 1000;
    expect(store.passkeyPromptDue(SEED_USER_IDS.passkey)).toBe(true);

    store.skipPasskeyPrompt(SEED_USER_IDS.passkey, { never: true });
    now += 365 * 24 * 3600 * 1000;
    expect(store.passkeyPromptDue(SEED_USER_IDS.passkey)).toBe(false);
  });

  it('stops offering once the user has a passkey, and forgets a deleted user’s passkeys', async () => {
    const authenticator = new SoftwareAuthenticator();
    await register(authenticator);
    expect(store.passkeyPromptDue(SEED_USER_IDS.passkey)).toBe(false);
    store.deleteUser(SEED_USER_IDS.passkey);
    expect(store.passkeys.size).toBe(0);
  });
});
