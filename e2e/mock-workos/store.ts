/**
 * All state of the mock WorkOS, in memory: one `MockWorkOSStore` whose
 * concerns live in ./store/ — records and shared helpers (`records.ts`), the
 * event log (`event-log.ts`) and the outbox (`outbox.ts`), faults and the
 * request log (`faults.ts`), users/organizations/memberships/roles/API keys
 * (`directory.ts`), invitations (`invitations.ts`), one-time codes, MFA
 * factors and pending sign-ins (`verifications.ts`), passkeys (`passkeys.ts`), hosted sign-in,
 * authorization codes and PKCE (`authorization.ts`), sessions and tokens
 * (`sessions.ts`). Handlers are thin HTTP wrappers around its operations.
 *
 * Time comes from an injectable clock so tests can expire codes without
 * sleeping.
 */
import { ROLE_NAMES, ROLE_PERMISSIONS, SEED_ORGANIZATIONS, SEED_USERS } from './seed.ts';
import { SigningKeyRing } from './signing-keys.ts';
import type { Clock, MockWorkOSConfig } from './store/records.ts';
import { SessionStore } from './store/sessions.ts';
import type { WebhookEndpointSeed } from './store/webhooks.ts';

export * from './store/records.ts';
export type { SessionStatus } from './store/sessions.ts';
export type { LoggedEvent } from './store/event-log.ts';
export { OUTBOX_KINDS, type OutboxFilter, type OutboxMessage } from './store/outbox.ts';
export {
  WEBHOOK_FAULT_MODES,
  type WebhookDelivery,
  type WebhookEndpointSeed,
  type WebhookFault,
  type WebhookFaultSpec,
  type WebhookMatch,
} from './store/webhooks.ts';

export class MockWorkOSStore extends SessionStore {
  /** The settings the mock started with; reset() returns to them. */
  readonly #initialConfig: MockWorkOSConfig;

  private constructor(config: MockWorkOSConfig, keys: SigningKeyRing, clock: Clock) {
    super(config, keys, clock);
    this.#initialConfig = { ...config };
    this.reset();
  }

  static async create(
    config: MockWorkOSConfig,
    { clock = Date.now, webhookEndpoint = null }: { clock?: Clock; webhookEndpoint?: WebhookEndpointSeed | null } = {},
  ): Promise<MockWorkOSStore> {
    const store = new MockWorkOSStore({ ...config }, await SigningKeyRing.create(), clock);
    store.webhooks.setSeed(webhookEndpoint);
    return store;
  }

  /**
   * Back to the seed: users, organizations, sessions, faults, log and the
   * run-time settings. Signing keys are kept on purpose: an app's cached JWKS stays valid.
   */
  reset(): void {
    this.clearState();
    this.config.accessTokenTtlSeconds = this.#initialConfig.accessTokenTtlSeconds;
    this.config.pkceRequired = this.#initialConfig.pkceRequired;
    this.config.refreshTokenReplayWindowSeconds = this.#initialConfig.refreshTokenReplayWindowSeconds;
    this.config.organizationSelectionRequired = this.#initialConfig.organizationSelectionRequired;
    this.config.mfaRequired = this.#initialConfig.mfaRequired;
    for (const [slug, permissions] of Object.entries(ROLE_PERMISSIONS)) this.createRole(slug, permissions, ROLE_NAMES[slug]);
    for (const organization of SEED_ORGANIZATIONS) this.createOrganization(organization);
    for (const user of SEED_USERS) this.createUser(user);
    // The seed is the world as it was before any test: no events, no mail. The start-up webhook
    // endpoint comes back last, so the seed delivers nothing.
    this.events.clear();
    this.outbox.clear();
    this.webhooks.restoreSeed();
  }
}
