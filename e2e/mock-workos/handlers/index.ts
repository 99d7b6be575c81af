/**
 * The single definition of the fake WorkOS API. Served over HTTP by
 * ../server.ts and used in-process by unit tests through msw's setupServer.
 */
import { http, type HttpHandler } from 'msw';
import type { MockWorkOSStore } from '../store.ts';
import { apiKeyHandlers } from './api-keys.ts';
import { authenticationHandlers } from './authentication.ts';
import { controlHandlers } from './control.ts';
import { eventHandlers } from './events.ts';
import { hostedUiHandlers } from './hosted-ui.ts';
import { invitationHandlers } from './invitations.ts';
import { keyHandlers } from './keys.ts';
import { membershipHandlers } from './memberships.ts';
import { mfaHandlers } from './mfa.ts';
import { organizationHandlers } from './organizations.ts';
import { sessionHandlers } from './sessions.ts';
import { userHandlers } from './users.ts';
import { webhookHandlers } from './webhooks.ts';
import { jsonResponse, pathFor, type HandlerOptions } from './shared.ts';

export type { HandlerOptions } from './shared.ts';
export { CONTROL_PREFIX } from './control.ts';

export function createMockWorkOSHandlers(store: MockWorkOSStore, options: HandlerOptions = {}): HttpHandler[] {
  return [
    // First: a WorkOS path matched from any origin (`*/organizations`) would also match `/__mock/organizations`.
    ...controlHandlers(store, options),
    ...hostedUiHandlers(store, options),
    ...authenticationHandlers(store, options),
    ...keyHandlers(store, options),
    ...sessionHandlers(store, options),
    ...userHandlers(store, options),
    ...organizationHandlers(store, options),
    ...membershipHandlers(store, options),
    ...invitationHandlers(store, options),
    ...mfaHandlers(store, options),
    ...eventHandlers(store, options),
    ...apiKeyHandlers(store, options),
    ...webhookHandlers(store, options),
    // Last: anything not mocked fails loudly instead of looking like a WorkOS outage.
    http.all(pathFor(options, '/*'), ({ request }) =>
      jsonResponse(
        {
          message: `The mock WorkOS does not implement ${request.method} ${new URL(request.url).pathname}. Add a handler in e2e/mock-workos/handlers/.`,
          code: 'mock_not_implemented',
        },
        404,
      ),
    ),
  ];
}
