/**
 * `npm run dev:mock`: the mock WorkOS and `next dev` wired to it, in one
 * command, with no WorkOS account. PORT, MOCK_WORKOS_PORT and MOCK_WORKOS_HOST
 * as in scripts/mock-app.ts.
 */
import { fileURLToPath } from 'node:url';
import { printBanner, runAppAgainstMock, startMockForApp } from './mock-app.ts';

const NEXT_BIN = fileURLToPath(new URL('../node_modules/next/dist/bin/next', import.meta.url));

try {
  const app = await startMockForApp('npm run dev:mock');
  printBanner(app, 'the app');
  runAppAgainstMock('dev:mock', [NEXT_BIN, 'dev', '--port', String(app.appPort)], app);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
