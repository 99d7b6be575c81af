/**
 * Passkeys on the hosted page, as hosted AuthKit offers them:
 *
 * - **Sign in with a passkey** (the sign-in page's button): real WebAuthn in
 *   the browser (`navigator.credentials.get()`, through @simplewebauthn/browser),
 *   verified by the store with @simplewebauthn/server against the passkey the
 *   user registered. The code exchange then answers `authentication_method:
 *   "Passkey"`, and no TOTP code is asked even where MFA is required: WorkOS
 *   treats a passkey with user verification as both factors.
 * - **Progressive enrollment**: after a password sign-in, a user it is on for
 *   (./../../store/passkeys.ts) is offered to create a passkey
 *   (`navigator.credentials.create()`), or to skip it (asked again in two
 *   weeks) or never be asked again; then the sign-in goes on.
 *
 * Browsers refuse WebAuthn on an IP address (the RP ID must be a domain), and
 * the mock usually runs at http://127.0.0.1. So the passkey pages are served at
 * the mock's `localhost` origin (the RP ID is `localhost`; on another loopback
 * name, that name), as hosted AuthKit serves them on its own domain: the page
 * flow moves there and, once the passkey is verified, back to the origin it
 * came from, where the sign-in finishes (and the browser's hosted session
 * cookie, ./hosted-session.ts, lands where authorize reads it).
 *
 * State lives here, per pending sign-in: the ceremony's challenge (single use)
 * and where the flow returns to. The passkeys themselves are the store's.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { http, type HttpHandler } from 'msw';
import { isLoopbackHost } from '../../../../lib/auth/config/allowed-origins.ts';
import type { AuthorizationRequest, CompletedSignIn, MockWorkOSStore } from '../../store.ts';
import { PasskeyRefusedError, type WebAuthnCeremony } from '../../store/passkeys.ts';
import { pathFor, type HandlerOptions } from '../shared.ts';
import { formText, seeOther, type HostedFlow, type StepsDone } from './flow.ts';
import { createPasskeyPage, passkeySignInPage, WEBAUTHN_SCRIPT_PATH } from './passkey-pages.ts';

interface Continuation {
  signIn: CompletedSignIn;
  done: StepsDone;
}

interface PasskeyFlow {
  /** The origin the page flow came from (authorize's), where it finishes; null until the first page is asked for. */
  returnOrigin: string | null;
  /** A password sign-in being offered a passkey. */
  offer: Continuation | null;
  /** The ceremony the last page started; used up by the answer. */
  ceremony: WebAuthnCeremony | null;
  /** A verified passkey, waiting to finish on the return origin. */
  verified: Continuation | null;
}

const flows = new WeakMap<AuthorizationRequest, PasskeyFlow>();

/**
 * @simplewebauthn/browser's one-file build (global `SimpleWebAuthnBrowser`), served to the passkey pages. The
 * package exports only its entry point (`esm/index.js`), so the bundle is found from there.
 */
const webAuthnBrowserScript = readFileSync(
  new URL('../dist/bundle/index.umd.min.js', import.meta.resolve('@simplewebauthn/browser')),
  'utf8',
);

/** Where the passkey pages live: this URL's origin, with `localhost` for a loopback IP address (no RP ID can be an address). */
function passkeyOrigin(url: URL): URL {
  const origin = new URL(url.origin);
  if (isIP(origin.hostname.replace(/^\[|\]$/g, '')) !== 0 && isLoopbackHost(origin.hostname)) origin.hostname = 'localhost';
  return origin;
}

/** The credential the page's script posted (the JSON of a PublicKeyCredential), if it has that shape. */
function postedCredential(value: string): (RegistrationResponseJSON & AuthenticationResponseJSON) | null {
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { id, rawId, type, response } = parsed as Record<string, unknown>;
    const valid = typeof id === 'string' && typeof rawId === 'string' && type === 'public-key' && typeof response === 'object' && response;
    return valid ? (parsed as RegistrationResponseJSON & AuthenticationResponseJSON) : null;
  } catch {
    return null;
  }
}

