'use server';

/**
 * Server actions behind the app's own buttons: the flow's actions, with the
 * demo features wired in. Server actions are POST-only and Next rejects them
 * when Origin does not match Host, so a cross-site page cannot trigger them.
 */
import { refreshSessionNow } from '@/lib/auth/session';
import { signOutAndReturnHome } from '@/lib/auth/sign-out';
import { forgetProviderTokens } from '@/lib/features/provider-tokens/provider-tokens';
import { forgetSignInContext } from '@/lib/features/sign-in-context/sign-in-context';

export async function signOutAction(): Promise<void> {
  await signOutAndReturnHome([forgetSignInContext, forgetProviderTokens]);
}

export async function refreshSessionAction(): Promise<void> {
  await refreshSessionNow('/dashboard');
}
