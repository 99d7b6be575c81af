'use server';

/**
 * Server actions behind the app's own buttons: the flow's actions, with the
 * app's sign-out hooks. Server actions are POST-only and Next rejects them
 * when Origin does not match Host, so a cross-site page cannot trigger them.
 */
import { refreshSessionNow, signOutAndReturnHome } from '@/lib/auth';
import { forgetProviderTokens } from '@/lib/features/provider-tokens/provider-tokens'; // demo:line provider-tokens
import { forgetSessionsOf } from '@/lib/features/sessions/sessions'; // demo:line sessions
import { forgetSignInContext } from '@/lib/features/sign-in-context/sign-in-context'; // demo:line sign-in-context

export async function signOutAction(): Promise<void> {
  // What runs at sign-out, before the cookies go (lib/auth/sign-out.ts).
  await signOutAndReturnHome([
    forgetSignInContext, // demo:line sign-in-context
    forgetProviderTokens, // demo:line provider-tokens
    forgetSessionsOf, // demo:line sessions
  ]);
}

export async function refreshSessionAction(): Promise<void> {
  await refreshSessionNow();
}
