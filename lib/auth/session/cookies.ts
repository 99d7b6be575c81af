/**
 * Every auth cookie's attributes, in one place: the session (authkit), the PKCE
 * verifiers (authkit, `wos-auth-verifier-<hash of state>`, one per sign-in in
 * progress) and the app's own (e.g. lib/features/sign-in-context).
 *
 * authkit decides `Secure` by itself, and not from the deployment: from the
 * redirect URI inlined at build time (verifiers set in route handlers,
 * sign-out), or from the request's scheme (the session, verifiers set by the
 * proxy), which is http behind a TLS terminator that forwards no proto. So
 * every response the app produces passes its auth Set-Cookie lines through
 * {@link normaliseAuthSetCookies} (proxy and callback responses) or
 * {@link normaliseAuthCookieJar} (cookies set through next/headers in route
 * handlers and server actions; lib/auth/authkit.ts does it for authkit's
 * functions). Both rewrite each auth cookie with {@link authCookieAttributes}
 * for the origin of the request (lib/auth/origin.ts), and each deletion with
 * {@link expiredAuthCookie}: the same Path, Domain, SameSite, Secure and
 * HttpOnly it was set with, and an Expires in the past (Next drops
 * `Max-Age=0` when it re-parses a Set-Cookie line, which left an empty
 * cookie in the browser).
 *
 * Verifier cookies are also made light: authkit puts the whole sealed state
 * (~600 bytes) in each, and a burst of parallel sign-in starts (a restored
 * window of signed-out tabs) could push the browser's Cookie header past
 * Node's 16 KB limit, after which every request answers 431 for ten minutes.
 * The cookie only has to prove that this browser started the flow whose state
 * comes back, so it keeps `<issued at>.<SHA-256 of the state>` (~35 bytes);
 * the callback puts the state back before authkit compares the two
 * ({@link restoreVerifierForState}). Old ones are pruned on every proxied
 * request ({@link pruneVerifierCookies}).
 */
import { cookies, headers } from 'next/headers';
import { NextResponse } from 'next/server';
import { getAuthConfig, type AuthConfig } from '../config/env';
import { configuredOrigin, requestOrigin } from '../config/origin';

const VERIFIER_COOKIE = /^wos-auth-verifier(-|$)/;
/** authkit's verifier lifetime (its sealed state expires then too). */
export const VERIFIER_MAX_AGE_SECONDS = 600;
/** authkit's default session lifetime (Chrome's maximum), unless WORKOS_COOKIE_MAX_AGE says otherwise. */
const DEFAULT_SESSION_MAX_AGE_SECONDS = 60 * 60 * 24 * 400;
/** Sign-ins that may be pending at once (tabs); older verifiers are expired beyond it. */
export const MAX_PENDING_SIGN_INS = 5;
const UNIX_EPOCH = new Date(0);
const SEALED = /^Fe26\.2\*/;
/** `<issued at, base 36 ms>.<base64url SHA-256 of the state, 132 bits>` */
const LIGHT_VERIFIER = /^(?<issuedAt>[0-9a-z]{1,12})\.(?<digest>[A-Za-z0-9_-]{22})$/;

export type AuthCookieKind = 'session' | 'verifier' | 'app';

/** What decides the attributes of every auth cookie on one response. */
export interface AuthCookieScope {
  secure: boolean;
  domain: string | undefined;
  sameSite: AuthConfig['cookie']['sameSite'];
  sessionMaxAgeSeconds: number;
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

export function isVerifierCookie(name: string): boolean {
  return VERIFIER_COOKIE.test(name);
}

/** Whether auth cookies on a response for `origin` carry `Secure` (https, or SameSite=None which requires it). */
export function cookiesAreSecure(config: Pick<AuthConfig, 'redirectUri' | 'cookie'>, origin = configuredOrigin(config)): boolean {
  return new URL(origin).protocol === 'https:' || config.cookie.sameSite === 'none';
}

/** How long a session cookie lives: state kept for a session should not outlive it. */
export function sessionMaxAgeSeconds(config: Pick<AuthConfig, 'cookie'>): number {
  return config.cookie.maxAgeSeconds ?? DEFAULT_SESSION_MAX_AGE_SECONDS;
}

export function authCookieScope(config: Pick<AuthConfig, 'redirectUri' | 'cookie'>, origin = configuredOrigin(config)): AuthCookieScope {
  return {
    secure: cookiesAreSecure(config, origin),
    domain: config.cookie.domain,
    sameSite: config.cookie.sameSite,
    sessionMaxAgeSeconds: sessionMaxAgeSeconds(config),
  };
}

/** The scope of the request being handled (route handlers, server actions: next/headers). */
export async function currentAuthCookieScope(config: AuthConfig = getAuthConfig()): Promise<AuthCookieScope> {
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
    ...(maxAge === undefined ? {} : { maxAge }),
  };
}

