/**
 * `npm start`: the production server exactly as deployed
 * (`.next/standalone/server.js`), on this machine. `next start` still works but
 * warns that it is not meant for standalone output; and the standalone server
 * reads no `.env.local` (Next copies only `.env` and `.env.production` into it,
 * never files that hold secrets). So this loads the .env files with Next's own
 * loader, in `next start`'s order (the environment wins), then runs the server.
 *
 *   PORT=3000 HOSTNAME=localhost npm start
 */
import nextEnv from '@next/env';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { STANDALONE_DIR, copyStandaloneAssets } from './standalone-assets.ts';

const projectDir = process.cwd();
const server = path.join(projectDir, STANDALONE_DIR, 'server.js');
if (!existsSync(server)) {
  console.error('No production build: run `npm run build` first.');
  process.exit(1);
}
// A build made with `next build` directly skipped the postbuild copy.
if (!existsSync(path.join(projectDir, STANDALONE_DIR, '.next', 'static'))) copyStandaloneAssets(projectDir);

nextEnv.loadEnvConfig(projectDir, false);
await import(pathToFileURL(server).href);
