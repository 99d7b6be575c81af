/**
 * `npm run start:mock`: what `npm run dev:mock` is for `next dev`, for the
 * production server. It builds as `npm run build:e2e` does (without any WorkOS
 * value: the server takes them all at run time, so the build serves the mock
 * now and your own `.env.local` with `npm start` later), starts the mock
 * WorkOS, prints the demo accounts and runs the standalone server as
 * `npm start` does. `npm run start:mock -- --no-build` starts the last build
 * again. PORT, MOCK_WORKOS_PORT and MOCK_WORKOS_HOST as in scripts/mock-app.ts.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { printBanner, runAppAgainstMock, startMockForApp } from './mock-app.ts';

const BUILD = fileURLToPath(new URL('../e2e/support/build.ts', import.meta.url));
const START = fileURLToPath(new URL('./start.ts', import.meta.url));

try {
  if (!process.argv.includes('--no-build')) {
    const build = spawnSync(process.execPath, [BUILD], { stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  const app = await startMockForApp('npm run start:mock');
  printBanner(app, 'the production server');
  // Where the redirect URI points, whatever HOSTNAME the shell exports (the standalone server binds to it).
  runAppAgainstMock('start:mock', [START], { ...app, env: { ...app.env, HOSTNAME: 'localhost' } });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
