/**
 * Phase 0 — configuration.
 *
 * The one place that reads the WORKOS_* environment. Every rule lives here, is
 * unit-tested, and reports *all* problems at once with the fix for each, so a
 * person setting the app up fixes their `.env.local` in one pass.
 *
 * Validated at `next build` and at server start (see next.config.js and
 * instrumentation.ts), never lazily on the first request. A build made without
 * the WorkOS values ({@link BUILD_WITHOUT_CONFIG_SWITCH}) skips only the
 * missing-value problems; the server still refuses to start until all is well.
 *
 * This file is also imported by next.config.js through Node's own TypeScript
 * support, so it may only import packages (no `@/` aliases) and must use
 * erasable TypeScript syntax.
 */
import { z } from 'zod';
import { isLoopbackHost, parseAllowedOrigins, type AllowedOrigin } from './allowed-origins.ts';

/** The callback route (app/api/auth/callback/route.ts); the redirect URI must point at it. */
export const CALLBACK_PATH = '/api/auth/callback';

const WORKOS_API_HOST = 'api.workos.com';
/** iron-session refuses shorter passwords; scripts/dev-mock.ts generates one this long. */
export const MIN_COOKIE_PASSWORD_LENGTH = 32;
/** A host name or IP literal, without scheme, port or path. */
const BARE_HOSTNAME = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+|[0-9a-fA-F:]+)$/;

const HOW_TO_GET_AN_ACCOUNT_FREE_RUN = 'or run `npm run dev:mock` to try the app without a WorkOS account';

/** What .env.example ships (client_01XXXX…, sk_test_XXXX…): well-formed, so without this rule they would reach WorkOS. */
const EXAMPLE_PLACEHOLDER = /^(client_01|sk_test_)X+$/;
const isNotThePlaceholder = (value: string) => !EXAMPLE_PLACEHOLDER.test(value);
const placeholderMessage = (what: string) =>
  `is the placeholder from .env.example, not a real ${what}. Copy yours from the WorkOS dashboard → API Keys, ${HOW_TO_GET_AN_ACCOUNT_FREE_RUN}.`;

/** api.workos.com, or another WorkOS host under workos.com. */
function isWorkOSHost(hostname: string): boolean {
  return hostname.toLowerCase().endsWith('.workos.com');
}

