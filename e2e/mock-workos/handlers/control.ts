/**
 * Control API for tests under the reserved `/__mock/` prefix: reset, create
 * users and organizations, set token lifetime, inject faults, rotate keys, end
 * sessions, read the request log and the outbox. The HTTP adapter answers it only for
 * loopback peers.
 */
import { http, type HttpHandler } from 'msw';
import { z } from 'zod';
import { toMembershipResponse, toOrganizationResponse, toUserResponse } from '../serializers.ts';
import {
  MEMBERSHIP_STATUSES,
  MOCK_ENDPOINTS,
  MockInputError,
  OUTBOX_KINDS,
  SOCIAL_PROVIDERS,
  WEBHOOK_FAULT_MODES,
  type MockWorkOSStore,
  type RequestLogFilter,
} from '../store.ts';
import { backdateHostedSignIns, clearHostedSessions } from './hosted-session.ts';
import { outboxPage, prefersHtml } from './outbox-page.ts';
import { clearPreApprovals, preApprove } from './pre-approval.ts';
import { jsonResponse, pathFor, type HandlerOptions } from './shared.ts';

export const CONTROL_PREFIX = '/__mock/';

const outboxKindSchema = z
  .enum(OUTBOX_KINDS as [string, ...string[]])
  .transform((value) => value as (typeof OUTBOX_KINDS)[number])
  .optional();

const endpointSchema = z.enum(MOCK_ENDPOINTS);

const membershipInput = z.object({
  organizationId: z.string().min(1),
  role: z.string().min(1),
  status: z
    .enum(MEMBERSHIP_STATUSES as [string, ...string[]])
    .transform((value) => value as (typeof MEMBERSHIP_STATUSES)[number])
    .optional(),
});

const accessTokenTtlSeconds = z.number().int().min(1).max(86_400);

const createUserInput = z.object({
  /** This user's own access-token lifetime (parallel-safe, unlike PATCH /__mock/config). */
  accessTokenTtlSeconds: accessTokenTtlSeconds.optional(),
  email: z.email(),
  password: z.string().min(1).nullable().optional(),
  firstName: z.string().nullable().optional(),
  lastName: z.string().nullable().optional(),
  externalId: z.string().nullable().optional(),
  emailVerified: z.boolean().optional(),
  mfa: z
    .object({ totpCode: z.string().regex(/^\d{6}$/) })
    .nullable()
    .optional(),
  impersonator: z.object({ email: z.email(), reason: z.string().nullable() }).nullable().optional(),
  socialProvider: z
    .enum(SOCIAL_PROVIDERS as [string, ...string[]])
    .transform((value) => value as (typeof SOCIAL_PROVIDERS)[number])
    .nullable()
    .optional(),
  memberships: z.array(membershipInput).optional(),
  passkeyProgressiveEnrollment: z.boolean().optional(),
});

const createOrganizationInput = z.object({
  name: z.string().min(1),
  domains: z.array(z.string().min(1)).optional(),
  entitlements: z.array(z.string()).optional(),
  featureFlags: z.array(z.string()).optional(),
  sso: z
    .object({
      connectionId: z.string().min(1).optional(),
      state: z.enum(['active', 'misconfigured']).default('active'),
      required: z.boolean().default(true),
    })
    .nullable()
    .optional(),
  mfaRequired: z.boolean().optional(),
});

const createRoleInput = z.object({ slug: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/), permissions: z.array(z.string().min(1)).max(1_000) });

const createMembershipInput = membershipInput.extend({ userId: z.string().min(1) });

const configInput = z
  .object({
    accessTokenTtlSeconds: accessTokenTtlSeconds.optional(),
    pkceRequired: z.boolean().optional(),
    refreshTokenReplayWindowSeconds: z.number().int().min(0).max(3_600).optional(),
    organizationSelectionRequired: z.boolean().optional(),
    mfaRequired: z.boolean().optional(),
  })
  .refine((input) => Object.values(input).some((value) => value !== undefined), 'Set at least one setting.');

const userConfigInput = z.object({ accessTokenTtlSeconds: accessTokenTtlSeconds.nullable() });

const signInput = z.object({ claims: z.record(z.string(), z.unknown()) });

