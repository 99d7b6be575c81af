import { authorizationRoute } from '@/lib/auth';
import { signInContextState } from '@/lib/features/sign-in-context/sign-in-context'; // demo:line sign-in-context

// Phase 1 — redirect to the hosted AuthKit sign-in page.
export const GET = authorizationRoute(
  'sign-in',
  // demo:start sign-in-context
  { customState: signInContextState },
  // demo:end sign-in-context
);
