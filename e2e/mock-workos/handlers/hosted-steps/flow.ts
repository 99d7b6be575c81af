/** The hosted sign-in's parts the steps use, and a form field reader. */
import type { HttpHandler } from 'msw';
import type { AuthorizationRequest, CompletedSignIn } from '../../store.ts';

/** What the steps use of the hosted sign-in (../hosted-ui.ts). */
export interface HostedFlow {
  /** Goes on with a sign-in whose first factor is proven: the steps it still owes, then the code. */
  finishSignIn: (authRequest: AuthorizationRequest, signIn: CompletedSignIn) => Response;
  /** A hosted page's form: `handle` gets the form and its live authorization request; without one, the expired page. */
  formPost: (path: string, handle: (form: FormData, authRequest: AuthorizationRequest) => Response) => HttpHandler;
  /** 302 back to the app's redirect URI with `params` and the state. */
  redirectToApp: (authRequest: AuthorizationRequest, params: Record<string, string>) => Response;
  /** The sign-in page again, with this error. */
  signInError: (authRequest: AuthorizationRequest, error: string) => Response;
  /** The page for an unknown, used or expired authorization request. */
  expiredPage: () => Response;
}

/** A form field as typed, trimmed; '' when absent. */
export const formText = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
};
