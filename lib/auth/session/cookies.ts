/**
 * Every auth cookie's attributes and name, in one place: the session, the PKCE
 * verifiers (one per sign-in in progress) and the app's own (e.g.
 * lib/features/sign-in-context).
 *
 * Each is set with {@link authCookieAttributes} for the origin the request was
 * made on (config/origin.ts) and deleted with {@link expiredAuthCookie}: the same
 * Path, Domain, SameSite, Secure and HttpOnly, and an Expires in the past (Next
 * drops `Max-Age=0` when it re-parses a Set-Cookie line, which left an empty
 * cookie in the browser). authkit sets its own cookies with other attributes;
 * authkit/cookie-attributes.ts rewrites them with these.
 *
 * Names: wherever the cookies are Secure and have no Domain (https, no
 * WORKOS_COOKIE_DOMAIN), the browser keeps each under `__Host-<name>`
 * ({@link AuthCookieScope.prefix}). Browsers accept such a cookie only from the
 * host itself, without a Domain, so no other host (a sibling subdomain, a plain
 * http response) can set one the app reads. Without the prefix, another host can
 * toss in a cookie of the same name: {@link otherCopiesExpired} names the copies it
 * may have set.
 */
import { parseSetCookie as parseSetCookieLine } from 'cookie';
import { cookies, headers } from 'next/headers';
import { NextResponse } from 'next/server';
import { getDomain } from 'tldts';
import type { ZodType } from 'zod';
import { unsealDataCached } from '../authkit/seal';
import { getAuthConfig, type AuthConfig } from '../config/env';
import { configuredOrigin, requestOrigin } from '../config/origin';

/** authkit's verifier lifetime (its sealed state expires then too). */
export const VERIFIER_MAX_AGE_SECONDS = 600;
/** authkit's default session lifetime (Chrome's maximum), unless WORKOS_COOKIE_MAX_AGE says otherwise. */
const DEFAULT_SESSION_MAX_AGE_SECONDS = 60 * 60 * 24 * 400;

export type AuthCookieKind = 'session' | 'verifier' | 'app';

const HOST_PREFIX = '__Host-';

/** What decides the attributes and names of every auth cookie on one response. */
export interface AuthCookieScope {
  secure: boolean;
  domain: string | undefined;
  sameSite: AuthConfig['cookie']['sameSite'];
  sessionMaxAgeSeconds: number;
  /** `__Host-` where the cookies qualify for it (Secure, no Domain): the browser's name of each is this + the app's. */
  prefix: '' | typeof HOST_PREFIX;
  /** The host the response is for. */
  hostname: string;
}

/** A cookie as Next's cookie stores take it (`cookies().set(…)`, `response.cookies.set(…)`). */
export interface AuthCookie {
  name: string;
  value: string;
  path: '/';
  httpOnly: true;
  secure: boolean;
  sameSite: AuthConfig['cookie']['sameSite'];
  domain?: string;
  maxAge?: number;
  expires?: Date;
}

/** The part of Next's cookie store (`cookies()`) that rewriting auth cookies needs: what the browser sent, overlaid with what was set. */
export interface CookieJar {
  getAll(): Array<{ name: string; value: string }>;
  set(cookie: AuthCookie): unknown;
}

/** How long a session cookie lives: state kept for a session should not outlive it. */
export function sessionMaxAgeSeconds(config: Pick<AuthConfig, 'cookie'> = getAuthConfig()): number {
  return config.cookie.maxAgeSeconds ?? DEFAULT_SESSION_MAX_AGE_SECONDS;
}

/** Auth cookies on a response for `origin` carry `Secure` on https, and with SameSite=None (which requires it). */
export function authCookieScope(config: Pick<AuthConfig, 'redirectUri' | 'cookie'>, origin = configuredOrigin(config)): AuthCookieScope {
  const url = new URL(origin);
  const secure = url.protocol === 'https:' || config.cookie.sameSite === 'none';
  return {
    secure,
    domain: config.cookie.domain,
    sameSite: config.cookie.sameSite,
    sessionMaxAgeSeconds: sessionMaxAgeSeconds(config),
    prefix: secure && !config.cookie.domain ? HOST_PREFIX : '',
    hostname: url.hostname,
  };
}

