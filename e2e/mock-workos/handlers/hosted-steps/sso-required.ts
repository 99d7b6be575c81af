/**
 * Step 5 of issue #24: organizations that require SSO. AuthKit "will automatically detect when a
 * user is attempting to sign in via SSO and redirect them to the appropriate IdP" (docs, AuthKit →
 * Single Sign-On): an email on a verified domain of an organization whose connection is required
 * (Initech) typed into the password form, "Email me a code" or sign-up goes to that organization's
 * connection instead, as "Continue with SSO" does for any connection. The connection is the mock's
 * stand-in for the identity provider (`/authkit/sso/connection`), which signs the person in as that
 * email: just-in-time provisioning into the organization, the email counted as verified (a verified
 * domain), `authentication_method: "SSO"`. A misconfigured connection (Umbrella) goes back to the
 * app with `error=connection_invalid` and no code, which the app shows as `sso_failed`.
 */
import { http, type HttpHandler } from 'msw';
import { cancelForm, html, page, requestField } from '../../pages.ts';
import type { AuthorizationRequest, MockWorkOSStore, OrganizationRecord } from '../../store.ts';
import { pathFor, type HandlerOptions } from '../shared.ts';
import type { HostedFlow } from './flow.ts';

const CONNECTION_PAGE = '/authkit/sso/connection';

/** The connection each authorization request was sent to, and as whom. */
const targets = new WeakMap<AuthorizationRequest, { organizationId: string; email: string }>();

/** 302 to the organization's SSO connection, to sign in as `email`. */
export function toSsoConnection(authRequest: AuthorizationRequest, organization: OrganizationRecord, email: string): Response {
  targets.set(authRequest, { organizationId: organization.id, email });
  const location = `${CONNECTION_PAGE}?${new URLSearchParams({ authorization_request: authRequest.id })}`;
  return new Response(null, { status: 302, headers: { Location: location, 'Cache-Control': 'no-store' } });
}

export function ssoConnectionHandlers(store: MockWorkOSStore, options: HandlerOptions, flow: HostedFlow): HttpHandler[] {
  const targetOf = (authRequest: AuthorizationRequest) => {
    const target = targets.get(authRequest);
    const organization = target && store.organizations.get(target.organizationId);
    return target && organization?.sso ? { ...target, organization, connection: organization.sso } : undefined;
  };

  return [
    http.get(pathFor(options, CONNECTION_PAGE), ({ request }) => {
      const authRequest = store.getAuthorizationRequest(new URL(request.url).searchParams.get('authorization_request'));
      const target = authRequest && targetOf(authRequest);
      if (!authRequest || !target) return flow.expiredPage();
      if (target.connection.state === 'misconfigured') {
        store.authorizationRequests.delete(authRequest.id);
        return flow.redirectToApp(authRequest, {
          error: 'connection_invalid',
          error_description: `The SSO connection for ${target.organization.name} is misconfigured: the identity provider rejected the request.`,
        });
      }
      return connectionPage({ request: authRequest, organization: target.organization, email: target.email });
    }),

    flow.formPost(CONNECTION_PAGE, (_form, authRequest) => {
      const target = targetOf(authRequest);
      if (!target || target.connection.state !== 'active') return flow.signInError(authRequest, 'Start single sign-on again.');
      targets.delete(authRequest);
      const { organization, email } = target;
      // Just-in-time provisioning, as an SSO sign-in does for a new employee; a verified domain verifies the email.
      const user = store.findUserByEmail(email) ?? store.createUser({ email });
      if (!user.emailVerified) store.updateUser(user.id, { emailVerified: true });
      if (!store.activeMembership(user.id, organization.id)) store.createMembership(user.id, organization.id, 'member');
      return flow.finishSignIn(authRequest, { userId: user.id, organizationId: organization.id, method: 'SSO', oauthTokens: null });
    }),
  ];
}

function connectionPage(input: { request: AuthorizationRequest; organization: OrganizationRecord; email: string }): Response {
  const { request, organization } = input;
  return page(
    `${organization.name} single sign-on`,
    html`<h1>${organization.name} single sign-on</h1>
      <p class="context">
        ${organization.name} signs its people in with its identity provider (SSO connection <code>${organization.sso?.connectionId}</code>).
        This page is the mock's stand-in for it: a real one would ask for your company credentials.
      </p>
      <p>You are signing in as <strong>${input.email}</strong>.</p>
      <form method="post" action="${CONNECTION_PAGE}">
        ${requestField(request)}
        <button type="submit" class="primary">Continue</button>
      </form>
      ${cancelForm(request)}`,
  );
}
