/**
 * Typed client for the mock's `/__mock/` control API, for e2e tests:
 *
 *   const mock = new MockWorkOSControl('http://127.0.0.1:4010');
 *   const { user } = await mock.createUser({ email: `t-${Date.now()}@example.com`, password: DEMO_PASSWORD });
 *   await mock.injectFault({ endpoint: 'authenticate', match: { userId: user.id, grantType: 'refresh_token' },
 *     action: { type: 'status', status: 500 } });
 */
import type { JWK } from 'jose';
import type { PreApprovalInput } from './handlers/pre-approval.ts';
import type { MembershipJson, OrganizationJson, UserJson } from './serializers.ts';
import type {
  Fault,
  FaultSpec,
  MembershipSeed,
  OrganizationSeed,
  OutboxFilter,
  OutboxMessage,
  RequestLogEntry,
  RequestLogFilter,
  SessionRecord,
  UserSeed,
  WebhookDelivery,
  WebhookFault,
  WebhookFaultSpec,
  WebhookMatch,
} from './store.ts';

export type CreateUserInput = Omit<UserSeed, 'id' | 'demo'> & {
  memberships?: MembershipSeed[];
  /** This user's own access-token lifetime, in seconds (default: the global one). */
  accessTokenTtlSeconds?: number;
};
export type CreateOrganizationInput = Omit<OrganizationSeed, 'id' | 'sso'> & {
  sso?: { connectionId?: string; state?: 'active' | 'misconfigured'; required?: boolean } | null;
};

/** The mock's run-time settings (`GET`/`PATCH /__mock/config`). */
export interface MockConfig {
  accessTokenTtlSeconds: number;
  pkceRequired: boolean;
  refreshTokenReplayWindowSeconds: number;
  organizationSelectionRequired: boolean;
  mfaRequired: boolean;
}

export interface SigningKeyInfo {
  kid: string;
  jwk: JWK;
}

export type { PreApprovalInput };

/** `POST /__mock/pre_approvals`: `cookie` goes into the browser (on the mock's host). */
export interface PreApproval {
  ticket: string;
  cookie: { name: string; value: string; path: string };
  user: { id: string; email: string };
  organizationId: string | null;
  expiresAt: string;
}

export class MockWorkOSControlError extends Error {
  readonly status: number;
  readonly body: unknown;

  constructor(method: string, path: string, status: number, body: unknown) {
    super(`mock control ${method} ${path} answered ${status}: ${JSON.stringify(body)}`);
    this.name = 'MockWorkOSControlError';
    this.status = status;
    this.body = body;
  }
}

export class MockWorkOSControl {
  readonly baseUrl: string;