/** The scope of the request being handled (route handlers, server actions: next/headers). */
async function currentAuthCookieScope(config: AuthConfig = getAuthConfig()): Promise<AuthCookieScope> {
  return authCookieScope(config, requestOrigin(await headers(), config));
}

/**
 * The attributes a `kind` of auth cookie is set with. The verifier must come
 * back on AuthKit's cross-site redirect to the callback, so it is never Strict
 * (authkit's own rule); the app's cookies follow it.
 */
export function authCookieAttributes(
  kind: AuthCookieKind,
  scope: AuthCookieScope,
  maxAgeSeconds?: number,
): Omit<AuthCookie, 'name' | 'value'> {
  const sameSite = kind !== 'session' && scope.sameSite === 'strict' ? 'lax' : scope.sameSite;
  const maxAge = kind === 'session' ? scope.sessionMaxAgeSeconds : kind === 'verifier' ? VERIFIER_MAX_AGE_SECONDS : maxAgeSeconds;
  return {
    path: '/',
    httpOnly: true,
    secure: scope.secure,
    sameSite,
    ...(scope.domain ? { domain: scope.domain } : {}),
    maxAge,
  };
}

/** The one way an auth cookie is deleted: exactly the attributes it was set with, and Expires in the past. */
export function expiredAuthCookie(name: string, kind: AuthCookieKind, scope: AuthCookieScope): AuthCookie {
  // No Max-Age: the deletion is the past Expires.
  const attributes = authCookieAttributes(kind, scope);
  delete attributes.maxAge;
  return { name, value: '', ...attributes, expires: new Date(0) };
}

/**
 * Expiries for the copies of cookie `name` (as the browser names it) that other
 * hosts may have set beside ours: one with a Domain on this host or a parent up
 * to its registrable domain (the public-suffix list's), other than our own
 * Domain; with `hostOnly`, a host-only one too when ours has a Domain. None for a
 * `__Host-` cookie: browsers refuse it a Domain.
 */
export function otherCopiesExpired(name: string, kind: AuthCookieKind, scope: AuthCookieScope, hostOnly: boolean): AuthCookie[] {
  if (name.startsWith(HOST_PREFIX)) return [];
  const labels = scope.hostname.split('.');
  const registrable = getDomain(scope.hostname, { allowPrivateDomains: true });
  // This host and each parent down to the registrable domain: app.example.com, example.com (none for an IP or localhost).
  const levels = registrable ? labels.length - registrable.split('.').length + 1 : 0;
  const ours = scope.domain?.replace(/^\./, '').toLowerCase();
  const domains = labels
    .slice(0, levels)
    .map((_, index) => labels.slice(index).join('.'))
    .filter((domain) => domain !== ours);
  const expired = expiredAuthCookie(name, kind, scope);
  return [...(hostOnly && ours ? [undefined] : []), ...domains].map((domain) => ({ ...expired, domain }));
}

/** A Set-Cookie line, serialised by Next's own cookie store. */
export function serializeSetCookie(cookie: AuthCookie): string {
  const response = new NextResponse(null);
  response.cookies.set(cookie);
  return response.headers.get('set-cookie') ?? '';
}

/** One Set-Cookie line, read: `deletes` when it empties the cookie or expires it now. */
export function parseSetCookie(line: string): { name: string; value: string; deletes: boolean } {
  const { name, value = '', maxAge, expires } = parseSetCookieLine(line);
  return { name, value, deletes: value === '' || maxAge === 0 || (expires !== undefined && expires.getTime() <= Date.now()) };
}

/** Replaces a response's Set-Cookie lines. */
export function replaceSetCookies(headers: Headers, lines: readonly string[]): void {
  headers.delete('set-cookie');
  for (const line of lines) headers.append('set-cookie', line);
}

/**
 * The app's own cookies are named `app-<name>` in the browser (after the `__Host-`
 * prefix where it applies): the proxy can then tell them apart from anyone
 * else's and expire the unreadable ones ({@link unreadableAppCookiesExpired}).
 */
