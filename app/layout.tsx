import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { getSession, toClientAuth } from '@/lib/auth';
import { AuthKitProvider } from '@/lib/auth/client';
import { AccountMenu } from './components/account-menu';
import { ImpersonationBanner } from './components/impersonation-banner';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'AuthKit Starter', template: '%s · AuthKit Starter' },
  description: 'A Next.js App Router starter for WorkOS AuthKit, with an end-to-end suite against a mock WorkOS.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const session = await getSession();
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col">
        {/* authkit's client components (useAuth, useAccessToken…) read this: the session without its tokens. */}
        <AuthKitProvider initialAuth={toClientAuth(session)}>
          <a
            href="#main"
            className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
          >
            Skip to content
          </a>
          <ImpersonationBanner session={session} />
          <header className="border-b border-gray-200 bg-white">
            <div className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-6 py-4">
              <Link href="/" className="text-lg font-semibold text-ink">
                AuthKit Starter
              </Link>
              <nav aria-label="Account">
                <AccountMenu />
              </nav>
            </div>
          </header>
          <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-6 py-10">
            {children}
          </main>
          <footer className="border-t border-gray-200 bg-white">
            <div className="mx-auto max-w-5xl px-6 py-4 text-sm text-ink-muted">Built with Next.js and WorkOS AuthKit.</div>
          </footer>
        </AuthKitProvider>
      </body>
    </html>
  );
}
