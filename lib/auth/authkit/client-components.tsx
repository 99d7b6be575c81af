'use client';

/**
 * authkit's client components, typed with the app's own types.
 *
 * What authkit does: `AuthKitProvider` holds the session in React state (seeded
 * by `initialAuth`, so a signed-in page never renders signed out first), and
 * `useAuth`, `useAccessToken`, `useTokenClaims` and `useRecentAuth` read it; the
 * server actions they call are the app's (./client-actions.ts). Its types speak
 * the SDK's `User` (timestamps, metadata…), which the app never sends to the browser.
 * What we need: the same components, typed with the app's `AuthUser` and
 * `ClientAuth` (what the server actually sends), behind the client door
 * (lib/auth/client.ts), so app code imports neither authkit nor the SDK.
 * client-actions.test.ts pins the components' exports and the actions they call.
 * Concerns: authkit-nextjs 4.3.2 (`@workos-inc/authkit-nextjs/components`).
 * Delete this file when the app can use authkit's components through lib/auth/client.ts
 * with types of its own choosing (or adopts the SDK's User type in the browser).
 */
import * as authkit from '@workos-inc/authkit-nextjs/components';
import type { ComponentProps, ReactNode } from 'react';
import type { AuthUser, ClientAuth, Impersonator } from '../session/types';

type AuthkitInitialAuth = NonNullable<ComponentProps<typeof authkit.AuthKitProvider>['initialAuth']>;

/**
 * authkit's provider, seeded with the server's view of the session (`getClientAuth()` from
 * lib/auth in the root layout). When the session is gone on the window's next focus (signed out in
 * another tab), authkit reloads the page and the proxy sends it to sign-in.
 */
export function AuthKitProvider({ initialAuth, children }: { initialAuth: ClientAuth; children: ReactNode }) {
  // The app's AuthUser is the SDK's User without what the browser never gets (timestamps, metadata).
  return <authkit.AuthKitProvider initialAuth={initialAuth as AuthkitInitialAuth}>{children}</authkit.AuthKitProvider>;
}

/** useAuth(): the session in the browser (no token), and refreshAuth, switchToOrganization and signOut. */
export type ClientAuthState = Omit<ReturnType<typeof authkit.useAuth>, 'user' | 'impersonator'> & {
  user: AuthUser | null;
  impersonator: Impersonator | undefined;
};

export const useAuth = authkit.useAuth as (options?: { ensureSignedIn?: boolean }) => ClientAuthState;
export const { useAccessToken, useTokenClaims, useRecentAuth } = authkit;
