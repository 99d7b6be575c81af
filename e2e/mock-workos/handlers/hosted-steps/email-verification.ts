/**
 * Step 2 of issue #24: email verification on the hosted page. WorkOS' rule (docs, AuthKit → Email
 * verification): a user whose email is not verified (a password sign-up, an account created
 * unverified) is asked, after the first factor, for the 6-digit code WorkOS emails them; Magic Auth
 * and SSO on a verified domain prove the email themselves. The code is the store's email
 * verification (the outbox, its event, a 10-minute life, 5 tries: ../../store/verifications.ts);
 * a wrong or expired code is said so on the page, with a way to send a new one. Once verified the
 * sign-in goes on, and the user the code exchange returns has `email_verified: true`.
 */
import type { HttpHandler } from 'msw';
import { alert, cancelForm, html, page, requestField } from '../../pages.ts';
import {
  MAGIC_CODE_MAX_ATTEMPTS,
  WorkOSError,
  type AuthorizationRequest,
  type CompletedSignIn,
  type MockWorkOSStore,
  type UserRecord,
} from '../../store.ts';
import { formText, type HostedFlow } from './flow.ts';
import { owedStep, oweStep, settleStep } from './owed-step.ts';

/** What the page says for each way a code can fail (the store's error codes). */
const CODE_ERRORS: Record<string, string> = {
  email_verification_code_incorrect: 'That code is not valid. Check the latest email and try again.',
  email_verification_code_expired: 'That code has expired. Send a new code, then enter it.',
  email_verification_code_previously_used: 'That code was already used. Send a new code, then enter it.',
};
const TOO_MANY_ATTEMPTS = 'Too many wrong codes. Send a new code, then enter it.';

/** Asks an unverified user for the code (sending it now), or undefined when the email is verified. */
export function emailVerificationStep(
  store: MockWorkOSStore,
  authRequest: AuthorizationRequest,
  signIn: CompletedSignIn,
): Response | undefined {
  const user = store.users.get(signIn.userId);
  if (!user || user.emailVerified) return undefined;
  oweStep(store, authRequest, signIn, 'email_verification');
  store.sendVerificationEmail(user.id);
  return verificationPage({ request: authRequest, email: user.email });
}

export function emailVerificationHandlers(store: MockWorkOSStore, flow: HostedFlow): HttpHandler[] {
  const expired = (authRequest: AuthorizationRequest) =>
    flow.signInError(authRequest, 'This email verification has expired. Sign in again.');

  /** The store's latest code for the user has had all its tries (the store reports that as a wrong code). */
  const outOfTries = (user: UserRecord) =>
    ([...store.emailVerifications.values()].filter((record) => record.userId === user.id).at(-1)?.attempts ?? 0) >= MAGIC_CODE_MAX_ATTEMPTS;

  /** The user verified meanwhile (another tab): nothing left to prove. */
  const verified = (authRequest: AuthorizationRequest, signIn: CompletedSignIn) => {
    settleStep(store, authRequest);
    return flow.finishSignIn(authRequest, signIn);
  };

  return [
    flow.formPost('/authkit/email-verification', (form, authRequest) => {
      const step = owedStep(store, authRequest, 'email_verification');
      const user = step && store.users.get(step.signIn.userId);
      if (!step || !user) return expired(authRequest);
      try {
        store.verifyEmail(user.id, formText(form, 'code'));
      } catch (error) {
        if (!(error instanceof WorkOSError)) throw error;
        if (error.code !== 'email_previously_verified') {
          const message = outOfTries(user) ? TOO_MANY_ATTEMPTS : (CODE_ERRORS[error.code ?? ''] ?? error.message);
          return verificationPage({ request: authRequest, email: user.email, error: message, status: 400 });
        }
      }
      return verified(authRequest, step.signIn);
    }),

    flow.formPost('/authkit/email-verification/resend', (_form, authRequest) => {
      const step = owedStep(store, authRequest, 'email_verification');
      const user = step && store.users.get(step.signIn.userId);
      if (!step || !user) return expired(authRequest);
      if (user.emailVerified) return verified(authRequest, step.signIn);
      // A new code, and a new 10 minutes for the step.
      oweStep(store, authRequest, step.signIn, 'email_verification');
      store.sendVerificationEmail(user.id);
      return verificationPage({
        request: authRequest,
        email: user.email,
        notice: `We sent a new code to ${user.email}. Enter the newest one.`,
      });
    }),
  ];
}

function verificationPage(input: {
  request: AuthorizationRequest;
  email: string;
  error?: string;
  notice?: string;
  status?: number;
}): Response {
  const { request, email } = input;
  const outbox = `/__mock/outbox?${new URLSearchParams({ to: email, kind: 'email_verification' })}`;
  return page(
    'Verify your email',
    html`<h1>Verify your email</h1>
      <p class="context">We sent a 6-digit code to <strong>${email}</strong>. Enter it to finish signing in.</p>
      ${alert(input.error)} ${input.notice ? html`<p class="notice" role="status">${input.notice}</p>` : ''}
      <section class="demo" aria-labelledby="demo-outbox">
        <h2 id="demo-outbox">Demo inbox</h2>
        <p>
          The mock sends no email: read the code in <a href="${outbox}" target="_blank" rel="noopener">its outbox (opens in a new tab)</a>.
        </p>
      </section>
      <form method="post" action="/authkit/email-verification">
        ${requestField(request)}
        <label for="code">Verification code</label>
        <input
          id="code"
          name="code"
          type="text"
          inputmode="numeric"
          autocomplete="one-time-code"
          pattern="[0-9]{6}"
          maxlength="6"
          required
        />
        <button type="submit" class="primary">Verify email</button>
      </form>
      <form method="post" action="/authkit/email-verification/resend">
        ${requestField(request)}
        <button type="submit" class="link">Send a new code</button>
      </form>
      ${cancelForm(request)}`,
    input.status,
  );
}