const delayMs = z.number().int().min(0).max(120_000);
const faultInput = z.object({
  endpoint: endpointSchema,
  times: z.number().int().min(1).max(10_000).optional(),
  match: z
    .object({
      userId: z.string().optional(),
      email: z.string().optional(),
      grantType: z.enum(['authorization_code', 'refresh_token', 'password']).optional(),
    })
    .optional(),
  action: z.discriminatedUnion('type', [
    z.object({
      type: z.literal('status'),
      status: z.number().int().min(200).max(599),
      body: z.unknown().optional(),
      delayMs: delayMs.optional(),
    }),
    z.object({ type: z.literal('drop'), delayMs: delayMs.optional() }),
    z.object({ type: z.literal('delay'), delayMs }),
    z
      .object({
        type: z.literal('alter_fields'),
        omit: z.array(z.string().min(1)).optional(),
        nullify: z.array(z.string().min(1)).optional(),
        delayMs: delayMs.optional(),
      })
      .refine((action) => (action.omit?.length ?? 0) + (action.nullify?.length ?? 0) > 0, 'Name at least one field to omit or nullify.'),
  ]),
});

const rotateInput = z.object({ keepPrevious: z.boolean().optional() });

const webhookMatch = z
  .object({
    event: z.string().min(1).optional(),
    eventId: z.string().min(1).optional(),
    organizationId: z.string().min(1).optional(),
    userId: z.string().min(1).optional(),
  })
  .strict();

const webhookFaultInput = z.object({
  mode: z.enum(WEBHOOK_FAULT_MODES),
  times: z.number().int().min(1).max(10_000).optional(),
  match: webhookMatch.optional(),
});

const webhookRetryInput = z.object({ match: webhookMatch.optional() });

const preApprovalInput = z
  .object({
    email: z.string().min(1).optional(),
    userId: z.string().min(1).optional(),
    organizationId: z.string().min(1).optional(),
    role: z.string().min(1).optional(),
    permissions: z.array(z.string().min(1)).max(1_000).optional(),
  })
  .refine((input) => (input.email === undefined) !== (input.userId === undefined), 'Name the user by email or by userId (one of them).');

async function parseBody<T>(request: Request, schema: z.ZodType<T>): Promise<{ ok: true; value: T } | { ok: false; response: Response }> {
  const text = await request.text();
  let json: unknown = {};
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, response: jsonResponse({ message: 'Body must be JSON.' }, 400) };
    }
  }
  const result = schema.safeParse(json);
  if (!result.success)
    return { ok: false, response: jsonResponse({ message: 'Invalid control request.', issues: result.error.issues }, 422) };
  return { ok: true, value: result.data };
}

/** Store input errors (unknown organization, duplicate email…) become 422s a test can read. */
function guard(run: () => Response): Response {
  try {
    return run();
  } catch (error) {
    if (error instanceof MockInputError) return jsonResponse({ message: error.message }, 422);
    throw error;
  }
}

