/**
 * next.config.js decides, per phase, whether a missing WorkOS value stops the
 * process: `next build` may run without them behind WORKOS_BUILD_WITHOUT_CONFIG=1;
 * `next dev` and `next start` never. instrumentation.ts repeats the check in
 * every server (the standalone one never reads next.config.js).
 */
import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_BUILD, PHASE_PRODUCTION_SERVER } from 'next/constants.js';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { register } from './instrumentation';
import { formatConfigProblems, parseAuthConfig } from './lib/auth/config/env';
import { REQUIRED_VARIABLES, buildWithoutConfigHint } from './lib/auth/config/startup-check';
import nextConfig from './next.config.js';

const VALID = {
  WORKOS_CLIENT_ID: 'client_01HXYZ',
  WORKOS_API_KEY: 'sk_test_abc123',
  WORKOS_COOKIE_PASSWORD: 'x'.repeat(32),
  NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'https://app.example.com/api/auth/callback',
};

/** The one message every check prints for an environment without any WorkOS value. */
const MISSING_EVERYTHING = (() => {
  const result = parseAuthConfig({});
  if (result.ok) throw new Error('unreachable');
  return formatConfigProblems(result.problems);
})();

// What register() imports when it runs, loaded before the tests: module-level code runs outside them.
beforeAll(async () => {
  await import('./lib/auth/startup');
  await import('./lib/auth/session/revoked-sessions.ts');
});

let exit: ReturnType<typeof vi.spyOn>;
let error: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  for (const name of Object.keys(process.env)) if (/^(NEXT_PUBLIC_)?WORKOS_/.test(name)) vi.stubEnv(name, undefined);
  exit = vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    throw new Error(`exit ${code}`);
  }) as typeof process.exit);
  error = vi.spyOn(console, 'error').mockImplementation(() => {});
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

function stubEnv(env: Record<string, string>) {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
}

describe('next build', () => {
  it('runs without any WorkOS value when WORKOS_BUILD_WITHOUT_CONFIG=1, with standalone output', () => {
    stubEnv({ WORKOS_BUILD_WITHOUT_CONFIG: '1' });
    const config = nextConfig(PHASE_PRODUCTION_BUILD);
    expect(config.output).toBe('standalone');
    expect(exit).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });

  it('without the switch, stops with the one message plus how to build without the values', () => {
    expect(() => nextConfig(PHASE_PRODUCTION_BUILD)).toThrow('exit 1');
    expect(error.mock.calls).toEqual([[`\n${MISSING_EVERYTHING}\n${buildWithoutConfigHint({})}\n`]]);
  });

  it('with the switch, still stops on a value that is set but wrong', () => {
    stubEnv({ WORKOS_BUILD_WITHOUT_CONFIG: '1', WORKOS_COOKIE_PASSWORD: 'short' });
    expect(() => nextConfig(PHASE_PRODUCTION_BUILD)).toThrow('exit 1');
    expect(error.mock.calls[0]?.[0]).toContain(
      'WorkOS configuration has 1 problem:\n  • WORKOS_COOKIE_PASSWORD must be at least 32 characters',
    );
  });
});

describe.each([
  ['next start', PHASE_PRODUCTION_SERVER],
  ['next dev', PHASE_DEVELOPMENT_SERVER],
])('%s', (_name, phase) => {
  it('ignores the switch and stops with the same one message, without a stack trace', () => {
    stubEnv({ WORKOS_BUILD_WITHOUT_CONFIG: '1' });
    expect(() => nextConfig(phase)).toThrow('exit 1');
    expect(error.mock.calls).toEqual([[`\n${MISSING_EVERYTHING}\n`]]);
  });

  it('starts with a complete configuration', () => {
    stubEnv(VALID);
    expect(nextConfig(phase).output).toBe('standalone');
    expect(exit).not.toHaveBeenCalled();
  });
});

describe('instrumentation register() (every server, the standalone one included)', () => {
  it('stops the server with the same one message when a value is missing', async () => {
    stubEnv({ NEXT_RUNTIME: 'nodejs', WORKOS_BUILD_WITHOUT_CONFIG: '1' });
    await expect(register()).rejects.toThrow('exit 1');
    expect(error.mock.calls).toEqual([[`\n${MISSING_EVERYTHING}\n`]]);
  });

  it('lets a fully configured server start', async () => {
    stubEnv({ NEXT_RUNTIME: 'nodejs', ...VALID });
    await register();
    expect(exit).not.toHaveBeenCalled();
  });
});

describe('static headers', () => {
  it('send HSTS whatever the build knew about the redirect URI (browsers ignore it over plain http)', async () => {
    stubEnv({ WORKOS_BUILD_WITHOUT_CONFIG: '1' });
    const rules = await nextConfig(PHASE_PRODUCTION_BUILD).headers?.();
    const everyResponse = rules?.find((rule) => rule.source === '/:path*');
    expect(everyResponse?.headers).toContainEqual({ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' });
  });
});

it('REQUIRED_VARIABLES are the four the app cannot run without', () => {
  expect(REQUIRED_VARIABLES).toEqual(Object.keys(VALID));
});