const NO_CREDENTIAL = 'The browser sent no passkey. Try again.';

const query = (authRequest: AuthorizationRequest) => `authorization_request=${encodeURIComponent(authRequest.id)}`;

/** The offer of a passkey a password sign-in owes (progressive enrollment), as a redirect to its page; undefined when not due. */
export function passkeyEnrollmentStep(
  store: MockWorkOSStore,
  authRequest: AuthorizationRequest,
  signIn: CompletedSignIn,
  done: StepsDone,
): Response | undefined {
  if (done.passkeyPrompt || signIn.method !== 'Password' || !store.passkeyPromptDue(signIn.userId)) return undefined;
  flows.set(authRequest, { returnOrigin: null, offer: { signIn, done }, ceremony: null, verified: null });
  return seeOther(`/authkit/passkey/create?${query(authRequest)}`);
}

export function passkeyHandlers(store: MockWorkOSStore, options: HandlerOptions, hosted: HostedFlow): HttpHandler[] {
  const requestOf = (request: Request) => store.getAuthorizationRequest(new URL(request.url).searchParams.get('authorization_request'));

  /** A page of the flow asked for on the authorize origin: remember that origin, and move to the passkey origin if it differs. */
  function moveToPasskeyOrigin(request: Request, flow: PasskeyFlow): Response | undefined {
    const url = new URL(request.url);
    flow.returnOrigin ??= url.origin;
    const target = passkeyOrigin(url);
    return target.origin === url.origin ? undefined : seeOther(`${target.origin}${url.pathname}${url.search}`);
  }

  /** A new ceremony for the page at `request`'s origin (its challenge replaces any earlier one). */
  function ceremonyAt(request: Request, flow: PasskeyFlow, challenge: string): WebAuthnCeremony {
    const origin = passkeyOrigin(new URL(request.url));
    flow.ceremony = { challenge, origin: origin.origin, rpId: origin.hostname };
    return flow.ceremony;
  }

  async function createPage(request: Request, authRequest: AuthorizationRequest, flow: PasskeyFlow, offer: Continuation, error?: string) {
    const rpId = passkeyOrigin(new URL(request.url)).hostname;
    const creation = await store.passkeyRegistrationOptions(offer.signIn.userId, rpId);
    ceremonyAt(request, flow, creation.challenge);
    const email = store.users.get(offer.signIn.userId)?.email ?? '';
    return createPasskeyPage({ request: authRequest, email, options: creation, error, status: error ? 400 : 200 });
  }

  async function signInPage(request: Request, authRequest: AuthorizationRequest, flow: PasskeyFlow, error?: string) {
    const assertion = await store.passkeyAuthenticationOptions(passkeyOrigin(new URL(request.url)).hostname);
    ceremonyAt(request, flow, assertion.challenge);
    const otherWays = `${flow.returnOrigin ?? ''}/authkit/sign-in?${query(authRequest)}`;
    return passkeySignInPage({ request: authRequest, options: assertion, otherWays, error, status: error ? 400 : 200 });
  }

  /** A verified passkey (or a skipped offer): finish here if this is the return origin, else go back there to finish. */
  function proceed(request: Request, authRequest: AuthorizationRequest, flow: PasskeyFlow, next: Continuation): Response {
    if (!flow.returnOrigin || flow.returnOrigin === new URL(request.url).origin) {
      flows.delete(authRequest);
      return hosted.finishSignIn(authRequest, next.signIn, next.done);
    }
    flow.verified = next;
    return seeOther(`${flow.returnOrigin}/authkit/passkey/continue?${query(authRequest)}`);
  }

  return [
    http.get(
      pathFor(options, WEBAUTHN_SCRIPT_PATH),
      () =>
        new Response(webAuthnBrowserScript, {
          headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600' },
        }),
    ),

    // ── progressive enrollment: create a passkey after a password sign-in ──
    http.get(pathFor(options, '/authkit/passkey/create'), ({ request }) => {
      const authRequest = requestOf(request);
      const flow = authRequest && flows.get(authRequest);
      if (!authRequest || !flow?.offer) return hosted.expiredPage();
      return moveToPasskeyOrigin(request, flow) ?? createPage(request, authRequest, flow, flow.offer);
    }),

    hosted.formPost('/authkit/passkey/create', async (form, authRequest, request) => {
      const flow = flows.get(authRequest);
      if (!flow?.offer) return hosted.signInError(authRequest, 'Sign in first.');
      const { offer, ceremony } = flow;
      flow.ceremony = null;
      const credential = postedCredential(formText(form, 'credential'));
      if (!credential || !ceremony) return createPage(request, authRequest, flow, offer, NO_CREDENTIAL);
      try {
        await store.registerPasskey(offer.signIn.userId, credential, ceremony);
      } catch (error) {
        if (!(error instanceof PasskeyRefusedError)) throw error;
        return createPage(request, authRequest, flow, offer, error.message);
      }
      return proceed(request, authRequest, flow, { signIn: offer.signIn, done: { ...offer.done, passkeyPrompt: true } });
    }),

    hosted.formPost('/authkit/passkey/skip', (form, authRequest, request) => {
      const flow = flows.get(authRequest);
      if (!flow?.offer) return hosted.signInError(authRequest, 'Sign in first.');
      store.skipPasskeyPrompt(flow.offer.signIn.userId, { never: formText(form, 'choice') === 'never' });
      return proceed(request, authRequest, flow, { signIn: flow.offer.signIn, done: { ...flow.offer.done, passkeyPrompt: true } });
    }),

    // ── sign in with a passkey ──
    http.get(pathFor(options, '/authkit/passkey/sign-in'), ({ request }) => {
      const authRequest = requestOf(request);
      if (!authRequest) return hosted.expiredPage();
      let flow = flows.get(authRequest);
      if (!flow) {
        flow = { returnOrigin: null, offer: null, ceremony: null, verified: null };
        flows.set(authRequest, flow);
      }
      return moveToPasskeyOrigin(request, flow) ?? signInPage(request, authRequest, flow);
    }),

    hosted.formPost('/authkit/passkey/sign-in', async (form, authRequest, request) => {
      const flow = flows.get(authRequest);
      if (!flow) return hosted.signInError(authRequest, 'Start the passkey sign-in again.');
      const { ceremony } = flow;
      flow.ceremony = null;
      const credential = postedCredential(formText(form, 'credential'));
      if (!credential || !ceremony) return signInPage(request, authRequest, flow, NO_CREDENTIAL);
      let userId: string;
      try {
        userId = (await store.verifyPasskeyAssertion(credential, ceremony)).id;
      } catch (error) {
        if (!(error instanceof PasskeyRefusedError)) throw error;
        return signInPage(request, authRequest, flow, error.message);
      }
      const signIn: CompletedSignIn = {
        userId,
        organizationId: authRequest.organizationId ?? store.defaultOrganizationOf(userId),
        method: 'Passkey',
        oauthTokens: null,
      };
      // A passkey is both factors: no TOTP code after it, and no offer of another passkey.
      return proceed(request, authRequest, flow, { signIn, done: { mfa: true, passkeyPrompt: true } });
    }),

    // Back on the authorize origin with a verified passkey: the sign-in finishes here.
    http.get(pathFor(options, '/authkit/passkey/continue'), ({ request }) => {
      const authRequest = requestOf(request);
      const verified = authRequest && flows.get(authRequest)?.verified;
      if (!authRequest || !verified) return hosted.expiredPage();
      flows.delete(authRequest);
      return hosted.finishSignIn(authRequest, verified.signIn, verified.done);
    }),
  ];
}
