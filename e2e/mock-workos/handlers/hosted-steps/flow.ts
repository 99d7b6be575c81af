/** The hosted sign-in's parts the steps use, and a form field reader. */
import type { HttpHandler } from 'msw';
import type { AuthorizationRequest, CompletedSignIn } from '../../store.ts';

/**
 * The steps after the organization (./mfa.ts, ./passkeys.ts) a sign-in has been through. Email
 * verification and organization selection need no mark: a verified email and a picked organization
 * are what they leave behind, and both come before these.
 */
export interface StepsDone {
  mfa?: boolean;
  passkeyPrompt?: boolean;
}

/** A hosted page's form handler: the form, its live authorization request, and the request (its URL: the passkey origin). */
export type FormHandler = (form: FormData, authRequest: AuthorizationRequest, request: Request) => Response | Promise<Response>;

/** What the steps use of the hosted sign-in (../hosted-ui.ts). */
export interface HostedFlow {
  /** Goes on with a sign-in whose first factor is proven: the steps it still owes (after those in `done`), then the code. */
  finishSignIn: (authRequest: AuthorizationRequest, signIn: CompletedSignIn, done?: StepsDone) => Response;
  /** A hosted page's form: `handle` gets the form and its live authorization request; without one, the expired page. */
  formPost: (path: string, handle: FormHandler) => HttpHandler;
  /** 302 back to the app's redirect URI with `params` and the state. */
  redirectToApp: (authRequest: AuthorizationRequest, params: Record<string, string>) => Response;
  /** The sign-in page again, with this error (and the email typed, and a status other than 400). */
  signInError: (authRequest: AuthorizationRequest, error: string, email?: string, status?: number) => Response;
  /** The page for an unknown, used or expired authorization request. */
  expiredPage: () => Response;
}

/** A form field as typed, trimmed; '' when absent. */
export const formText = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
};

/** 303 to a page of a step (GET): a reload shows the step again instead of posting the first factor twice. */
export const seeOther = (location: string) =>
  new Response(null, { status: 303, headers: { Location: location, 'Cache-Control': 'no-store' } });
