/**
 * The start-up check of the configuration, for `next build` and every server
 * (lib/auth/startup.ts is its door). Loaded by plain Node from next.config.js:
 * relative `.ts` imports and erasable syntax only.
 */
import { isLoopbackHost } from './allowed-origins.ts';
import { formatConfigProblems, parseAuthConfig, type ConfigProblem, type Environment } from './env.ts';

/**
 * For the start-up checks (next.config.js, instrumentation.ts): print the one
 * message, without a stack trace (the message is the whole story), and stop.
 */
function exitWithConfigProblems(problems: readonly ConfigProblem[], hint?: string): never {
  console.error(`\n${formatConfigProblems(problems)}${hint ? `\n${hint}` : ''}\n`);
  process.exit(1);
}

/**
 * Set to 1 for `next build` on a machine without the WorkOS values (a CI job,
 * a Docker image build, a preview build whose secrets exist only at run time).
 * Only `next build` reads it: `next dev`, `next start` and the standalone
 * server always require the whole configuration.
 */
export const BUILD_WITHOUT_CONFIG_SWITCH = 'WORKOS_BUILD_WITHOUT_CONFIG';

/** The variables every running server needs; a build with the switch may go without them. */
export const REQUIRED_VARIABLES = [
  'WORKOS_CLIENT_ID',
  'WORKOS_API_KEY',
  'WORKOS_COOKIE_PASSWORD',
  'NEXT_PUBLIC_WORKOS_REDIRECT_URI',
] as const;

const isUnset = (value: string | undefined) => value === undefined || value.trim() === '';

/**
 * What stops `next build`. Without the switch: every problem, as at start.
 * With it: required variables may be unset, but whatever is set is still
 * checked (a malformed value is a mistake in any build). Cross-variable rules
 * (e.g. SameSite=none needs an https redirect URI) run once the required
 * values are there, i.e. at start at the latest.
 */
export function buildConfigProblems(env: Environment): ConfigProblem[] {
  const switchValue = env[BUILD_WITHOUT_CONFIG_SWITCH]?.trim() ?? '';
  if (!['', '0', '1', 'false', 'true'].includes(switchValue)) {
    return [
      { variable: BUILD_WITHOUT_CONFIG_SWITCH, message: `must be 1 (build without the WorkOS values) or unset; got "${switchValue}".` },
    ];
  }
  const result = parseAuthConfig(env);
  if (result.ok) return [];
  if (switchValue !== '1' && switchValue !== 'true') return result.problems;
  const required: readonly string[] = REQUIRED_VARIABLES;
  return result.problems.filter((problem) => !(required.includes(problem.variable) && isUnset(env[problem.variable])));
}

/** How to build without the values, added to a build's message when one of them is missing. */
export function buildWithoutConfigHint(env: Environment): string | undefined {
  if (!REQUIRED_VARIABLES.some((variable) => isUnset(env[variable]))) return undefined;
  return `Building where the WorkOS values exist only at run time (CI, a Docker image, a preview)? Set ${BUILD_WITHOUT_CONFIG_SWITCH}=1 for \`next build\`; the server then checks them when it starts.`;
}

/**
 * The one start-up check. `build`: `next build`, which may go without the
 * WorkOS values when {@link BUILD_WITHOUT_CONFIG_SWITCH} is set (whatever is set
 * is still checked). `server`: `next dev`, `next start` and the standalone
 * server, which need the whole configuration. Prints every problem with its
 * fix, once, and exits.
 */
export function checkConfigAtStartup(phase: 'build' | 'server', env: Environment = process.env): void {
  if (phase === 'build') {
    const problems = buildConfigProblems(env);
    if (problems.length > 0) exitWithConfigProblems(problems, buildWithoutConfigHint(env));
    return;
  }
  const result = parseAuthConfig(env);
  if (!result.ok) exitWithConfigProblems(result.problems);
  const warning = listenOriginWarning(result.config.redirectUri, env);
  if (warning) console.warn(warning);
}

const ANY_HOST = new Set(['', '0.0.0.0', '::', '[::]']);

/**
 * One line when the redirect URI points at this machine but not at this server:
 * another port (`next dev -p`, PORT, or a port Next moved to because the one asked
 * for was taken) or, for the standalone server (`npm start`, the only one that
 * reads it), another host (HOSTNAME), so sign-in would come back to a refused
 * connection. Next sets PORT to the port it listens on before this runs. A
 * redirect URI on another machine is left alone: a proxy is in front.
 */
export function listenOriginWarning(redirectUri: string, env: Environment): string | undefined {
  const target = new URL(redirectUri);
  if (!isLoopbackHost(target.hostname)) return undefined;
  const targetPort = target.port || (target.protocol === 'https:' ? '443' : '80');
  const port = env.PORT?.trim() || '3000';
  const hostname = env.NODE_ENV === 'production' ? (env.HOSTNAME?.trim().toLowerCase() ?? '') : '';
  const otherHost = !ANY_HOST.has(hostname) && !isLoopbackHost(hostname);
  if (port === targetPort && !otherHost) return undefined;
  const listening = `http://${otherHost ? hostname : 'localhost'}:${port}`;
  return `Warning: NEXT_PUBLIC_WORKOS_REDIRECT_URI is ${redirectUri}, but this server listens on ${listening}: sign-in would come back to a refused connection. Start the server on port ${targetPort} (PORT=${targetPort}, or \`next dev -p ${targetPort}\`; free the port if another process holds it) or set the redirect URI to ${listening}${target.pathname} (and add it in the WorkOS dashboard).`;
}
