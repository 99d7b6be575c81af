/**
 * APP_ALLOWED_ORIGINS: the origins one build may serve, parsed and checked
 * (config/origin.ts matches requests against them). Loaded by plain Node too
 * (next.config.js, the mock): package imports only, erasable syntax only.
 */
import { getPublicSuffix } from 'tldts';

/** True for names and literals that can only reach this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  const octets = host.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255);
}

/**
 * One entry of APP_ALLOWED_ORIGINS: an exact origin, or a pattern whose first
 * host label holds one `*` standing for one DNS label (preview hosts).
 */
export type AllowedOrigin =
  | { kind: 'exact'; scheme: 'http' | 'https'; hostname: string; port: string; entry: string }
  | { kind: 'pattern'; scheme: 'http' | 'https'; labelPrefix: string; labelSuffix: string; domain: string; port: string; entry: string };

const ORIGIN_EXAMPLE = 'e.g. https://app.example.com or https://*-acme.vercel.app';
const DNS_LABEL = /^[a-z0-9-]+$/;
const WILDCARD_LABEL = /^(?<prefix>[a-z0-9-]*)\*(?<suffix>[a-z0-9-]*)$/;

/** One entry, or what is wrong with it. URL parsing reads patterns too: a `*` is allowed in a host. */
function parseOrigin(entry: string): AllowedOrigin | string {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return `"${entry}" is not an origin (${ORIGIN_EXAMPLE}).`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `"${entry}" must use http or https.`;
  // Judged on the text, not the parsed URL: the parser also reads `https:host` as an origin, and drops a path of dot
  // segments (`/a/..`, `\.`) and control characters at either end.
  if (!/^https?:\/\/[^\u0000-\u0020/\\?#@]+\/?$/i.test(entry)) {
    return `"${entry}" must be an origin only: scheme, host and optional port, no path, query or user name (${ORIGIN_EXAMPLE}).`;
  }
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  const [first = '', ...rest] = url.hostname.split('.');
  const wildcard = WILDCARD_LABEL.exec(first)?.groups;
  if (entry.includes('*')) {
    if (url.hostname.split('*').length > 2)
      return `"${entry}" has more than one "*": a pattern has exactly one wildcard, in its first label (${ORIGIN_EXAMPLE}).`;
    if (!wildcard || rest.some((label) => !DNS_LABEL.test(label))) {
      return `"${entry}": the "*" must be inside the first label of the host and stand for one label (${ORIGIN_EXAMPLE}).`;
    }
    if (rest.length < 2)
      return `"${entry}" needs at least two fixed labels after the wildcard label (https://*.example.com, not https://*.com).`;
  }
  const domain = wildcard ? rest.join('.') : url.hostname;
  // The public-suffix list's private section too (vercel.app, github.io): each name under it belongs to someone else.
  if (wildcard && !wildcard.prefix && !wildcard.suffix && getPublicSuffix(domain, { allowPrivateDomains: true }) === domain) {
    const safe = `${scheme}://*-acme.${domain}${url.port ? `:${url.port}` : ''}`;
    return `"${entry}": ${domain} is a public suffix: anyone can serve a host that matches. Use a pattern with a part only you control, e.g. ${safe}.`;
  }
  if (scheme === 'http' && !isLoopbackHost(domain)) {
    return `"${entry}" must use https unless it is a loopback address: session cookies would travel over plain HTTP.`;
  }
  const port = url.port;
  return wildcard
    ? { kind: 'pattern', scheme, labelPrefix: wildcard.prefix ?? '', labelSuffix: wildcard.suffix ?? '', domain, port, entry }
    : { kind: 'exact', scheme, hostname: domain, port, entry };
}

const withinDomain = (hostname: string, domain: string) => hostname === domain || hostname.endsWith(`.${domain}`);
const effectivePort = (origin: AllowedOrigin) => origin.port || (origin.scheme === 'https' ? '443' : '80');
const hostKey = (origin: AllowedOrigin) =>
  origin.kind === 'exact'
    ? `${origin.hostname}:${effectivePort(origin)}`
    : `${origin.labelPrefix}*${origin.labelSuffix}.${origin.domain}:${effectivePort(origin)}`;

/**
 * Pure: APP_ALLOWED_ORIGINS (comma- or space-separated) plus the redirect URI's
 * own origin, which is always allowed and listed first. Every problem is
 * reported, each naming its entry.
 */
export function parseAllowedOrigins(
  value: string | undefined,
  { redirectUri, cookieDomain }: { redirectUri: string; cookieDomain?: string },
): { origins: AllowedOrigin[]; problems: string[] } {
  const problems: string[] = [];
  const configured = parseOrigin(new URL(redirectUri).origin);
  const origins: AllowedOrigin[] = typeof configured === 'string' ? [] : [configured];
  for (const entry of (value ?? '').split(/[\s,]/).filter(Boolean)) {
    const parsed = parseOrigin(entry);
    if (typeof parsed === 'string') {
      problems.push(parsed);
      continue;
    }
    const sameHost = origins.find((origin) => hostKey(origin) === hostKey(parsed));
    if (sameHost && sameHost.scheme !== parsed.scheme) {
      problems.push(
        `lists ${hostKey(parsed)} with both http and https ("${sameHost.entry}", "${entry}"): list each host once, with the scheme it is served on.`,
      );
      continue;
    }
    if (sameHost) continue;
    const domain = cookieDomain?.replace(/^\./, '').toLowerCase();
    if (domain && !withinDomain(parsed.kind === 'exact' ? parsed.hostname : parsed.domain, domain)) {
      problems.push(
        `"${entry}" is outside WORKOS_COOKIE_DOMAIN (${domain}): browsers would refuse its session cookie. Remove the entry or the cookie domain.`,
      );
      continue;
    }
    origins.push(parsed);
  }
  return { origins, problems };
}