  /** @param baseUrl the mock's URL, e.g. `http://127.0.0.1:4010` (what startMockWorkOS returns as `url`). */
  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/__mock/${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) throw new MockWorkOSControlError(method, path, response.status, parsed);
    return parsed as T;
  }

  /** Back to the seed data; clears sessions, faults, the request log and the token lifetime override. Keeps signing keys. */
  reset(): Promise<void> {
    return this.#call('POST', 'reset');
  }

  createUser(input: CreateUserInput): Promise<{ user: UserJson; memberships: MembershipJson[] }> {
    return this.#call('POST', 'users', input);
  }

  createOrganization(input: CreateOrganizationInput): Promise<OrganizationJson> {
    return this.#call('POST', 'organizations', input);
  }

  /** A role whose members' access tokens carry exactly these permissions (use a unique slug per test). */
  createRole(input: { slug: string; permissions: string[] }): Promise<{ slug: string; permissions: string[] }> {
    return this.#call('POST', 'roles', input);
  }

  /** Replaces a role's permissions; tokens issued from now on (refreshes included) carry the new ones. */
  setRolePermissions(slug: string, permissions: string[]): Promise<{ slug: string; permissions: string[] }> {
    return this.#call('PATCH', `roles/${encodeURIComponent(slug)}`, { permissions });
  }

  addMembership(input: {
    userId: string;
    organizationId: string;
    role: string;
    status?: MembershipSeed['status'];
  }): Promise<MembershipJson> {
    return this.#call('POST', 'organization_memberships', input);
  }

  /**
   * Pre-approves one sign-in of this user (by `email` or `userId`): a browser that brings the
   * returned cookie to the authorize endpoint skips the hosted page and goes straight back to
   * the app with a code. `role`/`permissions` replace the membership's in that session's access
   * tokens; `organizationId` (default: the user's first) must be one the user is a member of.
   */
  preApproveSignIn(input: PreApprovalInput): Promise<PreApproval> {
    return this.#call('POST', 'pre_approvals', input);
  }

  /** Lifetime of access tokens issued from now on. */
  setAccessTokenTtl(seconds: number): Promise<MockConfig> {
    return this.#call('PATCH', 'config', { accessTokenTtlSeconds: seconds });
  }

  /** Lifetime of access tokens issued to this user from now on; `null` goes back to the global lifetime. Parallel-safe. */
  setUserAccessTokenTtl(userId: string, seconds: number | null): Promise<{ userId: string; accessTokenTtlSeconds: number }> {
    return this.#call('PATCH', `users/${encodeURIComponent(userId)}/config`, { accessTokenTtlSeconds: seconds });
  }

  /** Strict PKCE (what `MOCK_WORKOS_REQUIRE_PKCE=1` sets at start): authorize without a challenge and codes without a verifier are refused. */
  setPkceRequired(required: boolean): Promise<MockConfig> {
    return this.#call('PATCH', 'config', { pkceRequired: required });
  }

  /**
   * Refresh-token replay window: 0 (the default) is strict single use; N > 0
   * lets a just-used refresh token get the same rotated pair again for N seconds.
   */
  setRefreshTokenReplayWindow(seconds: number): Promise<MockConfig> {
    return this.#call('PATCH', 'config', { refreshTokenReplayWindowSeconds: seconds });
  }

  /** API sign-ins (password, magic auth…) of users with several organizations answer `organization_selection_required`. Global. */
  setOrganizationSelectionRequired(required: boolean): Promise<MockConfig> {
    return this.#call('PATCH', 'config', { organizationSelectionRequired: required });
  }

  /** Every user must sign in with a TOTP code (enrolling one at their next sign-in), except with SSO or a passkey. Global. */
  setMfaRequired(required: boolean): Promise<MockConfig> {
    return this.#call('PATCH', 'config', { mfaRequired: required });
  }

  getConfig(): Promise<MockConfig> {
    return this.#call('GET', 'config');
  }

  /** Makes the next `times` (default 1) matching calls fail, stall or drop. Scope with `match` so parallel tests don't collide. */
  injectFault(spec: FaultSpec): Promise<Fault> {
    return this.#call('POST', 'faults', spec);
  }

  async listFaults(): Promise<Fault[]> {
    return (await this.#call<{ data: Fault[] }>('GET', 'faults')).data;
  }

  /** Removes one fault (if not used up yet) without touching other tests' faults. */
  removeFault(id: string): Promise<void> {
    return this.#call('DELETE', `faults/${encodeURIComponent(id)}`);
  }

  clearFaults(): Promise<void> {
    return this.#call('DELETE', 'faults');
  }

  /** The key new tokens are signed with, and every key the JWKS currently publishes. */
  getSigningKeys(): Promise<{ current: SigningKeyInfo; published: JWK[] }> {
    return this.#call('GET', 'keys');
  }

  /** New signing key. `keepPrevious: false` drops the old key from the JWKS at once (revocation). */
  rotateSigningKey(options: { keepPrevious?: boolean } = {}): Promise<SigningKeyInfo> {
    return this.#call('POST', 'keys/rotate', options);
  }

  /** An access token with exactly these claims, signed with the current key (RS256, current `kid`). */
  async signAccessToken(claims: Record<string, unknown>): Promise<string> {
    return (await this.#call<{ token: string }>('POST', 'keys/sign', { claims })).token;
  }

  async listSessions(filter: { userId?: string } = {}): Promise<SessionRecord[]> {
    const query = filter.userId ? `?user_id=${encodeURIComponent(filter.userId)}` : '';
    return (await this.#call<{ data: SessionRecord[] }>('GET', `sessions${query}`)).data;
  }

  /** Ends a session as if revoked in the dashboard: its refresh tokens stop working. */
  endSession(sessionId: string): Promise<SessionRecord> {
    return this.#call('POST', `sessions/${encodeURIComponent(sessionId)}/end`);
  }

  /** Moves the session's last interactive sign-in (its tokens' `auth_time`) and the user's hosted sign-ins `seconds` back: the clock for step-up tests. */
  backdateSignIn(sessionId: string, seconds: number): Promise<SessionRecord> {
    return this.#call('POST', `sessions/${encodeURIComponent(sessionId)}/backdate_sign_in`, { seconds });
  }

  /** Calls the mock received, oldest first. */
  async requests(filter: RequestLogFilter = {}): Promise<RequestLogEntry[]> {
    const query = new URLSearchParams();
    if (filter.userId) query.set('user_id', filter.userId);
    if (filter.endpoint) query.set('endpoint', filter.endpoint);
    if (filter.grantType) query.set('grant_type', filter.grantType);
    const suffix = query.size > 0 ? `?${query}` : '';
    return (await this.#call<{ data: RequestLogEntry[] }>('GET', `requests${suffix}`)).data;
  }

  clearRequests(): Promise<void> {
    return this.#call('DELETE', 'requests');
  }

  /** What the mock "sent" (emails, SMS), oldest first; filter by recipient and kind. */
  async outbox(filter: OutboxFilter = {}): Promise<OutboxMessage[]> {
    const query = new URLSearchParams();
    if (filter.to) query.set('to', filter.to);
    if (filter.kind) query.set('kind', filter.kind);
    const suffix = query.size > 0 ? `?${query}` : '';
    return (await this.#call<{ data: OutboxMessage[] }>('GET', `outbox${suffix}`)).data;
  }

  /**
   * Expires the one-time code an outbox message carries (email verification, magic code, password
   * reset, SMS), as if its lifetime had run out: for a test of an expired code, without waiting.
   */
  expireCode(message: Pick<OutboxMessage, 'id'>): Promise<{ id: string; objectId: string; expiredAt: string }> {
    return this.#call('POST', `outbox/${encodeURIComponent(message.id)}/expire`);
  }

  /** Deliveries to the webhook endpoints, oldest first, with every attempt and its answer. */
  async webhookDeliveries(filter: WebhookMatch = {}): Promise<WebhookDelivery[]> {
    const query = new URLSearchParams();
    if (filter.event) query.set('event', filter.event);
    if (filter.eventId) query.set('event_id', filter.eventId);
    if (filter.organizationId) query.set('organization_id', filter.organizationId);
    if (filter.userId) query.set('user_id', filter.userId);
    const suffix = query.size > 0 ? `?${query}` : '';
    return (await this.#call<{ data: WebhookDelivery[] }>('GET', `webhook_deliveries${suffix}`)).data;
  }

  /** The pending retries (and held deliveries) matching, attempted now; resolves once they are answered. */
  async retryWebhooksNow(match?: WebhookMatch): Promise<WebhookDelivery[]> {
    return (await this.#call<{ data: WebhookDelivery[] }>('POST', 'webhook_deliveries/retry', { match })).data;
  }

  /** The next `times` (default 1) deliveries matching get a bad signature, a stale timestamp, a duplicate, a replay or are held back. */
  injectWebhookFault(spec: WebhookFaultSpec): Promise<WebhookFault> {
    return this.#call('POST', 'webhook_faults', spec);
  }

  async listWebhookFaults(): Promise<WebhookFault[]> {
    return (await this.#call<{ data: WebhookFault[] }>('GET', 'webhook_faults')).data;
  }

  clearWebhookFaults(): Promise<void> {
    return this.#call('DELETE', 'webhook_faults');
  }

  clearOutbox(): Promise<void> {
    return this.#call('DELETE', 'outbox');
  }
}
