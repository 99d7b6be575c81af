/**
 * The hosted page's passkey screens (./passkeys.ts). Unlike the other pages
 * they carry scripts, as WebAuthn has no form of its own: @simplewebauthn/browser
 * (served by the mock itself, nothing external) and a few lines that run the
 * ceremony with the options the mock generated, put the browser's answer in the
 * form and post it. Without JavaScript they say so.
 */
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { AuthorizationRequest } from '../../store.ts';
import { cancelForm, html, page, requestField, SafeHtml } from '../../pages.ts';

export const WEBAUTHN_SCRIPT_PATH = '/authkit/passkey/webauthn-browser.js';

/**
 * Runs the ceremony when the form is submitted; the browser's answer goes into the form, which is then posted.
 * The button stays disabled until this runs: a click before would post the form with no passkey.
 */
const CEREMONY_SCRIPT = `
(() => {
  const form = document.getElementById('passkey-form');
  const status = document.getElementById('passkey-status');
  const button = form.querySelector('button');
  const optionsJSON = JSON.parse(document.getElementById('webauthn-options').textContent);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      const { startAuthentication, startRegistration } = SimpleWebAuthnBrowser;
      const create = form.dataset.ceremony === 'create';
      const credential = create ? await startRegistration({ optionsJSON }) : await startAuthentication({ optionsJSON });
      form.elements.credential.value = JSON.stringify(credential);
      form.submit();
    } catch (error) {
      button.disabled = false;
      status.hidden = false;
      status.textContent = 'The browser did not use a passkey (' + (error && error.message ? error.message : error) + '). Try again.';
    }
  });
  button.disabled = false;
})();
`;

function ceremony(input: {
  request: AuthorizationRequest;
  kind: 'create' | 'get';
  action: string;
  button: string;
  options: PublicKeyCredentialCreationOptionsJSON | PublicKeyCredentialRequestOptionsJSON;
  error?: string;
}): SafeHtml {
  // JSON in a script element: `<` escaped so no value can close it.
  const options = new SafeHtml(JSON.stringify(input.options).replaceAll('<', '\\u003c'));
  // One status line: the mock's refusal when the page comes back with one, else the script's message if the browser fails.
  const hidden = input.error ? '' : new SafeHtml('hidden');
  return html`<p id="passkey-status" class="alert" role="alert" ${hidden}>${input.error}</p>
    <noscript><p class="alert">Passkeys need JavaScript in this page. Turn it on, or sign in another way.</p></noscript>
    <form id="passkey-form" method="post" action="${input.action}" data-ceremony="${input.kind}">
      ${requestField(input.request)}
      <input type="hidden" name="credential" value="" />
      <button type="submit" class="primary" disabled>${input.button}</button>
    </form>
    <script type="application/json" id="webauthn-options">
      ${options}
    </script>
    <script src="${WEBAUTHN_SCRIPT_PATH}"></script>
    <script>
      ${new SafeHtml(CEREMONY_SCRIPT)};
    </script>`;
}

/** Progressive enrollment: create a passkey now, later, or never. */
export function createPasskeyPage(input: {
  request: AuthorizationRequest;
  email: string;
  options: PublicKeyCredentialCreationOptionsJSON;
  error?: string;
  status?: number;
}): Response {
  const { request } = input;
  return page(
    'Create a passkey',
    html`<h1>Create a passkey</h1>
      <p class="context">
        Sign in as ${input.email} faster next time: a passkey uses this device’s screen lock (fingerprint, face or PIN) instead of your
        password.
      </p>
      ${ceremony({ request, kind: 'create', action: '/authkit/passkey/create', button: 'Create a passkey', options: input.options, error: input.error })}
      <form method="post" action="/authkit/passkey/skip">
        ${requestField(request)}
        <button type="submit" class="secondary" name="choice" value="later">Not now</button>
        <button type="submit" class="link" name="choice" value="never">Don’t ask again</button>
      </form>`,
    input.status,
  );
}

/** Sign in with a passkey of this site (any discoverable one: no email asked). */
export function passkeySignInPage(input: {
  request: AuthorizationRequest;
  options: PublicKeyCredentialRequestOptionsJSON;
  /** The sign-in page, on the origin the flow came from. */
  otherWays: string;
  error?: string;
  status?: number;
}): Response {
  const { request } = input;
  return page(
    'Sign in with a passkey',
    html`<h1>Sign in with a passkey</h1>
      <p class="context">
        Use a passkey saved on this device or in your password manager. This is the mock WorkOS: no real account is used.
      </p>
      ${ceremony({
        request,
        kind: 'get',
        action: '/authkit/passkey/sign-in',
        button: 'Continue with a passkey',
        options: input.options,
        error: input.error,
      })}
      <p><a href="${input.otherWays}">Sign in another way</a></p>
      ${cancelForm(request)}`,
    input.status,
  );
}
