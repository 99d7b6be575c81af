/**
 * The origin a request was made to, when the app may serve it.
 *
 * One build can serve several origins (APP_ALLOWED_ORIGINS: production, a
 * second domain, preview hosts by pattern). The authorization request's
 * redirect URI, the callback's redirect, sign-out's return_to and the auth
 * cookies' `Secure` follow the origin of the request when it is on the list,
 * and the configured redirect URI's origin otherwise.
 *
 * How the origin is read, and why it cannot be poisoned:
 * - The host is the first one present of `Forwarded: host=` (first element;
 *   a header that does not parse as RFC 7239 counts as absent),
 *   `X-Forwarded-Host` (first value) and `Host`: a proxy that names the host the
 *   browser asked for wins over the host it connected to. A host that is not a
 *   plain `name[:port]` counts as absent from the list.
 * - That host is only ever matched against the list; anything else falls back
 *   to the configured origin, so a forged header can at most pick another
 *   origin the app already serves, for the forger's own response.
 * - The scheme never comes from the request (`X-Forwarded-Proto`, `Forwarded:
 *   proto=`): it is the one the list gives that host (config.ts refuses a host
 *   listed with two schemes). Behind a TLS terminator that forwards no proto,
 *   cookies still get `Secure`.
 */
import parseForwarded from 'forwarded-parse';
import { isLoopbackHost, type AllowedOrigin } from './allowed-origins';
import { CALLBACK_PATH, type AuthConfig } from './env';

/** `name[:port]` or `[ipv6][:port]`: no user info, path, or second value. */
const HOST_HEADER = /^(?<hostname>[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::(?<port>\d{1,5}))?$/i;

const DEFAULT_PORTS: Record<AllowedOrigin['scheme'], string> = { http: '80', https: '443' };

type HeaderSource = Pick<Headers, 'get'>;

/** The `host` parameter of the first element of a `Forwarded` header; a header that is not RFC 7239 counts as absent. */
function forwardedHeaderHost(value: string | null): string | undefined {
  try {
    return value ? parseForwarded(value)[0]?.host : undefined;
  } catch {
    return undefined;
  }
}

/** The host the browser asked for, as the request's headers tell it (not yet trusted). */
export function claimedHost(headers: HeaderSource): string | undefined {
  return (
    forwardedHeaderHost(headers.get('forwarded')) ??
    headers.get('x-forwarded-host')?.split(',')[0]?.trim() ??
    headers.get('host')?.trim() ??
    undefined
  );
}

function matchesRule(rule: AllowedOrigin, hostname: string, port: string): boolean {
  if ((port || DEFAULT_PORTS[rule.scheme]) !== (rule.port || DEFAULT_PORTS[rule.scheme])) return false;
  if (rule.kind === 'exact') return hostname === rule.hostname;
  // One wildcard stands for one DNS label (no dots), at least one character long.
  if (!hostname.endsWith(`.${rule.domain}`)) return false;
  const label = hostname.slice(0, -rule.domain.length - 1);
  return (
    !label.includes('.') &&
    label.length > rule.labelPrefix.length + rule.labelSuffix.length &&
    label.startsWith(rule.labelPrefix) &&
    label.endsWith(rule.labelSuffix)
  );
}

/** The allowed origin for `host`, or undefined when the host is malformed or not on the list. */
export function allowedOriginForHost(host: string | undefined, config: Pick<AuthConfig, 'allowedOrigins'>): string | undefined {
  const match = host ? HOST_HEADER.exec(host) : null;
  if (!match?.groups) return undefined;
  const hostname = match.groups.hostname!.toLowerCase();
  const port = match.groups.port ?? '';
  const rule = config.allowedOrigins.find((candidate) => matchesRule(candidate, hostname, port));
  if (!rule) return undefined;
  const explicitPort = port && port !== DEFAULT_PORTS[rule.scheme] ? `:${port}` : '';
  return `${rule.scheme}://${hostname}${explicitPort}`;
}

/** The configured redirect URI's origin: the one used for any request not on the list. */
export function configuredOrigin(config: Pick<AuthConfig, 'redirectUri'>): string {
  return new URL(config.redirectUri).origin;
}

/**
 * The configured origin, for a request made on another loopback name of it
 * (127.0.0.1 or [::1] for localhost, same port) that is not itself allowed.
 * Cookies belong to a host name: a sign-in started there would come back to the
 * configured origin without its verifier cookie, so the proxy sends the browser
 * to the configured origin first.
 */
export function loopbackAliasTarget(headers: HeaderSource, config: Pick<AuthConfig, 'allowedOrigins' | 'redirectUri'>): string | undefined {
  const host = claimedHost(headers);
  const match = host ? HOST_HEADER.exec(host) : null;
  if (!match?.groups || allowedOriginForHost(host, config)) return undefined;
  const configured = new URL(config.redirectUri);
  // The configured host on its own port is allowed (above): only its port can differ here, and that is checked below.
  if (!isLoopbackHost(match.groups.hostname!) || !isLoopbackHost(configured.hostname)) return undefined;
  return (match.groups.port ?? '') === configured.port ? configured.origin : undefined;
}

/** The origin to serve this request on: its own when allowed, else the configured one. */
export function requestOrigin(
  request: { headers: HeaderSource } | HeaderSource,
  config: Pick<AuthConfig, 'allowedOrigins' | 'redirectUri'>,
): string {
  // next/headers' headers() is itself a Headers with a `headers` field of its own: tell them apart by `get`.
  const headers = 'get' in request ? request : request.headers;
  return allowedOriginForHost(claimedHost(headers), config) ?? configuredOrigin(config);
}

/** The callback on `origin`: the redirect URI for an authorization request made from it. */
export function redirectUriFor(origin: string): string {
  return `${origin}${CALLBACK_PATH}`;
}
