/**
 * `npm run build:e2e`: the production build the e2e suite runs against, made
 * the way a CI or container build is made: without any WorkOS value
 * (WORKOS_BUILD_WITHOUT_CONFIG=1). The suite then passes every value at run
 * time (appEnv() in playwright.config.ts), so it proves that one build serves
 * any deployment, redirect URI included. `npm run start:mock` builds with it too.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { BUILD_WITHOUT_CONFIG_SWITCH } from '../../lib/auth/config/startup-check.ts';
import { copyStandaloneAssets } from '../../scripts/standalone-assets.ts';
import { E2E_BUILD_MARKER } from './env.ts';

const env: NodeJS.ProcessEnv = {
  ...process.env,
  [BUILD_WITHOUT_CONFIG_SWITCH]: '1',
  // Next's own marker for "the .env files are already applied": without it a
  // developer's .env.local would put their keys and redirect URI into this build.
  __NEXT_PROCESSED_ENV: 'true',
  // npm test has just run `tsc --noEmit` over the whole repo; set E2E_BUILD_TYPECHECK=1 to check again here.
  SKIP_BUILD_TYPECHECK: process.env.E2E_BUILD_TYPECHECK === '1' ? '0' : '1',
  NEXT_TELEMETRY_DISABLED: '1',
};

// Nothing WorkOS from the caller's shell either.
for (const name of Object.keys(env)) {
  if (/^(NEXT_PUBLIC_)?WORKOS_/.test(name) && name !== BUILD_WITHOUT_CONFIG_SWITCH) delete env[name];
}

const result = spawnSync('npx', ['next', 'build'], { stdio: 'inherit', env });
if (result.status !== 0) process.exit(result.status ?? 1);
copyStandaloneAssets('.');

// Mark this build as the e2e one, so playwright.config.ts can tell it from a
// `npm run build` made with someone's real keys (an inlined redirect URI).
writeFileSync(E2E_BUILD_MARKER, readFileSync('.next/BUILD_ID', 'utf8'));
