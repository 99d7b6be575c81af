/**
 * The door to the AuthKit flow for pages, route handlers, server actions and
 * the demo features (lib/features/). Nothing outside lib/auth/ imports any
 * other file in it (eslint.config.mjs); proxy.ts has its own door
 * (./proxy.ts), next.config.js and instrumentation.ts theirs (./startup.ts).
 */
import 'server-only';

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
  hasEntitlement,
  hasFeatureFlag,
  refreshSessionNow,
  type AppSession,
} from './session/read';
export { API_UNAUTHORIZED_BODY } from './session/route-access';
// Sign-out.
export { signOutAndReturnHome, type SignOutHook } from './sign-out';
// Errors: the error page's copy.
export { authErrorCopyFor, parseReferenceId } from './errors/codes';
