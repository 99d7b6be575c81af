/**
 * The door to the AuthKit flow for client components ('use client'): authkit's
 * provider and hooks, with the app's types. The server half is ./index.ts.
 * The browser holds the access token (useAccessToken: for calling your own
 * API with `Authorization: Bearer`), never the refresh token.
 */
export { AuthKitProvider, useAuth, useAccessToken, useTokenClaims, useRecentAuth, type ClientAuthState } from './authkit/client-components';
export type { AuthUser, ClientAuth, Impersonator } from './session/types';
