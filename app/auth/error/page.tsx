import type { Metadata } from 'next';
import { authErrorCopyFor, parseReferenceId } from '@/lib/auth';

export const metadata: Metadata = { title: 'Sign-in problem' };

// Only the code picks the copy; nothing from the query string is echoed except a
// reference id that matches our exact format.
export default async function AuthErrorPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = await searchParams;
  const { code, copy } = authErrorCopyFor(query.code);
  const reference = parseReferenceId(query.ref);

  return (
    <section aria-labelledby="auth-error-title" className="max-w-2xl space-y-4" data-error-code={code}>
      <h1 id="auth-error-title" className="text-2xl font-bold">
        {copy.title}
      </h1>
      <p>{copy.description}</p>
      <p className="text-ink-muted">{copy.nextStep}</p>
      {reference ? (
        <p className="text-sm text-ink-muted">
          Reference:{' '}
          <code className="font-mono" data-testid="error-reference">
            {reference}
          </code>
        </p>
      ) : null}
      <a href={copy.action.href} className="inline-block rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
        {copy.action.label}
      </a>
    </section>
  );
}
