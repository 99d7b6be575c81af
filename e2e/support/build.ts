/**
 * `npm run build:e2e`: the production build the e2e suite runs against, made
 * with the e2e environment so it never depends on a developer's .env.local.
 * Next does not override variables that are already set, so these win.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { BUILD_APP_PORT, BUILD_MOCK_PORT, E2E_BUILD_MARKER, appEnv } from './env.ts';

const result = spawnSync('npx', ['next', 'build'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    ...appEnv({ appPort: BUILD_APP_PORT, mockPort: BUILD_MOCK_PORT }),
    // npm test has just run `tsc --noEmit` over the whole repo; set E2E_BUILD_TYPECHECK=1 to check again here.
    SKIP_BUILD_TYPECHECK: process.env.E2E_BUILD_TYPECHECK === '1' ? '0' : '1',
  },
});
if (result.status !== 0) process.exit(result.status ?? 1);

// Mark this build as the e2e one, so playwright.config.ts can tell it from a
// `npm run build` made with someone's real keys (a different inlined redirect URI).
writeFileSync(E2E_BUILD_MARKER, readFileSync('.next/BUILD_ID', 'utf8'));
