/**
 * Step 1 of issue #24: organization selection on the hosted page. A user with several active
 * memberships who signs in without `organization_id` in the authorization request picks one: the
 * API answers such a sign-in `organization_selection_required` (docs, AuthKit → Authentication
 * errors), and hosted AuthKit handles it with a page. With `organization_id`, or with one
 * membership, there is nothing to pick; an SSO sign-in is in its connection's organization. The
 * pick names the organization for the rest of the sign-in, as if the app had asked for it, so the
 * code carries it: the exchange returns that `organization_id`, and the access token that
 * organization's `org_id`, role and permissions.
 */
import type { HttpHandler } from 'msw';
import { alert, cancelForm, html, page, requestField } from '../../pages.ts';
import type { AuthorizationRequest, CompletedSignIn, MockWorkOSStore, OrganizationRecord } from '../../store.ts';
import { formText, type HostedFlow } from './flow.ts';
import { owedStep, oweStep, settleStep } from './owed-step.ts';

/** The organizations of the user's active memberships, oldest membership first. */
function organizationsOf(store: MockWorkOSStore, userId: string): OrganizationRecord[] {
  return store
    .membershipsOfUser(userId)
    .filter((membership) => membership.status === 'active')
    .flatMap((membership) => store.organizations.get(membership.organizationId) ?? []);
}

/** The picker, when this sign-in has an organization to choose; else undefined. */
export function organizationSelectionStep(
  store: MockWorkOSStore,
  authRequest: AuthorizationRequest,
  signIn: CompletedSignIn,
): Response | undefined {
  if (authRequest.organizationId !== null || signIn.method === 'SSO') return undefined;
  const organizations = organizationsOf(store, signIn.userId);
  if (organizations.length < 2) return undefined;
  oweStep(store, authRequest, signIn, 'organization_selection');
  return pickerPage({ request: authRequest, email: store.users.get(signIn.userId)?.email ?? '', organizations });
}

export function organizationSelectionHandlers(store: MockWorkOSStore, flow: HostedFlow): HttpHandler[] {
  return [
    flow.formPost('/authkit/organization-selection', (form, authRequest) => {
      const step = owedStep(store, authRequest, 'organization_selection');
      if (!step) return flow.signInError(authRequest, 'This organization choice has expired. Sign in again.');
      const organizations = organizationsOf(store, step.signIn.userId);
      const organizationId = formText(form, 'organization_id');
      if (!organizations.some((organization) => organization.id === organizationId)) {
        const email = store.users.get(step.signIn.userId)?.email ?? '';
        return pickerPage({ request: authRequest, email, organizations, error: 'Choose one of your organizations.', status: 400 });
      }
      settleStep(store, authRequest);
      // From here the sign-in is into this organization, as if the app had named it (its rules apply: an SSO requirement).
      authRequest.organizationId = organizationId;
      return flow.finishSignIn(authRequest, { ...step.signIn, organizationId });
    }),
  ];
}

function pickerPage(input: {
  request: AuthorizationRequest;
  email: string;
  organizations: OrganizationRecord[];
  error?: string;
  status?: number;
}): Response {
  const { request } = input;
  return page(
    'Choose an organization',
    html`<h1>Choose an organization</h1>
      <p class="context">You are signed in as <strong>${input.email}</strong>. Which organization do you want to use?</p>
      ${alert(input.error)}
      <form method="post" action="/authkit/organization-selection">
        ${requestField(request)}
        <h2 id="organizations">Your organizations</h2>
        <ul class="choices" aria-labelledby="organizations">
          ${input.organizations.map(
            (organization) =>
              html`<li>
                <button type="submit" class="secondary" name="organization_id" value="${organization.id}">${organization.name}</button>
              </li>`,
          )}
        </ul>
      </form>
      ${cancelForm(request)}`,
    input.status,
  );
}
