/**
 * Error statuses the mock answers that WorkOS' spec does not document for that
 * operation, each with its reason. The conformance tests accept a response
 * whose status is listed here for its operation (and check nothing else about
 * it); any other undocumented status fails. No success status may be listed.
 */
const UNKNOWN_ID =
  'An unknown id answers 404 `entity_not_found`, as every other operation on that resource does; the spec lists no 404 for this one (the SDK maps a 404 to NotFoundException).';

const SPEC_GAPS: Readonly<Record<string, string>> = {
  'PUT /user_management/users/{id} 404': UNKNOWN_ID,
  'POST /user_management/invitations/{id}/revoke 404': UNKNOWN_ID,
  'DELETE /organizations/{id} 404': UNKNOWN_ID,
  'GET /user_management/users/{userlandUserId}/auth_factors 404': UNKNOWN_ID,
  'POST /user_management/users/{userlandUserId}/auth_factors 404': UNKNOWN_ID,
  'GET /webhook_endpoints 422':
    'A `limit` out of 1–100 answers 422 `invalid_request_parameters`, as the lists the spec documents it for do; the spec lists no error for this one.',
};

/** The reason an undocumented `status` of `METHOD path` is accepted, if it is. */
export const specGap = (method: string, path: string, status: number): string | undefined =>
  status >= 400 ? SPEC_GAPS[`${method.toUpperCase()} ${path} ${status}`] : undefined;
