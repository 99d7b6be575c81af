/**
 * Completes `.next/standalone` after `next build` (runs as `postbuild`, and
 * from `npm run build:e2e`): Next leaves the browser assets (`.next/static`)
 * and `public/` out of it on purpose, expecting a CDN, so a server started
 * from it alone answers 404 for every script, stylesheet and robots.txt.
 * Copied, the folder is the whole deployable app: `node server.js` in it.
 *
 *   node scripts/standalone-assets.ts [project dir]
 */
import { cpSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const STANDALONE_DIR = path.join('.next', 'standalone');

export function copyStandaloneAssets(projectDir: string): void {
  const standalone = path.join(projectDir, STANDALONE_DIR);
  if (!existsSync(path.join(standalone, 'server.js'))) {
    throw new Error(`${standalone}/server.js not found: run \`next build\` with output: 'standalone' (next.config.js) first.`);
  }
  const copies = [
    [path.join(projectDir, '.next', 'static'), path.join(standalone, '.next', 'static')],
    [path.join(projectDir, 'public'), path.join(standalone, 'public')],
  ] as const;
  for (const [from, to] of copies) {
    // Replace, not merge: assets of an earlier build must not linger.
    rmSync(to, { recursive: true, force: true });
    if (existsSync(from)) cpSync(from, to, { recursive: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    copyStandaloneAssets(path.resolve(process.argv[2] ?? '.'));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
