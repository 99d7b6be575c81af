/**
 * Server-rendered pages of the mock's hosted AuthKit. Plain HTML with a little
 * inline CSS and no external resources or scripts, so they load offline and
 * pass an axe audit: one <main> and <h1>, `lang`, every input labelled,
 * errors announced with role="alert", text contrast above WCAG AA.
 */
import escapeHtml from 'escape-html';
import type { AuthorizationRequest, OrganizationRecord, UserSeed } from './store.ts';

/** Tagged template that escapes every interpolated value unless it is already {@link SafeHtml}. */
export class SafeHtml {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((item: HtmlValue) => render(item)).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  return new SafeHtml(strings.reduce((out, string, index) => out + string + (index < values.length ? render(values[index]) : ''), ''));
}

const STYLES = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1c1b29; background: #f4f4f7; }
body { margin: 0; }
main { max-width: 26rem; margin: 2.5rem auto; padding: 2rem; background: #ffffff; border: 1px solid #d4d4dc; border-radius: 0.75rem; }
h1 { font-size: 1.5rem; margin: 0 0 0.25rem; }
h2 { font-size: 1rem; margin: 0 0 0.5rem; }
p { line-height: 1.5; }
.context { color: #45455a; margin: 0 0 1.5rem; }
form { display: grid; gap: 0.5rem; margin: 0 0 1rem; }
label { font-weight: 600; margin-top: 0.5rem; }
input[type=email], input[type=password], input[type=text] { font: inherit; padding: 0.6rem 0.7rem; border: 1px solid #6e6e80; border-radius: 0.4rem; color: #1c1b29; background: #ffffff; }
button { font: inherit; font-weight: 600; padding: 0.65rem 0.9rem; border-radius: 0.4rem; cursor: pointer; border: 1px solid #4a3aff; }
button.primary { background: #3f2ee6; color: #ffffff; border-color: #3f2ee6; margin-top: 0.75rem; }
button.secondary { background: #ffffff; color: #2a1fb0; }
button.link { background: none; border: none; color: #2a1fb0; text-decoration: underline; padding: 0; justify-self: start; }
button:focus-visible, input:focus-visible, a:focus-visible { outline: 3px solid #1c1b29; outline-offset: 2px; }
a { color: #2a1fb0; }
.divider { text-align: center; color: #45455a; margin: 0.5rem 0 1rem; }
.invitation { background: #e9f7ef; color: #14532d; border: 1px solid #9fd3b4; padding: 0.75rem; border-radius: 0.4rem; margin: 0 0 1rem; }
.alert { background: #fdeceb; color: #8a1111; border: 1px solid #e5a5a1; padding: 0.75rem; border-radius: 0.4rem; margin: 0 0 1rem; }
.demo { background: #eef0fb; border: 1px solid #c7cbef; padding: 0.75rem 1rem; border-radius: 0.4rem; margin-top: 1.5rem; font-size: 0.95rem; }
.demo ul { padding-left: 1.1rem; margin: 0.25rem 0 0; }
.demo li { margin: 0.2rem 0; }
.code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 1.4rem; letter-spacing: 0.2em; font-weight: 700; }
.notice { background: #e8f4ec; color: #14532d; border: 1px solid #9fd0ae; padding: 0.75rem; border-radius: 0.4rem; margin: 0 0 1rem; }
.choices { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.5rem; }
.choices button { width: 100%; text-align: left; }
.messages { list-style: none; padding: 0; display: grid; gap: 0.75rem; }
.messages article { border: 1px solid #d4d4dc; border-radius: 0.4rem; padding: 0.75rem; overflow-wrap: anywhere; }
.messages h3 { font-size: 1rem; margin: 0; }
.meta { color: #45455a; font-size: 0.9rem; margin: 0.25rem 0; }
select { font: inherit; padding: 0.5rem; border: 1px solid #6e6e80; border-radius: 0.4rem; background: #ffffff; color: #1c1b29; }
`;

export function page(title: string, body: SafeHtml, status = 200): Response {
  const document = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title} · Mock WorkOS</title>
        <style>
          ${new SafeHtml(STYLES)}
        </style>
      </head>
      <body>
        <main>${body}</main>
      </body>
    </html>`;
  return new Response(document.value, {
    status,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      // Pages carry one-time codes; keep them out of Referer headers.
      'Referrer-Policy': 'no-referrer',
    },
  });
}

export const requestField = (request: AuthorizationRequest) =>
  html`<input type="hidden" name="authorization_request" value="${request.id}" />`;

export const alert = (message: string | undefined) => (message ? html`<p class="alert" role="alert">${message}</p>` : '');

/** An invitation the sign-in or sign-up will accept (../handlers/hosted-invitation.ts). */
export interface InvitationView {
  email: string;
  organizationName: string | null;
  roleName: string | null;
}

function invitationNotice(invitation: InvitationView | undefined): SafeHtml | '' {
  if (!invitation) return '';
  const where = invitation.organizationName ? html` to join <strong>${invitation.organizationName}</strong>` : '';
  const role = invitation.roleName ? html` as <strong>${invitation.roleName}</strong>` : '';
  return html`<p class="invitation" role="status">
    <strong>${invitation.email}</strong> is invited${where}${role}. Continue as ${invitation.email} to accept the invitation.
  </p>`;
}

function context(organization: OrganizationRecord | undefined, fallback: string): SafeHtml {
  return organization
    ? html`<p class="context">Signing in to <strong>${organization.name}</strong>. This is the mock WorkOS: no real account is used.</p>`
    : html`<p class="context">${fallback} This is the mock WorkOS: no real account is used.</p>`;
}

export const cancelForm = (request: AuthorizationRequest) =>
  html`<form method="post" action="/authkit/cancel">
    ${requestField(request)}
    <button type="submit" class="link">Cancel</button>
  </form>`;

/** The email input, holding what the user typed or else the authorize request's login_hint (fixed for an invitation's sign-up). */
const emailField = (request: AuthorizationRequest, typed: string | undefined, autocomplete: 'username' | 'email', fixed?: string) =>
  fixed
    ? html`<label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="${autocomplete}" value="${fixed}" readonly required />`
    : html`<label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="${autocomplete}" value="${typed ?? request.loginHint ?? ''}" required />`;

/** Below the sign-in and sign-up forms: the social buttons, the link to the other one, and Cancel. */
const otherWays = (request: AuthorizationRequest, switchTo: SafeHtml) =>
  html`<p class="divider">or</p>
    ${socialForm(request)}
    <p>${switchTo}</p>
    ${cancelForm(request)}`;

function socialForm(request: AuthorizationRequest): SafeHtml {
  return html`<form method="post" action="/authkit/social">
    ${requestField(request)}
    <button type="submit" class="secondary" name="provider" value="GoogleOAuth">Continue with Google</button>
    <button type="submit" class="secondary" name="provider" value="MicrosoftOAuth">Continue with Microsoft</button>
    <button type="submit" class="secondary" name="provider" value="GitHubOAuth">Continue with GitHub</button>
  </form>`;
}

export interface DemoAccountsView {
  password: string;
  accounts: readonly Pick<UserSeed, 'email' | 'demo'>[];
}

function demoAccounts(demo: DemoAccountsView): SafeHtml {
  return html`<section class="demo" aria-labelledby="demo-accounts">
    <h2 id="demo-accounts">Demo accounts</h2>
    <p>Password for password accounts: <strong>${demo.password}</strong></p>
    <ul>
      ${demo.accounts.map((account) => html`<li><strong>${account.email}</strong> — ${account.demo?.signIn ?? 'Password'}</li>`)}
    </ul>
  </section>`;
}

export function signInPage(input: {
  request: AuthorizationRequest;
  organization: OrganizationRecord | undefined;
  demo: DemoAccountsView;
  invitation?: InvitationView;
  email?: string;
  error?: string;
  status?: number;
}): Response {
  const { request } = input;
  const signUpHref = `/authkit/sign-up?authorization_request=${encodeURIComponent(request.id)}`;
  return page(
    'Sign in',
    html`<h1>Sign in</h1>
      ${context(input.organization, 'Use a demo account below, or create one.')} ${invitationNotice(input.invitation)} ${alert(input.error)}
      <form method="post" action="/authkit/password">
        ${requestField(request)} ${emailField(request, input.email, 'username')}
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" />
        <button type="submit" class="primary">Sign in</button>
        <button type="submit" class="secondary" formaction="/authkit/magic-auth" formnovalidate>Email me a code</button>
        <button type="submit" class="secondary" formaction="/authkit/sso" formnovalidate>Continue with SSO</button>
      </form>
      <form method="get" action="/authkit/passkey/sign-in">
        ${requestField(request)}
        <button type="submit" class="secondary">Sign in with a passkey</button>
      </form>
      ${otherWays(request, html`No account yet? <a href="${signUpHref}">Create an account</a>`)} ${demoAccounts(input.demo)}`,
    input.status,
  );
}

export function signUpPage(input: {
  request: AuthorizationRequest;
  organization: OrganizationRecord | undefined;
  invitation?: InvitationView;
  values?: { email?: string; firstName?: string; lastName?: string };
  error?: string;
  status?: number;
}): Response {
  const { request, values = {} } = input;
  const signInHref = `/authkit/sign-in?authorization_request=${encodeURIComponent(request.id)}`;
  return page(
    'Create an account',
    html`<h1>Create an account</h1>
      ${context(input.organization, 'The account lives only in this mock until it restarts.')} ${invitationNotice(input.invitation)}
      ${alert(input.error)}
      <form method="post" action="/authkit/sign-up">
        ${requestField(request)} ${emailField(request, values.email, 'email', input.invitation?.email)}
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="new-password"
          minlength="8"
          aria-describedby="password-help"
          required
        />
        <p id="password-help">At least 8 characters.</p>
        <label for="first_name">First name (optional)</label>
        <input id="first_name" name="first_name" type="text" autocomplete="given-name" value="${values.firstName ?? ''}" />
        <label for="last_name">Last name (optional)</label>
        <input id="last_name" name="last_name" type="text" autocomplete="family-name" value="${values.lastName ?? ''}" />
        <button type="submit" class="primary">Create account</button>
      </form>
      ${otherWays(request, html`Already have an account? <a href="${signInHref}">Sign in</a>`)}`,
    input.status,
  );
}

export function magicCodePage(input: {
  request: AuthorizationRequest;
  email: string;
  code: string;
  error?: string;
  status?: number;
}): Response {
  const { request } = input;
  return page(
    'Enter your code',
    html`<h1>Check your email</h1>
      <p class="context">We sent a one-time code to <strong>${input.email}</strong>.</p>
      ${alert(input.error)}
      <section class="demo" aria-labelledby="demo-inbox">
        <h2 id="demo-inbox">Demo inbox</h2>
        <p>The mock has no mailbox, so here is the code it sent: <span class="code">${input.code}</span></p>
      </section>
      <form method="post" action="/authkit/magic-auth/verify">
        ${requestField(request)}
        <label for="code">Code</label>
        <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required />
        <button type="submit" class="primary">Continue</button>
      </form>
      ${cancelForm(request)}`,
    input.status,
  );
}

/**
 * What WorkOS shows when the authorize request itself is unusable (it never redirects then), or an
 * invitation link that cannot be used: `code` is the stable code a test or a person can quote.
 */
export function errorPage(
  title: string,
  message: string,
  status = 400,
  { code, link }: { code?: string; link?: { href: string; label: string } } = {},
): Response {
  return page(
    title,
    html`<h1>${title}</h1>
      <p role="alert">${message}</p>
      ${code ? html`<p>Error code: <code data-error-code="${code}">${code}</code></p>` : ''}
      ${link ? html`<p><a href="${link.href}">${link.label}</a></p>` : ''}`,
    status,
  );
}
