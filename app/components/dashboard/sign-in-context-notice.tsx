import type { SignInContext } from '@/lib/features/sign-in-context/sign-in-context';

/** "You started signing in from /pricing…": what the custom state carried through AuthKit. */
export function SignInContextNotice({ context }: { context: SignInContext | null }) {
  if (!context) return null;
  return (
    <p className="rounded-md border border-brand-200 bg-brand-50 px-4 py-3 text-sm text-brand-900" data-testid="sign-in-context">
      You started {context.intent === 'sign-up' ? 'signing up' : 'signing in'} from <code className="font-mono">{context.startedFrom}</code>{' '}
      and spent {context.hostedStepSeconds}s on the hosted page.
    </p>
  );
}
