/**
 * The browser side: `GET /user_management/authorize` and the hosted AuthKit
 * pages it leads to. Forms post back here carrying only an opaque
 * authorization request id; the client, redirect URI, state and PKCE challenge
 * stay server-side, so a page can never be tricked into redirecting elsewhere.
 */
import { randomBytes } from 'node:crypto';
import { http, type HttpHandler } from 'msw';
import * as pages from '../pages.ts';
import { DEMO_PASSWORD, SEED_USERS } from '../seed.ts';
import {
  emailDomain,
  SOCIAL_PROVIDERS,
  WorkOSError,
  type AuthorizationRequest,
  type CompletedSignIn,
  type MockWorkOSStore,
  type OAuthTokens,
  type SocialProvider,
} from '../store.ts';
import {
  expiredInvitationCookie,
  invitationProblemPage,
  invitationTokenOf,
  invitationView,
  openInvitationLink,
  pendingInvitation,
} from './hosted-invitation.ts';
import { parseMaxAge, recentHostedSignIn, rememberHostedSignIn } from './hosted-session.ts';
import {
  emailVerificationStep,
  hostedStepHandlers,
  mfaStep,
  organizationSelectionStep,
  passkeyEnrollmentStep,
  toSsoConnection,
} from './hosted-steps/index.ts';
import { formText, type FormHandler, type StepsDone } from './hosted-steps/flow.ts';
import { expiredTicketCookie, hasPreApprovalTicket, peekPreApproval, rememberShapeForCode, takePreApproval } from './pre-approval.ts';
import { clientInfoOf, handleApiCall, pathFor, type HandlerOptions } from './shared.ts';

const SOCIAL_SCOPES: Record<SocialProvider, string[]> = {
  GoogleOAuth: ['openid', 'email', 'profile'],
  MicrosoftOAuth: ['openid', 'email', 'profile', 'offline_access'],
  GitHubOAuth: ['read:user', 'user:email'],
};

const SOCIAL_LABELS: Record<SocialProvider, string> = {
  GoogleOAuth: 'Google',
  MicrosoftOAuth: 'Microsoft',
  GitHubOAuth: 'GitHub',
};

const DEMO_VIEW: pages.DemoAccountsView = { password: DEMO_PASSWORD, accounts: SEED_USERS };

const isSocialProvider = (value: string | null): value is SocialProvider =>
  value !== null && (SOCIAL_PROVIDERS as readonly string[]).includes(value);

const looksLikeEmail = (value: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);

/** 302 back to the app's redirect URI with `params` and the state exactly as received. */
function redirectToApp(authRequest: Pick<AuthorizationRequest, 'redirectUri' | 'state'>, params: Record<string, string>): Response {
  const location = new URL(authRequest.redirectUri);
  for (const [name, value] of Object.entries(params)) location.searchParams.set(name, value);
  if (authRequest.state !== null) location.searchParams.set('state', authRequest.state);
  return new Response(null, { status: 302, headers: { Location: location.toString(), 'Cache-Control': 'no-store' } });
}

const expiredPage = () =>
  pages.errorPage('Sign-in expired', 'This sign-in page has expired or was already used. Go back to the application and sign in again.');