const APP_COOKIE_NAMESPACE = 'app-';

function appCookieName(name: string, scope: AuthCookieScope): string {
  return scope.prefix + APP_COOKIE_NAMESPACE + name;
}

/** Sets one of the app's own auth cookies (route handlers, server actions). */
export async function setAppCookie(name: string, value: string, maxAgeSeconds: number): Promise<void> {
  const scope = await currentAuthCookieScope();
  (await cookies()).set({ name: appCookieName(name, scope), value, ...authCookieAttributes('app', scope, maxAgeSeconds) });
}

/** One of the app's own auth cookies as this browser sent it (a copy without the deployment's prefix is another host's). */
async function readAppCookie(name: string): Promise<string | undefined> {
  return (await cookies()).get(appCookieName(name, await currentAuthCookieScope()))?.value;
}

export async function deleteAppCookie(name: string): Promise<void> {
  const jar = await cookies();
  const scope = await currentAuthCookieScope();
  if (jar.get(appCookieName(name, scope))) jar.set(expiredAuthCookie(appCookieName(name, scope), 'app', scope));
}

/** Whether `sealed` unseals with `password` to a record (within its own expiry). Never throws. */
async function unsealsToRecord(sealed: string, password: string): Promise<unknown> {
  const data: unknown = await unsealDataCached(sealed, { password }).catch(() => undefined);
  return typeof data === 'object' && data !== null && Object.keys(data).length > 0 ? data : undefined;
}

/**
 * Set-Cookie lines expiring each app cookie of a request (proxy) that does not
 * unseal with the cookie password: garbage, forged, tampered with, another
 * password's, past its expiry. A page render cannot set cookies, so without this
 * such a cookie would stay until an action or sign-out; only the feature's reader
 * knows its schema, so an older shape of our own seal is left to it (read as absent).
 */
export async function unreadableAppCookiesExpired(
  sent: ReadonlyArray<{ name: string; value: string }>,
  scope: AuthCookieScope,
  password: string,
): Promise<string[]> {
  const ours = sent.filter(({ name }) => name.startsWith(appCookieName('', scope)));
  const unreadable = await Promise.all(ours.map(async ({ value }) => (await unsealsToRecord(value, password)) === undefined));
  return ours.filter((_, index) => unreadable[index]).map(({ name }) => serializeSetCookie(expiredAuthCookie(name, 'app', scope)));
}

/**
 * The one way the app reads its own sealed cookies (lib/features/*): what the
 * cookie seals, when it unseals with the cookie password (before the expiry it
 * was sealed with) and fits `schema`. Anything else (garbage, tampered with,
 * sealed with another password, an older shape, expired) reads as absent, and
 * the cookie is expired with {@link deleteAppCookie} where the response can
 * still set cookies (route handlers, server actions; for a page render, the
 * proxy has expired one that does not unseal, see {@link unreadableAppCookiesExpired},
 * and an older shape is ignored until sign-out or the next sign-in replaces it).
 * Never throws. Unseals are memoised per seal (the same cookie comes with every
 * request). App cookies are sealed with the cookie password: the proxy expires any other.
 */
export async function readSealedAppCookie<T>(
  name: string,
  schema: ZodType<T>,
  { password = getAuthConfig().cookiePassword } = {},
): Promise<T | null> {
  const sealed = await readAppCookie(name);
  if (!sealed) return null;
  const record = schema.safeParse(await unsealDataCached(sealed, { password }).catch(() => undefined));
  if (record.success) return record.data;
  await deleteAppCookie(name).catch(() => undefined);
  return null;
}

/** Response headers for anything personalised: no shared cache may keep it, a private one keys it on the cookie. */
export function applyPrivateCacheHeaders(headers: Headers): void {
  headers.set('cache-control', 'private, no-store, max-age=0');
  const keyedOnCookie = headers
    .get('vary')
    ?.split(',')
    .some((value) => value.trim().toLowerCase() === 'cookie');
  if (!keyedOnCookie) headers.append('vary', 'Cookie');
}
