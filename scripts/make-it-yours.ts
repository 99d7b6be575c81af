/**
 * npm run make-it-yours -- --name "Acme" [--dry-run] [--force]
 *
 * Removes the starter's demo features and gives the app your name (README,
 * "Make it yours"). What it removes: scripts/make-it-yours/manifest.ts.
 */
import path from 'node:path';
import { makeItYours } from './make-it-yours/cli.ts';
import { MANIFEST } from './make-it-yours/manifest.ts';

process.exitCode = await makeItYours(process.argv.slice(2), {
  root: path.resolve(import.meta.dirname, '..'),
  manifest: MANIFEST,
  io: { log: (line) => console.log(line), error: (line) => console.error(line) },
});
