/** The hosted page's MFA screens (./mfa.ts): setting up an authenticator app, and a code from it. */
import type { AuthorizationRequest } from '../../store.ts';
import type { TotpParameters } from '../../store/verifications.ts';
import { alert, cancelForm, html, page, requestField } from '../../pages.ts';

const codeForm = (request: AuthorizationRequest, button: string) =>
  html`<form method="post" action="/authkit/mfa">
    ${requestField(request)}
    <label for="totp">Authentication code</label>
    <input id="totp" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required />
    <button type="submit" class="primary">${button}</button>
  </form>`;

/** Set-up: the secret as a QR code (an image with a text alternative) and as text to type in, then a code to confirm it. */
export function mfaEnrolmentPage(input: {
  request: AuthorizationRequest;
  totp: TotpParameters;
  /** PNG data URL of the otpauth:// URI. */
  qrCode: string;
  /** The organization that requires MFA; none when the environment does. */
  requiredBy: string | null;
  error?: string;
  status?: number;
}): Response {
  const { request, totp } = input;
  const who = input.requiredBy ?? 'This application';
  return page(
    'Set up two-factor authentication',
    html`<h1>Set up two-factor authentication</h1>
      <p class="context">
        ${who} requires a second step at sign-in. Add ${totp.user} to an authenticator app (1Password, Google Authenticator, Authy…), then
        enter the 6-digit code it shows.
      </p>
      ${alert(input.error)}
      <img
        src="${input.qrCode}"
        width="200"
        height="200"
        alt="QR code that adds ${totp.user} (${totp.issuer}) to an authenticator app"
        style="display: block; margin: 0 auto 1rem"
      />
      <p>
        Can’t scan it? Enter this setup key in the app:
        <code id="totp-secret" style="display: block; font-size: 1.1rem; word-break: break-all">${totp.secret}</code>
      </p>
      ${codeForm(request, 'Verify and continue')} ${cancelForm(request)}`,
    input.status,
  );
}

/** Challenge: a code from the authenticator the user set up (a seeded demo account's fixed code is shown). */
export function mfaChallengePage(input: {
  request: AuthorizationRequest;
  demoCode: string | null;
  error?: string;
  status?: number;
}): Response {
  const { request } = input;
  return page(
    'Two-factor authentication',
    html`<h1>Two-factor authentication</h1>
      <p class="context">Enter the code from your authenticator app.</p>
      ${alert(input.error)}
      ${
        input.demoCode &&
        html`<section class="demo" aria-labelledby="demo-authenticator">
          <h2 id="demo-authenticator">Demo authenticator</h2>
          <p>This demo account's authenticator always shows <span class="code">${input.demoCode}</span></p>
        </section>`
      }
      ${codeForm(request, 'Verify')} ${cancelForm(request)}`,
    input.status,
  );
}
