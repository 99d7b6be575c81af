/**
 * The hosted page's MFA step, as hosted AuthKit runs it after the first factor, the email
 * verification and the organization (../hosted-ui.ts has the order):
 *
 * - a user with a TOTP factor is asked for a code from their authenticator
 *   (a challenge of that factor, checked by the store as the API's MFA is);
 * - a user who must use MFA in the organization the sign-in lands in (the one
 *   picked, or named by the app or by an invitation: its rule, or the
 *   environment's) and has no factor sets one up first: the page shows a new
 *   secret as a QR code and as text, and the factor exists once the user
 *   confirms a current code (a wrong code stores nothing). Their next sign-ins
 *   ask for a code.
 *
 * SSO sign-ins are exempt (WorkOS: "The MFA requirement does not apply to SSO
 * users"), and so are passkey sign-ins (a passkey with user verification is
 * both factors). The code exchange then says how the user signed in first
 * (`authentication_method`: `Password`, `MagicAuth`, …), as WorkOS' does.
 *
 * A wrong code gets the page again with a message; after five, the sign-in
 * starts over. The step owed is the store's pending authentication
 * (./owed-step.ts: 10 minutes, as the API's MFA step); what the page proposed
 * or challenged is kept here with it; the factor itself is the store's.
 */
import { http, type HttpHandler } from 'msw';
import {
  MAGIC_CODE_MAX_ATTEMPTS,
  WorkOSError,
  type AuthorizationRequest,
  type CompletedSignIn,
  type MockWorkOSStore,
} from '../../store.ts';
import type { TotpParameters } from '../../store/verifications.ts';
import { totpSetup } from '../mfa.ts';
import { pathFor, type HandlerOptions } from '../shared.ts';
import { formText, seeOther, type HostedFlow, type StepsDone } from './flow.ts';
import { mfaChallengePage, mfaEnrolmentPage } from './mfa-pages.ts';
import { owedStep, oweStep, settleStep } from './owed-step.ts';

/** What the MFA page of a sign-in owing the step asks for. */
interface PendingMfa {
  /** The steps the sign-in had been through on reaching this one, passed on after it. */
  done: StepsDone;
  /** Set-up: the secret proposed on the page (no factor yet). */
  enrolment: TotpParameters | null;
  /** Set-up: the organization whose rule asks for it; null when the environment's does. */
  requiredBy: string | null;
  /** Challenge: the challenge of the user's factor this code answers. */
  challengeId: string | null;
  wrongCodes: number;
}

const pending = new WeakMap<AuthorizationRequest, PendingMfa>();

const WRONG_CODE = 'That authentication code is not valid. Try again.';

const pagePath = (authRequest: AuthorizationRequest) => `/authkit/mfa?authorization_request=${encodeURIComponent(authRequest.id)}`;

/**
 * The MFA a sign-in into `organizationId` owes, as a redirect to its page (a GET, so a reload does
 * not post the password again); undefined if none.
 */
export function mfaStep(
  store: MockWorkOSStore,
  authRequest: AuthorizationRequest,
  signIn: CompletedSignIn,
  done: StepsDone,
  organizationId: string | null,
): Response | undefined {
  if (done.mfa || signIn.method === 'SSO' || signIn.method === 'Passkey') return undefined;
  const [factor] = store.totpFactorsOf(signIn.userId);
  if (!factor && !store.mfaRequiredIn(organizationId)) return undefined;
  const organization = organizationId ? store.organizations.get(organizationId) : undefined;
  oweStep(store, authRequest, signIn, 'mfa');
  pending.set(authRequest, {
    done,
    enrolment: factor ? null : store.proposeTotp(signIn.userId),
    requiredBy: organization?.mfaRequired ? organization.name : null,
    challengeId: factor ? store.challengeFactor(factor.id).id : null,
    wrongCodes: 0,
  });
  return seeOther(pagePath(authRequest));
}

export function mfaHandlers(store: MockWorkOSStore, options: HandlerOptions, flow: HostedFlow): HttpHandler[] {
  async function render(authRequest: AuthorizationRequest, state: PendingMfa, error?: string, status?: number): Promise<Response> {
    if (state.enrolment) {
      return mfaEnrolmentPage({
        request: authRequest,
        totp: state.enrolment,
        qrCode: (await totpSetup(state.enrolment)).qrCode,
        requiredBy: state.requiredBy,
        error,
        status,
      });
    }
    const challenge = store.authChallenges.get(state.challengeId ?? '');
    const factor = challenge && store.authFactors.get(challenge.factorId);
    return mfaChallengePage({ request: authRequest, demoCode: factor?.demoCode ?? null, error, status });
  }

  /** Whether `code` proves the pending step: sets the factor up (enrolment) or answers the challenge. */
  function verify(userId: string, state: PendingMfa, code: string): boolean {
    if (state.enrolment) return store.confirmTotpEnrolment(userId, state.enrolment, code) !== null;
    try {
      return store.verifyChallenge(state.challengeId ?? '', code).valid;
    } catch (error) {
      // The factor was deleted meanwhile, or the challenge is used up: no code can pass it.
      if (error instanceof WorkOSError) return false;
      throw error;
    }
  }

  return [
    http.get(pathFor(options, '/authkit/mfa'), ({ request }) => {
      const authRequest = store.getAuthorizationRequest(new URL(request.url).searchParams.get('authorization_request'));
      const state = authRequest && owedStep(store, authRequest, 'mfa') && pending.get(authRequest);
      return authRequest && state ? render(authRequest, state) : flow.expiredPage();
    }),

    flow.formPost('/authkit/mfa', (form, authRequest) => {
      const step = owedStep(store, authRequest, 'mfa');
      const state = step && pending.get(authRequest);
      if (!step || !state) return flow.signInError(authRequest, 'This sign-in has expired. Sign in again.');
      if (!verify(step.signIn.userId, state, formText(form, 'code'))) {
        state.wrongCodes += 1;
        if (state.wrongCodes < MAGIC_CODE_MAX_ATTEMPTS) return render(authRequest, state, WRONG_CODE, 400);
        settleStep(store, authRequest);
        const email = store.users.get(step.signIn.userId)?.email;
        return flow.signInError(authRequest, 'Too many wrong authentication codes. Sign in again.', email, 429);
      }
      settleStep(store, authRequest);
      return flow.finishSignIn(authRequest, step.signIn, { ...state.done, mfa: true });
    }),
  ];
}