/** An optional variable; an empty string (as left by `FOO=` in .env files) counts as unset. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema.optional());

const envSchema = z
  .object({
    WORKOS_CLIENT_ID: z
      .string({
        error: 'is missing. Copy the Client ID (client_…) from the WorkOS dashboard → API Keys, ' + HOW_TO_GET_AN_ACCOUNT_FREE_RUN + '.',
      })
      .regex(/^client_[A-Za-z0-9]+$/, {
        error: 'must look like client_01H… — copy the Client ID from the WorkOS dashboard → API Keys.',
      })
      .refine(isNotThePlaceholder, { error: placeholderMessage('Client ID') }),
    WORKOS_API_KEY: z
      .string({
        error: 'is missing. Create a secret key (sk_…) in the WorkOS dashboard → API Keys, ' + HOW_TO_GET_AN_ACCOUNT_FREE_RUN + '.',
      })
      .regex(/^sk_[A-Za-z0-9_]+$/, {
        error: 'must be a secret key starting with sk_ — copy it from the WorkOS dashboard → API Keys.',
      })
      .refine(isNotThePlaceholder, { error: placeholderMessage('secret key') }),
    WORKOS_COOKIE_PASSWORD: z
      .string({
        error: `is missing. Generate one with \`openssl rand -base64 32\` (at least ${MIN_COOKIE_PASSWORD_LENGTH} characters).`,
      })
      .min(MIN_COOKIE_PASSWORD_LENGTH, {
        error: (issue) =>
          `must be at least ${MIN_COOKIE_PASSWORD_LENGTH} characters (it has ${String((issue.input as string).length)}). Generate one with \`openssl rand -base64 32\`.`,
      }),
    NEXT_PUBLIC_WORKOS_REDIRECT_URI: z
      .string({
        error: `is missing. Set it to your app's callback, e.g. http://localhost:3000${CALLBACK_PATH}, and add the same URI under Redirects in the WorkOS dashboard.`,
      })
      .superRefine((value, ctx) => {
        let url: URL;
        try {
          url = new URL(value);
        } catch {
          ctx.addIssue({ code: 'custom', message: `must be an absolute URL such as http://localhost:3000${CALLBACK_PATH}.` });
          return;
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:') {
          ctx.addIssue({ code: 'custom', message: 'must use http or https.' });
          return;
        }
        if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
          ctx.addIssue({
            code: 'custom',
            message: 'must use https unless it points at localhost: session cookies would be sent over plain HTTP.',
          });
        }
        if (url.pathname !== CALLBACK_PATH || url.search || url.hash) {
          ctx.addIssue({
            code: 'custom',
            message: `must point at this app's callback route ${CALLBACK_PATH} (got "${url.pathname}"), e.g. ${url.origin}${CALLBACK_PATH}.`,
          });
        }
      }),
    WORKOS_COOKIE_NAME: optional(z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'may only contain letters, digits, "-" and "_".' })),
    WORKOS_COOKIE_DOMAIN: optional(
      z.string().regex(/^\.?[A-Za-z0-9.-]+$/, { error: 'must be a bare domain such as example.com (no scheme, port or path).' }),
    ),
    WORKOS_COOKIE_MAX_AGE: optional(
      z.string().regex(/^[1-9]\d*$/, { error: 'must be a whole number of seconds greater than 0, e.g. 2592000 for 30 days.' }),
    ),
    WORKOS_COOKIE_SAMESITE: optional(
      z.enum(['lax', 'strict', 'none'], { error: 'must be one of lax, strict or none (lax is the default and what AuthKit expects).' }),
    ),
    WORKOS_API_HOSTNAME: optional(
      z.string().regex(BARE_HOSTNAME, {
        error: 'must be a bare host name such as api.workos.com (no scheme, port or path).',
      }),
    ),
    WORKOS_API_PORT: optional(
      z.string().refine((value) => /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535, {
        error: 'must be a port number between 1 and 65535.',
      }),
    ),
    WORKOS_API_HTTPS: optional(z.enum(['true', 'false'], { error: 'must be true or false.' })),
    APP_ALLOWED_ORIGINS: optional(z.string()),
    // demo:start webhooks
    // Never echoed: it signs the webhooks WorkOS sends (the demo's route, lib/features/webhooks/).
    WORKOS_WEBHOOK_SECRET: optional(
      z
        .string()
        .regex(/^[^\s"']+$/, {
          error: 'may not contain spaces or quotes: copy the secret exactly as the WorkOS dashboard → Webhooks shows it for your endpoint.',
        })
        .refine((value) => !/^whsec_X+$/.test(value), {
          error:
            'is the placeholder from .env.example. Copy your endpoint’s secret from the WorkOS dashboard → Webhooks, or leave it unset.',
        }),
    ),
    // demo:end webhooks
    REDIS_URL: optional(
      z.string().superRefine((value, ctx) => {
        // Never echo the value: a Redis URL usually carries a password.
        const example =
          'e.g. redis://localhost:6379 or rediss://default:PASSWORD@your-redis-host:6379, or leave it unset to run without Redis';
        let url: URL;
        try {
          url = new URL(value);
        } catch {
          ctx.addIssue({ code: 'custom', message: `is not a URL (${example}).` });
          return;
        }
        if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
          ctx.addIssue({ code: 'custom', message: `must start with redis:// or rediss:// (TLS), not ${url.protocol}// (${example}).` });
        } else if (!url.hostname) {
          ctx.addIssue({ code: 'custom', message: `has no host (${example}).` });
        } else if (url.pathname !== '' && url.pathname !== '/' && !/^\/\d+$/.test(url.pathname)) {
          ctx.addIssue({ code: 'custom', message: `may only have a database number as its path, such as /0 (${example}).` });
        }
      }),
    ),
  })
  .superRefine((env, ctx) => {
    // Judged against a well-formed redirect URI only: a broken one has its own message.
    if (env.APP_ALLOWED_ORIGINS && env.NEXT_PUBLIC_WORKOS_REDIRECT_URI && URL.canParse(env.NEXT_PUBLIC_WORKOS_REDIRECT_URI)) {
      const { problems } = parseAllowedOrigins(env.APP_ALLOWED_ORIGINS, {
        redirectUri: env.NEXT_PUBLIC_WORKOS_REDIRECT_URI,
        cookieDomain: env.WORKOS_COOKIE_DOMAIN,
      });
      for (const message of problems) ctx.addIssue({ code: 'custom', path: ['APP_ALLOWED_ORIGINS'], message });
    }
    const hostname = env.WORKOS_API_HOSTNAME;
    // A malformed value already has its own message; judge only well-formed hosts.
    if (hostname && BARE_HOSTNAME.test(hostname) && !isWorkOSHost(hostname) && !isLoopbackHost(hostname)) {
      ctx.addIssue({
        code: 'custom',
        path: ['WORKOS_API_HOSTNAME'],
        message: `"${hostname}" is not a WorkOS host. Leave it unset for ${WORKOS_API_HOST}; only a loopback address (localhost, 127.0.0.1, ::1) may stand in for WorkOS, so a deployed app can never trust a fake identity provider.`,
      });
    }
    if (env.WORKOS_API_HTTPS === 'false' && !(hostname && isLoopbackHost(hostname))) {
      ctx.addIssue({
        code: 'custom',
        path: ['WORKOS_API_HTTPS'],
        message: 'may only be false for a loopback API host: the API key must never travel over plain HTTP.',
      });
    }
    if (env.WORKOS_COOKIE_SAMESITE === 'none' && env.NEXT_PUBLIC_WORKOS_REDIRECT_URI?.startsWith('http:')) {
      ctx.addIssue({
        code: 'custom',
        path: ['WORKOS_COOKIE_SAMESITE'],
        message: 'none requires an https redirect URI (browsers drop SameSite=None cookies without Secure). Use lax.',
      });
    }
  });

export interface AuthConfig {
  clientId: string;
  apiKey: string;
  cookiePassword: string;
  /** Absolute URL of the callback route, as registered in the WorkOS dashboard. */
  redirectUri: string;
  /**
   * Origins the app may serve (lib/auth/config/origin.ts): the redirect URI's first,
   * then APP_ALLOWED_ORIGINS. Each needs its callback registered in WorkOS.
   */
  allowedOrigins: AllowedOrigin[];
  cookie: {
    name: string;
    domain: string | undefined;
    maxAgeSeconds: number | undefined;
    sameSite: 'lax' | 'strict' | 'none';
  };
  /** Shared state for several instances (refresh single-flight, provider tokens); unset: per process. */
  redisUrl: string | undefined;
  // demo:start webhooks
  /** Verifies the WorkOS-Signature of webhooks (WorkOS dashboard → Webhooks); unset: the webhook route refuses every delivery. */
  webhookSecret: string | undefined;
  // demo:end webhooks
  /** `next dev` (NODE_ENV=development): its tooling needs a looser CSP (security/headers.ts). */
  isDevelopment: boolean;
  api: {
    hostname: string;
    port: number | undefined;
    https: boolean;
    /** e.g. https://api.workos.com or http://127.0.0.1:4010 */
    origin: string;
    /** True when the API host is a loopback stand-in for WorkOS (the mock). */
    isLoopback: boolean;
  };
}

