/**
 * Sessions: `GET /user_management/sessions/logout` (the browser is sent here
 * to end its session), and the API-key calls an app makes to show and revoke
 * a user's sessions: `GET /user_management/users/{id}/sessions` and
 * `POST /user_management/sessions/revoke`.
 */
import { http, type HttpHandler } from 'msw';
import { toSessionResponse } from '../serializers.ts';
import type { MockWorkOSStore } from '../store.ts';
import { paginate, PaginationError } from './pagination.ts';
import { handleApiCall, hasApiKey, jsonResponse, pathFor, readParams, unauthorized, workosError, type HandlerOptions } from './shared.ts';

export function sessionHandlers(store: MockWorkOSStore, options: HandlerOptions): HttpHandler[] {
  return [
    http.get(pathFor(options, '/user_management/sessions/logout'), ({ request }) => {
      const query = new URL(request.url).searchParams;
      const sessionId = query.get('session_id');
      const session = sessionId ? store.sessions.get(sessionId) : undefined;
      return handleApiCall(
        store,
        request,
        'logout',
        { sessionId: sessionId ?? undefined, userId: session?.userId, redirectUri: query.get('return_to') ?? undefined },
        () => {
          if (!sessionId) return jsonResponse({ message: 'session_id is required.' }, 422);
          // Ending an unknown or already ended session is not an error: signing out twice must still land somewhere.
          store.endSession(sessionId);
          const returnTo = query.get('return_to');
          const location = returnTo && store.config.logoutReturnUris.includes(returnTo) ? returnTo : store.config.defaultLogoutRedirect;
          return new Response(null, { status: 302, headers: { Location: location, 'Cache-Control': 'no-store' } });
        },
      );
    }),

    http.get<{ id: string }>(pathFor(options, '/user_management/users/:id/sessions'), ({ request, params }) =>
      handleApiCall(store, request, 'list_sessions', { userId: params.id }, () => {
        if (!hasApiKey(store, request)) return unauthorized();
        if (!store.users.has(params.id)) return jsonResponse({ message: `User not found: '${params.id}'.` }, 404);
        try {
          const { page, listMetadata } = paginate(store.sessionsOfUser(params.id), new URL(request.url).searchParams);
          return jsonResponse({
            object: 'list',
            data: page.map((session) => toSessionResponse(session, store.sessionStatus(session))),
            list_metadata: listMetadata,
          });
        } catch (error) {
          if (error instanceof PaginationError) return workosError(422, 'invalid_request_parameters', error.message);
          throw error;
        }
      }),
    ),

    http.post(pathFor(options, '/user_management/sessions/revoke'), async ({ request }) => {
      const { session_id: sessionId } = await readParams(request);
      const session = sessionId ? store.sessions.get(sessionId) : undefined;
      return handleApiCall(store, request, 'revoke_session', { sessionId, userId: session?.userId }, () => {
        if (!hasApiKey(store, request)) return unauthorized();
        if (!sessionId || !store.endSession(sessionId)) return jsonResponse({ message: `Session not found: '${sessionId ?? ''}'.` }, 400);
        return new Response(null, { status: 200, headers: { 'Cache-Control': 'no-store' } });
      });
    }),
  ];
}