export function controlHandlers(store: MockWorkOSStore, options: HandlerOptions): HttpHandler[] {
  const at = (path: string) => pathFor(options, `${CONTROL_PREFIX}${path}`);
  const noContent = () => new Response(null, { status: 204 });
  const runtimeConfig = () => ({
    accessTokenTtlSeconds: store.config.accessTokenTtlSeconds,
    pkceRequired: store.config.pkceRequired,
    refreshTokenReplayWindowSeconds: store.config.refreshTokenReplayWindowSeconds,
    organizationSelectionRequired: store.config.organizationSelectionRequired,
    mfaRequired: store.config.mfaRequired,
  });

  return [
    http.post(at('reset'), () => {
      store.reset();
      clearPreApprovals(store);
      clearHostedSessions(store);
      return noContent();
    }),

    http.post(at('users'), async ({ request }) => {
      const body = await parseBody(request, createUserInput);
      if (!body.ok) return body.response;
      const { accessTokenTtlSeconds: userTtl, ...seed } = body.value;
      return guard(() => {
        const user = store.createUser(seed);
        if (userTtl !== undefined) store.setUserAccessTokenTtl(user.id, userTtl);
        const memberships = store.membershipsOfUser(user.id).map((membership) => toMembershipResponse(store, membership));
        return jsonResponse({ user: toUserResponse(user), memberships }, 201);
      });
    }),

    http.patch<{ id: string }>(at('users/:id/config'), async ({ request, params }) => {
      const body = await parseBody(request, userConfigInput);
      if (!body.ok) return body.response;
      return guard(() => {
        store.setUserAccessTokenTtl(params.id, body.value.accessTokenTtlSeconds);
        return jsonResponse({ userId: params.id, accessTokenTtlSeconds: store.accessTokenTtlFor(params.id) });
      });
    }),

    http.post(at('organizations'), async ({ request }) => {
      const body = await parseBody(request, createOrganizationInput);
      if (!body.ok) return body.response;
      const { sso, ...rest } = body.value;
      return guard(() => {
        const organization = store.createOrganization({
          ...rest,
          sso: sso
            ? {
                connectionId: sso.connectionId ?? `conn_${rest.name.replace(/\W/g, '').toUpperCase()}`,
                state: sso.state,
                required: sso.required,
              }
            : null,
        });
        return jsonResponse(toOrganizationResponse(organization), 201);
      });
    }),

    http.post(at('roles'), async ({ request }) => {
      const body = await parseBody(request, createRoleInput);
      if (!body.ok) return body.response;
      return guard(() => jsonResponse(store.createRole(body.value.slug, body.value.permissions), 201));
    }),

    http.patch<{ slug: string }>(at('roles/:slug'), async ({ request, params }) => {
      const body = await parseBody(request, createRoleInput.pick({ permissions: true }));
      if (!body.ok) return body.response;
      return guard(() => jsonResponse(store.setRolePermissions(params.slug, body.value.permissions)));
    }),

    http.post(at('organization_memberships'), async ({ request }) => {
      const body = await parseBody(request, createMembershipInput);
      if (!body.ok) return body.response;
      const { userId, organizationId, role, status } = body.value;
      return guard(() => {
        const membership = store.createMembership(userId, organizationId, role, status);
        return jsonResponse(toMembershipResponse(store, membership), 201);
      });
    }),

    // The next sign-in of the browser that brings the ticket skips the hosted page (./pre-approval.ts).
    http.post(at('pre_approvals'), async ({ request }) => {
      const body = await parseBody(request, preApprovalInput);
      if (!body.ok) return body.response;
      const input = body.value;
      return guard(() => jsonResponse(preApprove(store, input), 201));
    }),

    http.get(at('config'), () => jsonResponse(runtimeConfig())),

    // Global settings: tests that change them must not run in parallel with tests that rely on the defaults.
    http.patch(at('config'), async ({ request }) => {
      const body = await parseBody(request, configInput);
      if (!body.ok) return body.response;
      const {
        accessTokenTtlSeconds: ttl,
        pkceRequired,
        refreshTokenReplayWindowSeconds,
        organizationSelectionRequired,
        mfaRequired,
      } = body.value;
      if (ttl !== undefined) store.config.accessTokenTtlSeconds = ttl;
      if (pkceRequired !== undefined) store.config.pkceRequired = pkceRequired;
      if (refreshTokenReplayWindowSeconds !== undefined) store.config.refreshTokenReplayWindowSeconds = refreshTokenReplayWindowSeconds;
      if (organizationSelectionRequired !== undefined) store.config.organizationSelectionRequired = organizationSelectionRequired;
      if (mfaRequired !== undefined) store.config.mfaRequired = mfaRequired;
      return jsonResponse(runtimeConfig());
    }),

    // What the mock "sent": magic codes, verification codes, reset links, invitations, SMS codes. A page for a browser (./outbox-page.ts).
    http.get(at('outbox'), ({ request }) => {
      const query = new URL(request.url).searchParams;
      const kind = outboxKindSchema.safeParse(query.get('kind') || undefined);
      if (!kind.success) return jsonResponse({ message: `kind must be one of ${OUTBOX_KINDS.join(', ')}.` }, 422);
      const filter = { to: query.get('to') || undefined, kind: kind.data };
      const messages = store.outbox.list(filter);
      return prefersHtml(request) ? outboxPage(messages, filter) : jsonResponse({ data: messages });
    }),

    // The one-time code a message carries, expired now: tests of an expired code without waiting (parallel-safe).
    http.post<{ id: string }>(at('outbox/:id/expire'), ({ params }) => {
      const message = store.outbox.list().find((candidate) => candidate.id === params.id);
      if (!message) return jsonResponse({ message: `Message not found: '${params.id}'.` }, 404);
      const expiredAt = store.expireOneTimeCode(message.objectId);
      if (!expiredAt) return jsonResponse({ message: `A ${message.kind} message carries no one-time code the mock can expire.` }, 422);
      return jsonResponse({ id: message.id, objectId: message.objectId, expiredAt });
    }),

    http.delete(at('outbox'), () => {
      store.outbox.clear();
      return noContent();
    }),

    http.post(at('faults'), async ({ request }) => {
      const body = await parseBody(request, faultInput);
      if (!body.ok) return body.response;
      return jsonResponse(store.addFault(body.value), 201);
    }),

    http.get(at('faults'), () => jsonResponse({ data: store.faults })),

    http.delete(at('faults'), () => {
      store.clearFaults();
      return noContent();
    }),

    http.delete<{ id: string }>(at('faults/:id'), ({ params }) => {
      store.removeFault(params.id);
      return noContent();
    }),

    // Webhooks (../store/webhooks.ts): what was delivered, faults to send, retries now instead of when due.
    http.get(at('webhook_deliveries'), ({ request }) => {
      const query = new URL(request.url).searchParams;
      const filter = webhookMatch.safeParse({
        event: query.get('event') ?? undefined,
        eventId: query.get('event_id') ?? undefined,
        organizationId: query.get('organization_id') ?? undefined,
        userId: query.get('user_id') ?? undefined,
      });
      if (!filter.success) return jsonResponse({ message: 'Invalid filter.', issues: filter.error.issues }, 422);
      return jsonResponse({ data: store.webhooks.deliveries(filter.data) });
    }),

    http.post(at('webhook_deliveries/retry'), async ({ request }) => {
      const body = await parseBody(request, webhookRetryInput);
      if (!body.ok) return body.response;
      return jsonResponse({ data: await store.webhooks.retryNow(body.value.match) });
    }),

    http.post(at('webhook_faults'), async ({ request }) => {
      const body = await parseBody(request, webhookFaultInput);
      if (!body.ok) return body.response;
      return jsonResponse(store.webhooks.addFault(body.value), 201);
    }),

    http.get(at('webhook_faults'), () => jsonResponse({ data: store.webhooks.faults })),

    http.delete(at('webhook_faults'), () => {
      store.webhooks.clearFaults();
      return noContent();
    }),

    http.get(at('keys'), () => jsonResponse({ current: store.keys.current, published: store.keys.publishedKeys(store.now()) })),

    http.post(at('keys/rotate'), async ({ request }) => {
      const body = await parseBody(request, rotateInput);
      if (!body.ok) return body.response;
      return jsonResponse(await store.keys.rotate(store.now(), body.value), 201);
    }),

    // Signs arbitrary claims with the current key, for tests that need a token the
    // mock would never issue (expired by a second, not yet valid, another subject).
    http.post(at('keys/sign'), async ({ request }) => {
      const body = await parseBody(request, signInput);
      if (!body.ok) return body.response;
      return jsonResponse({ token: await store.keys.sign(body.value.claims) }, 201);
    }),

    http.get(at('sessions'), ({ request }) => {
      const userId = new URL(request.url).searchParams.get('user_id');
      const sessions = [...store.sessions.values()].filter((session) => !userId || session.userId === userId);
      return jsonResponse({ data: sessions });
    }),

    http.post<{ id: string }>(at('sessions/:id/end'), ({ params }) => {
      if (!store.endSession(params.id)) return jsonResponse({ message: `Session not found: '${params.id}'.` }, 404);
      return jsonResponse(store.sessions.get(params.id));
    }),

    // The session's last interactive sign-in (its tokens' auth_time) and the user's hosted sign-ins, moved back:
    // "signed in N seconds ago" without waiting (step-up tests).
    http.post<{ id: string }>(at('sessions/:id/backdate_sign_in'), async ({ request, params }) => {
      const body = await parseBody(
        request,
        z.object({
          seconds: z
            .number()
            .int()
            .min(0)
            .max(365 * 24 * 3600),
        }),
      );
      if (!body.ok) return body.response;
      const session = store.sessions.get(params.id);
      if (!session || !store.backdateSignIn(params.id, body.value.seconds)) {
        return jsonResponse({ message: `Session not found: '${params.id}'.` }, 404);
      }
      backdateHostedSignIns(store, session.userId, body.value.seconds);
      return jsonResponse(session);
    }),

    http.get(at('requests'), ({ request }) => {
      const query = new URL(request.url).searchParams;
      const endpoint = endpointSchema.safeParse(query.get('endpoint'));
      const filter: RequestLogFilter = {
        userId: query.get('user_id') ?? undefined,
        endpoint: endpoint.success ? endpoint.data : undefined,
        grantType: query.get('grant_type') ?? undefined,
      };
      return jsonResponse({ data: store.requestLog(filter) });
    }),

    http.delete(at('requests'), () => {
      store.clearRequestLog();
      return noContent();
    }),
  ];
}
