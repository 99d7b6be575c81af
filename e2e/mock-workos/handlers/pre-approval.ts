/**
 * Pre-approved sign-ins: the mock side of the e2e fixture `signedInAs`, for
 * tests that need a session but are not about signing in.
 *
 * `POST /__mock/pre_approvals` registers one for a user and answers a ticket.
 * The browser carries the ticket in a cookie scoped to the mock's authorize
 * path, so nothing else ever sees it. When `GET /user_management/authorize`
 * finds a live ticket, it does every check it always does (client, redirect
 * URI, PKCE, …) and then, instead of showing the hosted page, redirects back
 * to the app with a code at once, as if the user had signed in there with a
 * password. The code exchange, the tokens and the session are the real ones.
 *
 * The ticket can shape that session's access tokens: `role` and `permissions`
 * replace the membership's role and the role's permissions in every token of
 * this session (refreshes included) while it stays in the approved
 * organization. The directory is never changed, so demo accounts can be used by
 * parallel tests with different shapes.
 *
 * State lives here, per store, not in the store: it is test plumbing, not WorkOS.
 */
import type { MockWorkOSStore, SessionRecord } from '../store.ts';
import { AUTHORIZATION_REQUEST_TTL_SECONDS, MockInputError, randomToken } from '../store.ts';
import { cookieOf } from './shared.ts';

const PRE_APPROVAL_COOKIE = 'mock_workos_pre_approval';
/** The cookie goes to the authorize endpoint only (not to the app, even on the same host). */
const PRE_APPROVAL_COOKIE_PATH = '/user_management/authorize';

export interface PreApprovalInput {
  email?: string;
  userId?: string;
  /** Default: the user's first organization (the hosted page would ask a user with several to pick one). */
  organizationId?: string;
  role?: string;
  permissions?: string[];
}

interface TokenShape {
  organizationId: string;
  role?: string;
  permissions?: string[];
}

interface PreApproval {
  userId: string;
  organizationId: string | null;
  shape: TokenShape | null;
  expiresAt: number;
}

interface PreApprovalState {
  tickets: Map<string, PreApproval>;
  /** Shapes waiting for their code to be exchanged, then the session's. */
  byCode: Map<string, TokenShape>;
  bySession: Map<string, TokenShape>;
}

const states = new WeakMap<MockWorkOSStore, PreApprovalState>();

function stateOf(store: MockWorkOSStore): PreApprovalState {
  let state = states.get(store);
  if (!state) {
    state = { tickets: new Map(), byCode: new Map(), bySession: new Map() };
    states.set(store, state);
  }
  return state;
}

/** With the store's reset (`POST /__mock/reset`). */
export function clearPreApprovals(store: MockWorkOSStore): void {
  states.delete(store);
}

export function preApprove(store: MockWorkOSStore, input: PreApprovalInput) {
  const user = input.userId ? store.users.get(input.userId) : store.findUserByEmail(input.email ?? '');
  if (!user) throw new MockInputError(`no user ${input.userId ?? input.email ?? ''}`);
  const organizationId = input.organizationId ?? store.defaultOrganizationOf(user.id);
  if (input.organizationId && !store.activeMembership(user.id, input.organizationId)) {
    throw new MockInputError(`${user.email} is not an active member of ${input.organizationId}: add the membership first`);
  }
  const shaped = input.role !== undefined || input.permissions !== undefined;
  if (shaped && !organizationId) throw new MockInputError(`${user.email} has no organization: role and permissions need one`);
  if (input.role !== undefined && input.permissions === undefined && !store.roleFor(input.role, organizationId)) {
    throw new MockInputError(`role "${input.role}" does not exist: create it or pass the permissions`);
  }
  const ticket = randomToken(24);
  const expiresAt = store.now() + AUTHORIZATION_REQUEST_TTL_SECONDS * 1000;
  const shape = shaped && organizationId ? { organizationId, role: input.role, permissions: input.permissions } : null;
  stateOf(store).tickets.set(ticket, { userId: user.id, organizationId, shape, expiresAt });
  return {
    ticket,
    cookie: { name: PRE_APPROVAL_COOKIE, value: ticket, path: PRE_APPROVAL_COOKIE_PATH },
    user: { id: user.id, email: user.email },
    organizationId,
    expiresAt: new Date(expiresAt).toISOString(),
  };
}

const ticketOf = (request: Request) => cookieOf(request, PRE_APPROVAL_COOKIE);

/** The request carries a ticket cookie (live or not). */
export const hasPreApprovalTicket = (request: Request): boolean => ticketOf(request) !== undefined;

/** The live approval the request's ticket names, left in place (for the request log). */
export function peekPreApproval(store: MockWorkOSStore, request: Request): PreApproval | undefined {
  const ticket = ticketOf(request);
  const approval = ticket ? stateOf(store).tickets.get(ticket) : undefined;
  return approval && approval.expiresAt > store.now() ? approval : undefined;
}

/** Uses the ticket up: undefined when it is unknown, used or expired. */
export function takePreApproval(store: MockWorkOSStore, request: Request): PreApproval | undefined {
  const approval = peekPreApproval(store, request);
  const ticket = ticketOf(request);
  if (ticket) stateOf(store).tickets.delete(ticket);
  return approval;
}

/** Deletes the ticket cookie in the browser that brought it. */
export const expiredTicketCookie = () => `${PRE_APPROVAL_COOKIE}=; Path=${PRE_APPROVAL_COOKIE_PATH}; Max-Age=0; HttpOnly; SameSite=Lax`;

/** The code issued for a shaped approval carries the shape to the session it starts. */
export function rememberShapeForCode(store: MockWorkOSStore, code: string, approval: PreApproval): void {
  if (approval.shape) stateOf(store).byCode.set(code, approval.shape);
}

export function adoptShapeOfCode(store: MockWorkOSStore, code: string | undefined, sessionId: string): void {
  const state = stateOf(store);
  const shape = code ? state.byCode.get(code) : undefined;
  if (!code || !shape) return;
  state.byCode.delete(code);
  state.bySession.set(sessionId, shape);
}

/**
 * The access token for a shaped session, or undefined to keep the store's own:
 * the store's claims with the role and permissions replaced, while the session
 * is in the approved organization and the user still a member of it.
 */
export async function shapedAccessToken(store: MockWorkOSStore, session: SessionRecord, issuer: string): Promise<string | undefined> {
  const shape = stateOf(store).bySession.get(session.id);
  if (!shape || session.organizationId !== shape.organizationId) return undefined;
  const claims = store.accessTokenClaims(session, issuer);
  if (claims.org_id !== shape.organizationId) return undefined;
  if (shape.role !== undefined) {
    claims.role = shape.role;
    claims.roles = [shape.role];
    claims.permissions = [...store.permissionsOfRole(shape.role, shape.organizationId)];
  }
  if (shape.permissions !== undefined) claims.permissions = [...shape.permissions];
  return store.keys.sign(claims);
}
