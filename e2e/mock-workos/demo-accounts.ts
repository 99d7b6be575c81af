/** The demo accounts as a plain-text table, printed by the CLI and `npm run dev:mock`. */
import { DEMO_PASSWORD, SEED_ORGANIZATIONS, SEED_USERS } from './seed.ts';

/** `outboxUrl`: where a person reads the mail the mock "sent" (the running mock's `/__mock/outbox`). */
export function formatDemoAccounts(outboxUrl?: string): string {
  const organizationName = new Map(SEED_ORGANIZATIONS.map((organization) => [organization.id, organization.name]));
  const rows = SEED_USERS.map((user) => [
    user.email,
    user.demo?.signIn ?? 'Password',
    (user.memberships ?? [])
      .map((membership) => `${organizationName.get(membership.organizationId) ?? membership.organizationId} (${membership.role})`)
      .join(', ') || '—',
  ]);
  const header = ['Email', 'Sign in with', 'Organizations'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) =>
    '  ' +
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    `Demo accounts (password: ${DEMO_PASSWORD})`,
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '  Any @umbrella.example.com email (Sign in or Continue with SSO) shows a misconfigured SSO connection.',
    '  mfa-setup@example.com: scan the QR code (or type the setup key) into an authenticator app; later sign-ins ask for its code.',
    '  passkey@example.com: Create a passkey after the password, sign out, then Sign in with a passkey (its pages open on localhost).',
    ...(outboxUrl ? [`  Codes and links the mock emails (email verification, magic codes): ${outboxUrl}`] : []),
  ].join('\n');
}
