/**
 * Steps hosted AuthKit can put between the first factor and the code (issue #24): email
 * verification, organization selection, MFA (set-up and codes), passkeys (a sign-in of their own,
 * and the offer of one after a password), and the SSO connection of an organization that requires
 * it. Each file holds its step's rule, its page and its form handlers (MFA's and passkeys' pages in
 * their own files); ../hosted-ui.ts asks each step whether it is owed, in hosted AuthKit's order,
 * and hands them the parts of its flow they use (./flow.ts).
 */
import type { HttpHandler } from 'msw';
import type { MockWorkOSStore } from '../../store.ts';
import type { HandlerOptions } from '../shared.ts';
import type { HostedFlow } from './flow.ts';
import { emailVerificationHandlers } from './email-verification.ts';
import { mfaHandlers } from './mfa.ts';
import { organizationSelectionHandlers } from './organization-selection.ts';
import { passkeyHandlers } from './passkeys.ts';
import { ssoConnectionHandlers } from './sso-required.ts';

export { emailVerificationStep } from './email-verification.ts';
export { mfaStep } from './mfa.ts';
export { organizationSelectionStep } from './organization-selection.ts';
export { passkeyEnrollmentStep } from './passkeys.ts';
export { toSsoConnection } from './sso-required.ts';

export function hostedStepHandlers(store: MockWorkOSStore, options: HandlerOptions, flow: HostedFlow): HttpHandler[] {
  return [
    ...emailVerificationHandlers(store, flow),
    ...organizationSelectionHandlers(store, flow),
    ...mfaHandlers(store, options, flow),
    ...passkeyHandlers(store, options, flow),
    ...ssoConnectionHandlers(store, options, flow),
  ];
}
