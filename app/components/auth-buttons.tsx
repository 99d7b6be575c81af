import { signOutAction } from '@/app/actions';

// Auth routes are plain <a> links, not <Link>: Link prefetches, and prefetching
// /auth/sign-in would start a sign-in flow (and set a verifier cookie) in the background.
/** "Sign in" and "Sign up", styled by the place that shows them. */
export function SignInLinks({ className, signIn, signUp }: { className: string; signIn: string; signUp: string }) {
  return (
    <div className={className}>
      <a href="/auth/sign-in" className={signIn}>
        Sign in
      </a>
      <a href="/auth/sign-up" className={signUp}>
        Sign up
      </a>
    </div>
  );
}

/** The sign-out server action behind a button (sign-out, or ending an impersonation). */
export function SignOutButton({ label, className }: { label: string; className: string }) {
  return (
    <form action={signOutAction}>
      <button type="submit" className={className}>
        {label}
      </button>
    </form>
  );
}
