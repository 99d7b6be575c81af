import Link from 'next/link';
import type { SignInContext } from '@/lib/features/sign-in-context/sign-in-context';

/** "You signed in from /pricing. Go back there": the page the custom state carried through AuthKit. */
export function SignInContextNotice({ context }: { context: SignInContext | null }) {
  if (!context) return null;
  return (
    <p className="rounded-md border border-brand-200 bg-brand-50 px-4 py-3 text-sm text-brand-900" data-testid="sign-in-context">
      {context.intent === 'sign-up' ? 'Welcome! You signed up' : 'You signed in'} from{' '}
      <code className="font-mono">{context.startedFrom}</code>.{' '}
      <Link href={context.startedFrom} className="font-medium underline">
        Go back there
      </Link>
    </p>
  );
}
