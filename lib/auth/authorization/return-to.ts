/**
 * Phase 1 — where to send the user after sign-in (and after sign-out).
 *
 * Only same-origin relative paths survive; anything else falls back. This is an
 * open-redirect guard, so it is deliberately strict: it rejects rather than
 * repairs, and it checks every percent-decoding of the value, because browsers
 * and proxies decode at different layers.
 */

export const DEFAULT_RETURN_TO = '/dashboard';

const MAX_RETURN_TO_LENGTH = 2048;
const MAX_DECODE_ROUNDS = 4;
const PROBE_ORIGIN = 'http://return-to.invalid';

// Paths that would loop back into the auth flow itself.
const AUTH_FLOW_PREFIXES = ['/auth/', '/api/auth/'];

// Control characters (CR/LF header injection, NUL, tab, DEL) and backslashes
// (browsers treat `/\evil.example` like `//evil.example`).
const FORBIDDEN_CHARACTERS = /[\u0000-\u001f\u007f\\]/;

function decodingsOf(value: string): string[] {
  const forms = [value];
  let current = value;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round += 1) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(current);
    } catch {
      // A malformed escape is not a path a person typed; treat it as hostile.
      return [...forms, '//malformed'];
    }
    if (decoded === current) break;
    forms.push(decoded);
    current = decoded;
  }
  return forms;
}

function isSafeForm(form: string): boolean {
  return (
    form.startsWith('/') &&
    !form.startsWith('//') &&
    !FORBIDDEN_CHARACTERS.test(form) &&
    !AUTH_FLOW_PREFIXES.some((prefix) => form === prefix.slice(0, -1) || form.startsWith(prefix))
  );
}

/**
 * Returns `value` normalised as `pathname + search + hash` when it is a safe
 * same-origin path, otherwise `fallback`.
 */
export function sanitizeReturnTo(value: unknown, fallback: string = DEFAULT_RETURN_TO): string {
  if (typeof value !== 'string' || value.length > MAX_RETURN_TO_LENGTH) return fallback;
  if (!decodingsOf(value).every(isSafeForm)) return fallback;

  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PROBE_ORIGIN) return fallback;

  const normalised = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can normalise into an auth path (`/x/../auth/sign-in`), or into a form whose decoding is not safe
  // (`/./%2F` → `/%2F`, which decodes to `//`): judge the normalised value as the input was judged.
  return decodingsOf(normalised).every(isSafeForm) ? normalised : fallback;
}
