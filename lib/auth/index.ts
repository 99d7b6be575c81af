/**
 * The door to the AuthKit flow for pages, route handlers, server actions and
 * the demo features (lib/features/). Nothing outside lib/auth/ imports any
 * other file in it (eslint.config.mjs). Client components have their own door
 * (./client.ts), proxy.ts too (./proxy.ts), next.config.js and
 * instrumentation.ts theirs (./startup.ts).
 */
import 'server-only';

// Types the app sees: its own, never the vendor's.
export type { AppSession, AuthUser, ClientAuth, Impersonator, OAuthTokens, SignInEvent } from './session/types';

// 0. Configuration, validated once (config/env.ts).
export { getAuthConfig, type AuthConfig } from './config/env';
export { requestOrigin } from './config/origin';
export { redisConnection } from './config/redis';

// 1. Authorization request: GET /auth/sign-in, /auth/sign-up.
export { authorizationRoute, type Intent } from './authorization/route';
export { sanitizeReturnTo } from './authorization/return-to';

// 3. Callback: GET /api/auth/callback.
export { callbackRoute, type SignInHook } from './callback/route';

// 4. Session, as pages, route handlers and server actions see it.
export {
  getSession,
  requireSession,
  requirePermission,
  hasPermission,
  refreshSessionNow,
  switchOrganization,
  toClientAuth,
} from './session/read';
export { API_UNAUTHORIZED_BODY } from './session/route-access';
export { checkRecentAuth, requireRecentAuth, STEP_UP_MAX_AGE_SECONDS, type RecentAuth } from './session/recent-auth';
export {
  authenticateApiKey,
  authenticateBearer,
  type ApiKeyAuthentication,
  type BearerAuthentication,
  type BearerToken,
} from './session/bearer';
export { addRevokedSession, revokedUntil } from './session/revoked-sessions';
export { deleteAppCookie, readSealedAppCookie, sessionMaxAgeSeconds, setAppCookie } from './session/cookies';

// Sign-out.
export { signOutAndReturnHome, type SignOutHook } from './sign-out';

// Errors and logs: the error page's copy; one JSON line per auth event.
export { authErrorCopyFor, newReferenceId, parseReferenceId } from './errors/codes';
export { describeError, logAuthEvent, type AuthEvent } from './errors/log';

// WorkOS, through the adapter (lib/auth/authkit/): the verbs the features use.
export { MAX_COOKIE_BYTES } from './authkit/session-chunks';
export { sealWithCookiePassword, unsealWithCookiePassword } from './authkit/seal';
export {
  createOrganizationApiKey, // demo:line api-keys
  deleteOrganizationApiKey, // demo:line api-keys
  getOrganization,
  listOrganizationApiKeys, // demo:line api-keys
  type OrganizationApiKey, // demo:line api-keys
  createMembership, // demo:line workspace
  createOrganization, // demo:line workspace
  ExternalIdTakenError, // demo:line workspace
  findOrganizationByExternalId, // demo:line workspace
  listActiveMemberships,
  listUserSessions,
  revokeSession,
  UnexpectedWorkOSAnswerError,
  type Membership,
  type OrganizationRef, // demo:line workspace
  type UserSession,
} from './authkit/workos-api';
// demo:start members
// Organization administration: members, roles, invitations.
export {
  deactivateMembership,
  getInvitation,
  getOrganizationMembership,
  getUser,
  listInvitations,
  listOrganizationMemberships,
  listOrganizationRoles,
  resendInvitation,
  revokeInvitation,
  sendInvitation,
  setMembershipRole,
  WorkOSRefusedError,
  type DirectoryUser,
  type Invitation,
  type MembershipPage,
  type OrganizationMembership,
  type OrganizationRole,
} from './authkit/workos-api';
// demo:end members
// demo:start webhooks
// WorkOS webhooks, verified by the SDK.
export {
  verifyWebhook,
  WEBHOOK_EVENT_TYPES,
  WebhookRejectedError,
  type VerifiedWebhook,
  type WebhookEvent,
  type WebhookEventType,
  type WebhookRefusal,
} from './authkit/webhooks';
// demo:end webhooks
