/**
 * A hosted sign-in that owes one more step before its code (email verification, organization
 * selection, MFA): the store's pending authentication for that step (../../store/verifications.ts, what
 * the API's grants continue with: the same token rules and 10-minute life) and the sign-in the code
 * will carry. Kept per authorization request object, so it goes with it (a code issued, a reset).
 */
import {
  WorkOSError,
  type AuthorizationRequest,
  type CompletedSignIn,
  type MockWorkOSStore,
  type PendingAuthentication,
} from '../../store.ts';

interface OwedStep {
  pending: PendingAuthentication;
  signIn: CompletedSignIn;
}

const owed = new WeakMap<AuthorizationRequest, OwedStep>();

/** This sign-in now owes `step` (a fresh pending authentication, replacing any earlier one). */
export function oweStep(
  store: MockWorkOSStore,
  authRequest: AuthorizationRequest,
  signIn: CompletedSignIn,
  step: PendingAuthentication['step'],
) {
  settleStep(store, authRequest);
  const pending = store.startPendingAuthentication({
    userId: signIn.userId,
    step,
    method: signIn.method,
    client: authRequest.client,
    clientId: authRequest.clientId,
  });
  owed.set(authRequest, { pending, signIn });
}

/** The sign-in waiting for `step`, while its pending authentication lives; else undefined. */
export function owedStep(
  store: MockWorkOSStore,
  authRequest: AuthorizationRequest,
  step: PendingAuthentication['step'],
): OwedStep | undefined {
  const entry = owed.get(authRequest);
  if (!entry) return undefined;
  try {
    store.pendingAuthentication(entry.pending.token, step, authRequest.clientId);
  } catch (error) {
    if (error instanceof WorkOSError) return undefined;
    throw error;
  }
  return entry;
}

/** The step is done (or abandoned): its pending authentication ends. */
export function settleStep(store: MockWorkOSStore, authRequest: AuthorizationRequest): void {
  const entry = owed.get(authRequest);
  if (entry) store.endPendingAuthentication(entry.pending.token);
  owed.delete(authRequest);
}
