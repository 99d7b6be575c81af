/** `GET /user_management/sessions/logout`: the browser is sent here to end the session. */
import { http, type HttpHandler } from 'msw';
import type { MockWorkOSStore } from '../store.ts';
import * as pages from '../pages.ts';
import { handleApiCall, pathFor, type HandlerOptions } from './shared.ts';

export function sessionHandlers(store: MockWorkOSStore, options: HandlerOptions): HttpHandler[] {
  return [
    http.get(pathFor(options, '/user_management/sessions/logout'), ({ request }) => {
      const query = new URL(request.url).searchParams;
      const sessionId = query.get('session_id');
      const session = sessionId ? store.sessions.get(sessionId) : undefined;
      return handleApiCall(store, request, 'logout', { sessionId: sessionId ?? undefined, userId: session?.userId, redirectUri: query.get('return_to') ?? undefined }, () => {
        if (!sessionId) return pages.errorPage('Invalid sign-out request', 'session_id is required.');
        // Ending an unknown or already ended session is not an error: signing out twice must still land somewhere.
        store.endSession(sessionId);
        const returnTo = query.get('return_to');
        const location = returnTo && store.config.logoutReturnUris.includes(returnTo) ? returnTo : store.config.defaultLogoutRedirect;
        return new Response(null, { status: 302, headers: { Location: location, 'Cache-Control': 'no-store' } });
      });
    }),
  ];
}
