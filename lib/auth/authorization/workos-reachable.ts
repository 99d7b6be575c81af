/**
 * In development only: before sending the browser to WorkOS (or the mock),
 * check that its API host answers at all. When it does not, the browser would
 * end on its own can't-connect page with nothing in the server log; instead the
 * developer gets a page naming the host and how to start the mock, and one log line.
 */
import type { AuthConfig } from '../config/env';
import { logAuthEvent } from '../errors/log';

const PROBE_TIMEOUT_MS = 1_000;
/** A host that answered is not asked again for this long; one that did not is asked again on the next sign-in. */
const ANSWERED_TTL_MS = 10_000;

let answered: { origin: string; until: number } | undefined;

/** Whether anything answers HTTP at `origin` within a second (any status counts: only a connection matters). */
export async function workosAnswers(origin: string): Promise<boolean> {
  if (answered?.origin === origin && Date.now() < answered.until) return true;
  try {
    await fetch(origin, { method: 'HEAD', cache: 'no-store', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    answered = { origin, until: Date.now() + ANSWERED_TTL_MS };
    return true;
  } catch {
    return false;
  }
}

/**
 * The 503 page for a WorkOS host that does not answer. The host comes from the
 * validated config (a bare host name or IP and a port), and `retryPath` from a
 * URL's serialisation, which percent-encodes `"`, `<` and `>`: only `&` needs escaping.
 */
function workosUnreachablePage({ api }: Pick<AuthConfig, 'api'>, retryPath: string): Response {
  const remedy = api.isLoopback
    ? '<p>It is the mock WorkOS. Start it in another terminal with <code>npm run mock</code> (it listens on ' +
      '<code>MOCK_WORKOS_PORT</code>, default 4010), or stop this server and run <code>npm run dev:mock</code>, which starts the mock and the app together.</p>'
    : '<p>Check this machine’s network connection, and any proxy or firewall between it and WorkOS.</p>';
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>WorkOS is not answering</title></head>
<body><main>
<h1>WorkOS is not answering</h1>
<p>Sign-in goes to <code>${api.origin}</code> (<code>WORKOS_API_HOSTNAME</code>, <code>WORKOS_API_PORT</code>), and nothing answered there within a second.</p>
${remedy}
<p><a href="${retryPath.replaceAll('&', '&amp;')}">Try again</a></p>
</main></body></html>`;
  return new Response(body, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}

/** Development only: the page above when the WorkOS host does not answer, logged once per sign-in attempt; undefined otherwise. */
export async function checkWorkOSInDevelopment(config: Pick<AuthConfig, 'api' | 'isDevelopment'>, retryPath: string) {
  if (!config.isDevelopment || (await workosAnswers(config.api.origin))) return undefined;
  logAuthEvent({ event: 'workos_unreachable', origin: config.api.origin });
  return workosUnreachablePage(config, retryPath);
}
