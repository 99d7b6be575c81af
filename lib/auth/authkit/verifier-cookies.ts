/**
 * Light, pruned PKCE verifier cookies.
 *
 * What authkit does: each sign-in start sets `wos-auth-verifier-<hash of state>`
 * holding the whole sealed state (~600 bytes) for 10 minutes, never prunes them,
 * and at the callback deletes only the one named after the returned state. A
 * burst of parallel starts (a restored window of signed-out tabs) can push the
 * browser's Cookie header past Node's 16 KB limit, after which every request
 * answers 431 for ten minutes, before the app can clean anything up.
 * What we need: the cookie only has to prove that this browser started the flow
 * whose state comes back, so it keeps `<issued at>.<SHA-256 of the state>`
 * (~35 bytes) and the callback puts the state back before authkit compares the
 * two ({@link restoreVerifierForState}); at most {@link MAX_PENDING_SIGN_INS}
 * are kept, the oldest expired first, on every response that could add one. A
 * failed callback expires only the one its state names (authkit's own deletion):
 * another site can send the browser there, and must not end the sign-ins of other tabs.
 * Concerns: authkit-nextjs 4.3.2 (verifier cookie per state since 3.0).
 * Delete this file when authkit-nextjs keeps a small verifier and prunes old ones.
 */
import { cookies } from 'next/headers';
import { sealExpiry } from './seal';
import { expiredAuthCookie, parseSetCookie, serializeSetCookie, VERIFIER_MAX_AGE_SECONDS, type AuthCookieScope } from '../session/cookies';

const VERIFIER_COOKIE = /^wos-auth-verifier(-|$)/;
/** Sign-ins that may be pending at once (tabs); older verifiers are expired beyond it. */
export const MAX_PENDING_SIGN_INS = 5;
const SEALED = /^Fe26\.2\*/;
/** `<issued at, base 36 ms>.<base64url SHA-256 of the state, 132 bits>` */
const LIGHT_VERIFIER = /^(?<issuedAt>[0-9a-z]{1,12})\.(?<digest>[A-Za-z0-9_-]{22})$/;

type RequestCookie = { name: string; value: string };

export function isVerifierCookie(name: string): boolean {
  return VERIFIER_COOKIE.test(name);
}

async function stateDigest(state: string): Promise<string> {
  const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(state));
  return Buffer.from(hash).toString('base64url').slice(0, 22);
}

/** The light value kept in a verifier cookie for `state`. */
export async function lightVerifierValue(state: string, now = Date.now()): Promise<string> {
  return `${now.toString(36)}.${await stateDigest(state)}`;
}

/** What a verifier cookie keeps of what authkit set in it: a sealed state made light, anything else as it is. */
export async function storedVerifierValue(value: string): Promise<string> {
  return SEALED.test(value) ? lightVerifierValue(value) : value;
}

/** When a verifier was issued: from its light value, or from the expiry iron sealed into a full state. */
function verifierIssuedAt(value: string): number {
  const light = LIGHT_VERIFIER.exec(value);
  if (light?.groups) return parseInt(light.groups.issuedAt!, 36);
  const expiration = SEALED.test(value) ? sealExpiry(value) : undefined;
  return expiration === undefined ? 0 : expiration - VERIFIER_MAX_AGE_SECONDS * 1000;
}

/** True when a verifier cookie's value stands for `state` (a light value, or the state itself). */
export async function verifierMatchesState(value: string, state: string): Promise<boolean> {
  if (value === state) return true;
  return LIGHT_VERIFIER.exec(value)?.groups?.digest === (await stateDigest(state));
}

/**
 * A callback the app answers without authkit (the provider sent back an `error`): the
 * deletion of the verifier that stands for its `state`, as authkit would write it (others'
 * sign-ins go on). No state, or one of no pending sign-in: nothing.
 */
export async function verifierOfStateExpired(requestCookies: readonly RequestCookie[], state: string | null): Promise<string[]> {
  if (!state) return [];
  const lines: string[] = [];
  for (const { name, value } of requestCookies) {
    if (isVerifierCookie(name) && (await verifierMatchesState(value, state))) lines.push(`${name}=; Path=/; Max-Age=0`);
  }
  return lines;
}

/**
 * Before authkit's callback runs: the verifier cookie that stands for `state`
 * carries the state again, as authkit compares the two for equality.
 */
export async function restoreVerifierForState(
  requestCookies: { getAll(): RequestCookie[]; set(name: string, value: string): unknown },
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
export function verifiersToExpire(requestCookies: readonly RequestCookie[], adding = 0): string[] {
  const pending = requestCookies.filter(({ name }) => isVerifierCookie(name));
  const excess = pending.length + adding - MAX_PENDING_SIGN_INS;
  if (excess <= 0) return [];
  return pending
    .map(({ name, value }) => ({ name, issuedAt: verifierIssuedAt(value) }))
    .sort((a, b) => a.issuedAt - b.issuedAt)
    .slice(0, excess)
    .map(({ name }) => name);
}

/**
 * The proxy's response: expires the oldest verifier cookies beyond the cap,
 * counting the ones it sets. One burst of parallel starts is cleaned up by the
 * browser's next request.
 */
export function pruneVerifierCookies(requestCookies: readonly RequestCookie[], responseHeaders: Headers, scope: AuthCookieScope): void {
  const lines = responseHeaders.getSetCookie().map(parseSetCookie);
  const setting = lines.filter((line) => isVerifierCookie(line.name) && !line.deletes).length;
  const deleting = new Set(lines.filter((line) => line.deletes).map((line) => line.name));
  const remaining = requestCookies.filter(({ name }) => !deleting.has(name));
  for (const name of verifiersToExpire(remaining, setting)) {
    responseHeaders.append('set-cookie', serializeSetCookie(expiredAuthCookie(name, 'verifier', scope)));
  }
}

/** /auth/sign-in (a route handler): makes room for the verifier it is about to set. */
export async function prunePendingSignIns(requestCookies: readonly RequestCookie[], scope: AuthCookieScope): Promise<void> {
  const jar = await cookies();
  for (const name of verifiersToExpire(requestCookies, 1)) jar.set(expiredAuthCookie(name, 'verifier', scope));
}