export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Thrown with every problem at once; the message never contains a secret's value. */
export class AuthConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(formatConfigProblems(problems));
    this.name = 'AuthConfigError';
    this.problems = problems;
  }
}

export function formatConfigProblems(problems: readonly ConfigProblem[]): string {
  const lines = problems.map(({ variable, message }) => `  • ${variable} ${message}`);
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return [
    `WorkOS configuration has ${count}:`,
    ...lines,
    '',
    'Set these in .env.local (see .env.example), or run `npm run dev:mock` to try the app against the mock WorkOS.',
  ].join('\n');
}

export type Environment = Record<string, string | undefined>;

export type ParseResult = { ok: true; config: AuthConfig } | { ok: false; problems: ConfigProblem[] };

/** Pure: validates an environment object. Used by the tests and by {@link getAuthConfig}. */
export function parseAuthConfig(env: Environment): ParseResult {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? 'environment'),
      message: issue.message,
    }));
    return { ok: false, problems };
  }
  const parsed = result.data;
  const hostname = parsed.WORKOS_API_HOSTNAME ?? WORKOS_API_HOST;
  const https = parsed.WORKOS_API_HTTPS !== 'false';
  const port = parsed.WORKOS_API_PORT ? Number(parsed.WORKOS_API_PORT) : undefined;
  const origin = new URL(
    `${https ? 'https' : 'http'}://${hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname}`,
  );
  if (port) origin.port = String(port);
  return {
    ok: true,
    config: {
      clientId: parsed.WORKOS_CLIENT_ID,
      apiKey: parsed.WORKOS_API_KEY,
      cookiePassword: parsed.WORKOS_COOKIE_PASSWORD,
      redirectUri: parsed.NEXT_PUBLIC_WORKOS_REDIRECT_URI,
      allowedOrigins: parseAllowedOrigins(parsed.APP_ALLOWED_ORIGINS, {
        redirectUri: parsed.NEXT_PUBLIC_WORKOS_REDIRECT_URI,
        cookieDomain: parsed.WORKOS_COOKIE_DOMAIN,
      }).origins,
      cookie: {
        name: parsed.WORKOS_COOKIE_NAME ?? 'wos-session',
        domain: parsed.WORKOS_COOKIE_DOMAIN,
        maxAgeSeconds: parsed.WORKOS_COOKIE_MAX_AGE ? Number(parsed.WORKOS_COOKIE_MAX_AGE) : undefined,
        sameSite: parsed.WORKOS_COOKIE_SAMESITE ?? 'lax',
      },
      redisUrl: parsed.REDIS_URL,
      webhookSecret: parsed.WORKOS_WEBHOOK_SECRET, // demo:line webhooks
      isDevelopment: env.NODE_ENV === 'development',
      api: {
        hostname,
        port,
        https,
        origin: origin.origin,
        isLoopback: isLoopbackHost(hostname),
      },
    },
  };
}

/** Throws {@link AuthConfigError} listing every problem. */
export function assertAuthConfig(env: Environment): AuthConfig {
  const result = parseAuthConfig(env);
  if (!result.ok) throw new AuthConfigError(result.problems);
  return result.config;
}

let cached: AuthConfig | undefined;

/**
 * The validated configuration of this server process. Reads `process.env` as a
 * whole object on purpose: a literal `process.env.NEXT_PUBLIC_…` would be
 * inlined at build time, and the redirect URI must follow the runtime
 * environment (one build, many deployments).
 */
export function getAuthConfig(): AuthConfig {
  cached ??= assertAuthConfig(process.env);
  return cached;
}
