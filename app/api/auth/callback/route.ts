import { callbackRoute } from '@/lib/auth';
import { storeProviderTokens } from '@/lib/features/provider-tokens/provider-tokens'; // demo:line provider-tokens
import { forgetSessionsOf } from '@/lib/features/sessions/sessions'; // demo:line sessions
import { saveSignInContext } from '@/lib/features/sign-in-context/sign-in-context'; // demo:line sign-in-context

// Phase 3 — AuthKit redirects here with ?code&state. Deliberately outside the proxy matcher.
// onSignIn: what runs after a sign-in, once the session is sealed (lib/auth/callback/route.ts).
export const GET = callbackRoute({
  onSignIn: [
    saveSignInContext, // demo:line sign-in-context
    storeProviderTokens, // demo:line provider-tokens
    forgetSessionsOf, // demo:line sessions
  ],
});
