'use server';

/**
 * Server actions behind the app's own buttons: the flow's actions, with the
 * demo features wired in. Server actions are POST-only and Next rejects them
 * when Origin does not match Host, so a cross-site page cannot trigger them.
 */
import { refreshSessionNow, signOutAndReturnHome } from '@/lib/auth';
import { forgetProviderTokens } from '@/lib/features/provider-tokens/provider-tokens';
import { forgetSessionsOf } from '@/lib/features/sessions/sessions';
import { forgetSignInContext } from '@/lib/features/sign-in-context/sign-in-context';

export async function signOutAction(): Promise<void> {
  await signOutAndReturnHome([forgetSignInContext, forgetProviderTokens, forgetSessionsOf]);
}

export async function refreshSessionAction(): Promise<void> {
  await refreshSessionNow();
}