/** The one way an auth cookie is deleted: exactly the attributes it was set with, and Expires in the past. */
export function expiredAuthCookie(name: string, kind: AuthCookieKind, scope: AuthCookieScope): AuthCookie {
  // No Max-Age: the deletion is the past Expires.
  const attributes = authCookieAttributes(kind, scope, undefined);
  delete attributes.maxAge;
  return { name, value: '', ...attributes, expires: UNIX_EPOCH };
}

/** A Set-Cookie line, serialised by Next's own cookie store. */
export function serializeSetCookie(cookie: AuthCookie): string {
  const response = new NextResponse(null);
  response.cookies.set(cookie);
  return response.headers.get('set-cookie') ?? '';
}

/** Sets or deletes one of the app's own auth cookies (route handlers, server actions). */
export async function setAppCookie(name: string, value: string, maxAgeSeconds: number): Promise<void> {
  const scope = await currentAuthCookieScope();
  (await cookies()).set({ name, value, ...authCookieAttributes('app', scope, maxAgeSeconds) });
}

export async function deleteAppCookie(name: string): Promise<void> {
  const jar = await cookies();
  if (!jar.get(name)) return;
  jar.set(expiredAuthCookie(name, 'app', await currentAuthCookieScope()));
}

// ── verifier cookies: light values and pruning ─────────────────────────────

async function stateDigest(state: string): Promise<string> {
  const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(state));
  return Buffer.from(hash).toString('base64url').slice(0, 22);
}

/** The light value kept in a verifier cookie for `state`. */
export async function lightVerifierValue(state: string, now = Date.now()): Promise<string> {
  return `${now.toString(36)}.${await stateDigest(state)}`;
}

/** When a verifier was issued: from its light value, or from the expiry iron sealed into a full state. */
function verifierIssuedAt(value: string): number {
  const light = LIGHT_VERIFIER.exec(value);
  if (light?.groups) return parseInt(light.groups.issuedAt!, 36);
  const expiration = Number(value.split('*')[5]);
  return SEALED.test(value) && Number.isFinite(expiration) ? expiration - VERIFIER_MAX_AGE_SECONDS * 1000 : 0;
}

/** True when a verifier cookie's value stands for `state` (a light value, or the state itself). */
export async function verifierMatchesState(value: string, state: string): Promise<boolean> {
  if (value === state) return true;
  const digest = LIGHT_VERIFIER.exec(value)?.groups?.digest;
  return digest !== undefined && digest === (await stateDigest(state));
}

/**
 * Before authkit's callback runs: the verifier cookie that stands for `state`
 * carries the state again, as authkit compares the two for equality.
 */
export async function restoreVerifierForState(
  requestCookies: { getAll(): Array<{ name: string; value: string }>; set(name: string, value: string): unknown },
  state: string | null,
): Promise<void> {
  if (!state) return;
  for (const { name, value } of requestCookies.getAll()) {
    if (isVerifierCookie(name) && value !== state && (await verifierMatchesState(value, state))) requestCookies.set(name, state);
  }
}

/**
 * Names of verifier cookies to expire so that at most {@link MAX_PENDING_SIGN_INS}
 * remain once `adding` new ones are set: the oldest go first.
 */
export function verifiersToExpire(requestCookies: ReadonlyArray<{ name: string; value: string }>, adding = 0): string[] {
  const pending = requestCookies.filter(({ name }) => isVerifierCookie(name));
  const excess = pending.length + adding - MAX_PENDING_SIGN_INS;
  if (excess <= 0) return [];
  return pending
    .map(({ name, value }) => ({ name, issuedAt: verifierIssuedAt(value) }))
    .sort((a, b) => a.issuedAt - b.issuedAt)
    .slice(0, excess)
    .map(({ name }) => name);
}

// ── normalising what authkit set ───────────────────────────────────────────

interface SetCookieLine {
  name: string;
  value: string;
  deletes: boolean;
}

function parseSetCookieLine(line: string): SetCookieLine {
  const [pair = ''] = line.split(';', 1);
  const separator = pair.indexOf('=');
  const name = pair.slice(0, separator).trim();
  const value = pair.slice(separator + 1).trim();
  const expires = /;\s*expires=([^;]+)/i.exec(line)?.[1];
  const deletes = value === '' || /;\s*max-age=0\s*(;|$)/i.test(line) || (expires !== undefined && Date.parse(expires) <= Date.now());
  return { name, value, deletes };
}