export function hostedUiHandlers(store: MockWorkOSStore, options: HandlerOptions): HttpHandler[] {
  const organizationOf = (authRequest: AuthorizationRequest) =>
    authRequest.organizationId ? store.organizations.get(authRequest.organizationId) : undefined;

  /** The pending invitation this sign-in accepts, as its pages show it (none, or one no longer pending: undefined). */
  const invitationOf = (authRequest: AuthorizationRequest) => {
    const found = authRequest.invitationToken ? pendingInvitation(store, authRequest.invitationToken) : undefined;
    return found?.ok ? invitationView(store, found.invitation) : undefined;
  };

  const signInError = (authRequest: AuthorizationRequest, error: string, email?: string, status = 400) =>
    pages.signInPage({
      request: authRequest,
      organization: organizationOf(authRequest),
      invitation: invitationOf(authRequest),
      demo: DEMO_VIEW,
      email,
      error,
      status,
    });

  /**
   * Every successful primary factor ends here, and goes through what it owes in
   * hosted AuthKit's order: the invitation it accepts (still pending, for this
   * user's email), organization rules, then the steps (./hosted-steps/): an
   * unverified email, an organization to pick (unless an invitation names it),
   * MFA (a code, or its set-up where the organization the sign-in lands in or
   * the environment requires it), the offer of a passkey; then the invitation
   * accepted, the code and the redirect.
   */
  function finishSignIn(authRequest: AuthorizationRequest, signIn: CompletedSignIn, done: StepsDone = {}): Response {
    const user = store.users.get(signIn.userId);
    if (!user) return signInError(authRequest, 'That account no longer exists.');
    const invited = authRequest.invitationToken ? pendingInvitation(store, authRequest.invitationToken) : undefined;
    if (invited && !invited.ok) {
      store.authorizationRequests.delete(authRequest.id);
      return invitationProblemPage(store, invited.problem);
    }
    if (invited?.ok && invited.invitation.email !== user.email) {
      return signInError(
        authRequest,
        `This invitation is for ${invited.invitation.email}. Sign in with that account to accept it.`,
        user.email,
        403,
      );
    }
    const requiredOrganization = organizationOf(authRequest);
    if (requiredOrganization) {
      if (!store.activeMembership(user.id, requiredOrganization.id)) {
        return signInError(authRequest, `${user.email} is not a member of ${requiredOrganization.name}.`, user.email, 403);
      }
      if (requiredOrganization.sso?.required && signIn.method !== 'SSO') {
        return signInError(authRequest, `${requiredOrganization.name} requires single sign-on. Use Continue with SSO.`, user.email, 403);
      }
    }
    // The organization the session lands in: the invitation's, else the one named or picked (its MFA rule applies).
    const organizationId = (invited?.ok ? invited.invitation.organizationId : null) ?? signIn.organizationId;
    const owedStep =
      emailVerificationStep(store, authRequest, signIn) ??
      (invited?.ok ? undefined : organizationSelectionStep(store, authRequest, signIn)) ??
      mfaStep(store, authRequest, signIn, done, organizationId) ??
      passkeyEnrollmentStep(store, authRequest, signIn, done);
    if (owedStep) return owedStep;
    // Accepting makes the user an active member with the invitation's role; the session starts there.
    if (invited?.ok) store.acceptInvitation(invited.invitation.id);
    // Signed in on the page now: the session's auth_time, and this browser's hosted session (max_age, ./hosted-session.ts).
    const stamped = { ...signIn, organizationId, authenticatedAt: store.now() };
    const response = redirectToApp(authRequest, { code: store.issueAuthorizationCode(authRequest, stamped).code });
    rememberHostedSignIn(store, stamped, response);
    return response;
  }

  const signInFor = (
    authRequest: AuthorizationRequest,
    userId: string,
    method: CompletedSignIn['method'],
    oauthTokens: OAuthTokens | null = null,
  ) => ({
    userId,
    organizationId: authRequest.organizationId ?? store.defaultOrganizationOf(userId),
    method,
    oauthTokens,
  });

  function signInWithSocial(authRequest: AuthorizationRequest, provider: SocialProvider): Response {
    const user = store.findSocialAccount(provider);
    if (!user) return signInError(authRequest, `No ${SOCIAL_LABELS[provider]} demo account exists in the mock.`);
    const oauthTokens: OAuthTokens = {
      provider,
      accessToken: `mock_${provider}_access_${randomBytes(12).toString('base64url')}`,
      refreshToken: `mock_${provider}_refresh_${randomBytes(12).toString('base64url')}`,
      expiresAt: Math.floor(store.now() / 1000) + 3600,
      scopes: SOCIAL_SCOPES[provider],
    };
    return finishSignIn(authRequest, signInFor(authRequest, user.id, provider, oauthTokens));
  }

  /** The SSO-required organization owning this email's domain, if any. */
  const ssoRequiredFor = (email: string) => {
    const organization = store.ssoOrganizationForEmail(email);
    return organization?.sso?.required ? organization : undefined;
  };

  /** A ticket from `POST /__mock/pre_approvals` (./pre-approval.ts): no hosted page, straight back with a code. */
  function signInPreApproved(request: Request, authRequest: AuthorizationRequest): Response {
    const approval = takePreApproval(store, request);
    let response: Response;
    if (approval) {
      const signIn: CompletedSignIn = {
        userId: approval.userId,
        organizationId: approval.organizationId,
        method: 'Password',
        oauthTokens: null,
      };
      const code = store.issueAuthorizationCode(authRequest, signIn);
      rememberShapeForCode(store, code.code, approval);
      response = redirectToApp(authRequest, { code: code.code });
    } else {
      store.authorizationRequests.delete(authRequest.id);
      response = pages.errorPage('Pre-approved sign-in expired', 'This sign-in ticket is unknown, used or expired. Ask for a new one.');
    }
    response.headers.append('Set-Cookie', expiredTicketCookie());
    return response;
  }

  /** Reads the posted form and its pending sign-in; undefined request means expired. */
  async function readForm(request: Request) {
    const form = await request.formData();
    return { form, authRequest: store.getAuthorizationRequest(formText(form, 'authorization_request')) };
  }

  /** A hosted page's form: `handle` gets the form and its pending sign-in; without one, the expired page. */
  const formPost = (path: string, handle: FormHandler) =>
    http.post(pathFor(options, path), async ({ request }) => {
      const { form, authRequest } = await readForm(request);
      return authRequest ? handle(form, authRequest, request) : expiredPage();
    });

  /** An email whose domain must use SSO goes to its organization's connection, whatever form it was typed in (./hosted-steps/sso-required.ts); else undefined. */
  const ssoRequiredConnection = (authRequest: AuthorizationRequest, email: string) => {
    const organization = ssoRequiredFor(email);
    return organization && toSsoConnection(authRequest, organization, email);
  };

  function authorize(request: Request): Response {
    const query = new URL(request.url).searchParams;
    const clientId = query.get('client_id');
    if (clientId !== store.config.clientId) {
      return pages.errorPage(
        'Invalid client ID',
        `The client ID "${clientId ?? ''}" is not known to this WorkOS environment. Check WORKOS_CLIENT_ID.`,
      );
    }
    const redirectUri = query.get('redirect_uri');
    if (!redirectUri || !store.config.redirectUris.includes(redirectUri)) {
      return pages.errorPage(
        'Invalid redirect URI',
        `"${redirectUri ?? ''}" is not an allowed redirect URI for this application. Allowed: ${store.config.redirectUris.join(', ')}.`,
      );
    }
    // From here the redirect URI is trusted, so errors go back to the app (OAuth 2.0 §4.1.2.1).
    const back = (error: string, description: string) =>
      redirectToApp({ redirectUri, state: query.get('state') }, { error, error_description: description });
    if (query.get('response_type') !== 'code') return back('unsupported_response_type', 'response_type must be "code".');
    // PKCE is optional for a confidential client (its token call carries the client secret); strict mode requires it.
    const codeChallenge = query.get('code_challenge') || null;
    if (!codeChallenge && store.config.pkceRequired)
      return back('invalid_request', 'code_challenge is required (strict PKCE mode of the mock).');
    if (codeChallenge && query.get('code_challenge_method') !== 'S256')
      return back('invalid_request', 'code_challenge_method must be S256.');
    const organizationId = query.get('organization_id');
    if (organizationId && !store.organizations.has(organizationId)) {
      return back('organization_invalid', `Organization ${organizationId} does not exist.`);
    }
    const provider = query.get('provider');
    if (provider !== null && provider !== 'authkit' && !isSocialProvider(provider)) {
      return back('invalid_request', `provider "${provider}" is not supported by the mock (authkit, ${SOCIAL_PROVIDERS.join(', ')}).`);
    }
    const maxAge = parseMaxAge(query.get('max_age'));
    if (maxAge === 'invalid') return back('invalid_request', 'max_age must be a whole number of seconds.');
    const newAuthorizationRequest = (invitationToken: string | null) =>
      store.createAuthorizationRequest({
        clientId,
        redirectUri,
        state: query.get('state'),
        codeChallenge,
        screenHint: query.get('screen_hint') === 'sign-up' ? 'sign-up' : 'sign-in',
        loginHint: query.get('login_hint'),
        organizationId,
        invitationToken,
        client: clientInfoOf(request),
      });
    if (hasPreApprovalTicket(request)) return signInPreApproved(request, newAuthorizationRequest(null));
    // An invitation: the SDK's `invitation_token`, or one an invitation link left in this browser (./hosted-invitation.ts).
    const invitationToken = query.get('invitation_token') ?? invitationTokenOf(request) ?? null;
    const invited = invitationToken === null ? undefined : pendingInvitation(store, invitationToken);
    if (invited && !invited.ok) return withExpiredInvitationCookie(invitationProblemPage(store, invited.problem));
    const authRequest = newAuthorizationRequest(invitationToken);
    // max_age: this browser's hosted sign-in if recent enough (keeping its time), else the page asks again.
    // An invitation always shows the page: the sign-in there accepts it.
    const recent = maxAge === null || invited ? undefined : recentHostedSignIn(store, request, authRequest, maxAge);
    if (recent) return redirectToApp(authRequest, { code: store.issueAuthorizationCode(authRequest, recent).code });
    if (isSocialProvider(provider)) return signInWithSocial(authRequest, provider);
    let screenHint = authRequest.screenHint;
    if (invited?.ok) {
      // A new user signs up with the invited email; an existing one signs in.
      authRequest.loginHint = invited.invitation.email;
      screenHint = store.findUserByEmail(invited.invitation.email) ? 'sign-in' : 'sign-up';
    }
    const page = new URL(`/authkit/${screenHint}`, request.url);
    page.searchParams.set('authorization_request', authRequest.id);
    const response = new Response(null, { status: 302, headers: { Location: page.toString(), 'Cache-Control': 'no-store' } });
    return invited ? withExpiredInvitationCookie(response) : response;
  }

  /** The invitation cookie is used once: the sign-in it started carries the invitation from here. */
  function withExpiredInvitationCookie(response: Response): Response {
    response.headers.append('Set-Cookie', expiredInvitationCookie());
    return response;
  }

  return [
    http.get(pathFor(options, '/user_management/authorize'), ({ request }) => {
      const query = new URL(request.url).searchParams;
      // A pre-approved sign-in is logged under its user, like a hinted one.
      const loginHint = query.get('login_hint') ?? undefined;
      const approved = peekPreApproval(store, request);
      const subject = {
        email: approved ? store.users.get(approved.userId)?.email : loginHint,
        userId: approved ? approved.userId : loginHint ? store.findUserByEmail(loginHint)?.id : undefined,
        redirectUri: query.get('redirect_uri') ?? undefined,
      };
      return handleApiCall(store, request, 'authorize', subject, () => authorize(request));
    }),

    http.get(pathFor(options, '/authkit/invite'), ({ request }) => openInvitationLink(store, request)),

    http.get(pathFor(options, '/authkit/sign-in'), ({ request }) => {
      const authRequest = store.getAuthorizationRequest(new URL(request.url).searchParams.get('authorization_request'));
      if (!authRequest) return expiredPage();
      return pages.signInPage({
        request: authRequest,
        organization: organizationOf(authRequest),
        invitation: invitationOf(authRequest),
        demo: DEMO_VIEW,
      });
    }),

    http.get(pathFor(options, '/authkit/sign-up'), ({ request }) => {
      const authRequest = store.getAuthorizationRequest(new URL(request.url).searchParams.get('authorization_request'));
      if (!authRequest) return expiredPage();
      return pages.signUpPage({ request: authRequest, organization: organizationOf(authRequest), invitation: invitationOf(authRequest) });
    }),

    formPost('/authkit/password', (form, authRequest) => {
      const email = formText(form, 'email');
      const password = form.get('password');
      const ssoRequired = ssoRequiredConnection(authRequest, email);
      if (ssoRequired) return ssoRequired;
      const user = store.findUserByEmail(email);
      if (user && user.password === null && user.socialProvider) {
        return signInError(authRequest, `This account signs in with ${SOCIAL_LABELS[user.socialProvider]}.`, email);
      }
      if (!user || user.password === null || user.password !== password) {
        return signInError(authRequest, 'Incorrect email or password.', email, 401);
      }
      return finishSignIn(authRequest, signInFor(authRequest, user.id, 'Password'));
    }),

    formPost('/authkit/magic-auth', (form, authRequest) => {
      const email = formText(form, 'email');
      if (!looksLikeEmail(email)) return signInError(authRequest, 'Enter your email address to receive a code.', email);
      const ssoRequired = ssoRequiredConnection(authRequest, email);
      if (ssoRequired) return ssoRequired;
      const user = store.findUserByEmail(email);
      if (!user) return signInError(authRequest, 'No account uses that email. Create an account first.', email, 404);
      const code = store.startMagicAuth(authRequest, user);
      return pages.magicCodePage({ request: authRequest, email: user.email, code });
    }),

    formPost('/authkit/magic-auth/verify', (form, authRequest) => {
      const magicAuth = authRequest.magicAuthId ? store.magicAuths.get(authRequest.magicAuthId) : undefined;
      if (!magicAuth) return signInError(authRequest, 'Request a code first.');
      try {
        store.verifyMagicAuth(magicAuth.email, formText(form, 'code'), magicAuth.id);
      } catch (error) {
        if (!(error instanceof WorkOSError)) throw error;
        if (error.code === 'invalid_one_time_code') {
          return pages.magicCodePage({
            request: authRequest,
            email: magicAuth.email,
            code: magicAuth.code,
            error: 'That code is not valid. Try again.',
            status: 400,
          });
        }
        authRequest.magicAuthId = null;
        return signInError(authRequest, 'That code has expired. Request a new one.', magicAuth.email);
      }
      authRequest.magicAuthId = null;
      return finishSignIn(authRequest, signInFor(authRequest, magicAuth.userId, 'MagicAuth'));
    }),

    formPost('/authkit/sso', (form, authRequest) => {
      const email = formText(form, 'email');
      if (!looksLikeEmail(email)) return signInError(authRequest, 'Enter your work email to continue with SSO.', email);
      const organization = organizationOf(authRequest) ?? store.ssoOrganizationForEmail(email);
      if (!organization?.sso) {
        return signInError(authRequest, `No SSO connection is set up for ${emailDomain(email)}. Sign in another way.`, email);
      }
      if (!organization.domains.some((record) => record.domain === emailDomain(email))) {
        return signInError(authRequest, `${email} is not on a domain of ${organization.name}.`, email, 403);
      }
      return toSsoConnection(authRequest, organization, email);
    }),

    formPost('/authkit/social', (form, authRequest) => {
      const provider = formText(form, 'provider');
      if (!isSocialProvider(provider)) return signInError(authRequest, 'Choose a sign-in provider.');
      return signInWithSocial(authRequest, provider);
    }),

    formPost('/authkit/sign-up', (form, authRequest) => {
      const values = { email: formText(form, 'email'), firstName: formText(form, 'first_name'), lastName: formText(form, 'last_name') };
      const password = form.get('password');
      const invitation = invitationOf(authRequest);
      const fail = (error: string, status = 400) =>
        pages.signUpPage({ request: authRequest, organization: organizationOf(authRequest), invitation, values, error, status });
      if (!looksLikeEmail(values.email)) return fail('Enter a valid email address.');
      if (invitation && values.email.toLowerCase() !== invitation.email) {
        return fail(`This invitation is for ${invitation.email}: sign up with that email to accept it.`, 403);
      }
      const ssoRequired = ssoRequiredConnection(authRequest, values.email);
      if (ssoRequired) return ssoRequired;
      if (typeof password !== 'string' || password.length < 8) return fail('Choose a password of at least 8 characters.');
      if (store.findUserByEmail(values.email)) return fail('An account with this email already exists. Sign in instead.', 409);
      const user = store.createUser({
        email: values.email,
        password,
        firstName: values.firstName || null,
        lastName: values.lastName || null,
        // A password sign-up proves no email: the email verification step asks for the code (./hosted-steps/).
        // An invited one came from the link mailed to this very address (checked above).
        emailVerified: invitation !== undefined,
      });
      return finishSignIn(authRequest, signInFor(authRequest, user.id, 'Password'));
    }),

    formPost('/authkit/cancel', (_form, authRequest) => {
      store.authorizationRequests.delete(authRequest.id);
      return redirectToApp(authRequest, { error: 'access_denied', error_description: 'The user cancelled the sign-in.' });
    }),

    ...hostedStepHandlers(store, options, { finishSignIn, formPost, redirectToApp, signInError, expiredPage }),
  ];
}
