/**
 * Signs in through the mock's hosted AuthKit flow over plain HTTP — the same
 * requests a browser makes, without the browser — so load tests can create
 * hundreds of real sessions in seconds:
 *
 *   GET  {app}/auth/sign-in?returnTo=…      (on 127.0.0.1: 307 → the same on localhost, then)
 *                                           303 → mock authorize (+ PKCE verifier cookie)
 *   GET  {mock}/user_management/authorize   302 → hosted sign-in page
 *   POST {mock}/authkit/password            302 → {redirect_uri}?code&state
 *   GET  {app}/api/auth/callback            307 → returnTo (+ sealed session cookie)
 */
import { CookieJar, SESSION_COOKIE } from './cookies.ts';

export interface HttpSignInOptions {
  /** Where to send the app's requests, e.g. http://127.0.0.1:3001 (a direct instance or a load balancer). */
  appUrl: string;
  /** Where the callback request goes; defaults to appUrl. The redirect URI's own origin is only a name. */
  callbackUrl?: string;
  email: string;
  password: string;
  returnTo?: string;
}

export interface HttpSignIn {
  jar: CookieJar;
  /** Path the callback redirected to. */
  landedOn: string;
}

/** The same path and query on another origin (we talk to 127.0.0.1; the app names itself localhost). */
function onOrigin(url: string, origin: string): string {
  const parsed = new URL(url);
  return new URL(`${parsed.pathname}${parsed.search}`, origin).toString();
}

async function expectRedirect(response: Response, step: string): Promise<string> {
  const body = await response.text();
  const location = response.headers.get('location');
  if (response.status < 300 || response.status >= 400 || !location) {
    throw new Error(`sign-in ${step}: expected a redirect, got ${response.status} ${body.slice(0, 200)}`);
  }
  return location;
}

export async function signInOverHttp({
  appUrl,
  callbackUrl = appUrl,
  email,
  password,
  returnTo = '/dashboard',
}: HttpSignInOptions): Promise<HttpSignIn> {
  const jar = new CookieJar();
  const timeout = () => AbortSignal.timeout(15_000);

  let start = await fetch(new URL(`/auth/sign-in?${new URLSearchParams({ returnTo })}`, appUrl), {
    redirect: 'manual',
    signal: timeout(),
  });
  // On 127.0.0.1 the app first sends sign-in to the origin it names itself (localhost): take that hop.
  const ownOrigin = start.status === 307 ? start.headers.get('location') : null;
  if (ownOrigin) start = await fetch(ownOrigin, { redirect: 'manual', signal: timeout() });
  jar.apply(start);
  const authorizeUrl = await expectRedirect(start, 'start');

  const authorize = await fetch(authorizeUrl, { redirect: 'manual', signal: timeout() });
  const hostedPage = new URL(await expectRedirect(authorize, 'authorize'), authorizeUrl);
  const authorizationRequest = hostedPage.searchParams.get('authorization_request');
  if (!authorizationRequest) throw new Error(`sign-in authorize: no authorization_request in ${hostedPage}`);

  const submit = await fetch(new URL('/authkit/password', hostedPage), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ authorization_request: authorizationRequest, email, password }),
    signal: timeout(),
  });
  const callback = await expectRedirect(submit, 'password');
  if (!new URL(callback).searchParams.has('code')) throw new Error(`sign-in password: no code in ${callback}`);

  const finish = await fetch(onOrigin(callback, callbackUrl), { redirect: 'manual', headers: { cookie: jar.header() }, signal: timeout() });
  jar.apply(finish);
  const landedOn = new URL(await expectRedirect(finish, 'callback'), callbackUrl).pathname;
  if (!jar.has(SESSION_COOKIE)) throw new Error('sign-in callback: no session cookie was set');
  return { jar, landedOn };
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  });
  await Promise.all(workers);
  return results;
}