/** The session cookie, or a numbered part of it (`<name>.0`, `<name>-1`, `<name>_2`) should it be split. */
function isSessionCookie(name: string, config: Pick<AuthConfig, 'cookie'>): boolean {
  return (
    name === config.cookie.name || (name.startsWith(config.cookie.name) && /^[._-]\d{1,2}$/.test(name.slice(config.cookie.name.length)))
  );
}

function authCookieKind(name: string, config: Pick<AuthConfig, 'cookie'>): AuthCookieKind | undefined {
  if (isSessionCookie(name, config)) return 'session';
  return isVerifierCookie(name) ? 'verifier' : undefined;
}

/** The canonical form of an auth cookie that authkit set or deleted. */
async function canonicalAuthCookie(
  kind: AuthCookieKind,
  name: string,
  value: string,
  deletes: boolean,
  scope: AuthCookieScope,
): Promise<AuthCookie> {
  if (deletes) return expiredAuthCookie(name, kind, scope);
  const stored = kind === 'verifier' && SEALED.test(value) ? await lightVerifierValue(value) : value;
  return { name, value: stored, ...authCookieAttributes(kind, scope) };
}

/**
 * Rewrites the session and verifier Set-Cookie lines of a response (the proxy's,
 * the callback's) with the attributes of `scope`; other cookies are left as they are.
 */
export async function normaliseAuthSetCookies(
  responseHeaders: Headers,
  config: Pick<AuthConfig, 'cookie'>,
  scope: AuthCookieScope,
): Promise<void> {
  const lines = responseHeaders.getSetCookie();
  if (lines.length === 0) return;
  const rewritten = await Promise.all(
    lines.map(async (line) => {
      const { name, value, deletes } = parseSetCookieLine(line);
      const kind = authCookieKind(name, config);
      return kind ? serializeSetCookie(await canonicalAuthCookie(kind, name, value, deletes, scope)) : line;
    }),
  );
  responseHeaders.delete('set-cookie');
  for (const line of rewritten) responseHeaders.append('set-cookie', line);
}

/**
 * Expires the oldest verifier cookies beyond {@link MAX_PENDING_SIGN_INS}, counting
 * the ones this response sets. Run on every proxied request: one burst of
 * parallel starts is cleaned up by the browser's next request.
 */
export function pruneVerifierCookies(
  requestCookies: ReadonlyArray<{ name: string; value: string }>,
  responseHeaders: Headers,
  scope: AuthCookieScope,
): void {
  const lines = responseHeaders.getSetCookie().map(parseSetCookieLine);
  const setting = lines.filter((line) => isVerifierCookie(line.name) && !line.deletes).length;
  const deleting = new Set(lines.filter((line) => line.deletes).map((line) => line.name));
  const remaining = requestCookies.filter(({ name }) => !deleting.has(name));
  for (const name of verifiersToExpire(remaining, setting)) {
    responseHeaders.append('set-cookie', serializeSetCookie(expiredAuthCookie(name, 'verifier', scope)));
  }
}

/** The part of next/headers' cookie store that normalising needs. */
interface CookieJar {
  getAll(): Array<{ name: string; value: string }>;
  set(cookie: AuthCookie): unknown;
}

/**
 * The same as {@link normaliseAuthSetCookies} for cookies set through
 * next/headers (`cookies().set/delete`) in a route handler or server action:
 * each session or verifier cookie whose value differs from the request's was
 * written here, and is written again with the attributes of `scope`.
 */
export async function normaliseAuthCookieJar(
  jar: CookieJar,
  requestCookies: ReadonlyArray<{ name: string; value: string }>,
  config: Pick<AuthConfig, 'cookie'>,
  scope: AuthCookieScope,
): Promise<void> {
  const sent = new Map(requestCookies.map(({ name, value }) => [name, value]));
  for (const { name, value } of jar.getAll()) {
    const kind = authCookieKind(name, config);
    if (!kind || sent.get(name) === value) continue;
    jar.set(await canonicalAuthCookie(kind, name, value, value === '', scope));
  }
}

/** Parses a Cookie request header into name/value pairs. */
export function parseCookieHeader(header: string | null): Array<{ name: string; value: string }> {
  if (!header) return [];
  return header
    .split(';')
    .map((pair) => {
      const separator = pair.indexOf('=');
      return { name: pair.slice(0, separator).trim(), value: pair.slice(separator + 1).trim() };
    })
    .filter(({ name }) => name !== '');
}

/** {@link normaliseAuthCookieJar} for the request being handled (next/headers). */
export async function normaliseAuthCookiesOfThisRequest(config: AuthConfig = getAuthConfig()): Promise<void> {
  const requestHeaders = await headers();
  const scope = authCookieScope(config, requestOrigin(requestHeaders, config));
  await normaliseAuthCookieJar(await cookies(), parseCookieHeader(requestHeaders.get('cookie')), config, scope);
}
