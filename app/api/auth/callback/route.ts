import { callbackRoute } from '@/lib/auth';
import { storeProviderTokens } from '@/lib/features/provider-tokens/provider-tokens';
import { forgetSessionsOf } from '@/lib/features/sessions/sessions';
import { saveSignInContext } from '@/lib/features/sign-in-context/sign-in-context';

// Phase 3 — AuthKit redirects here with ?code&state. Deliberately outside the proxy matcher.
export const GET = callbackRoute({ onSignIn: [saveSignInContext, storeProviderTokens, forgetSessionsOf] });
