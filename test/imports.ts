/** Which files import what: the static imports, re-exports and import() calls of the repository's source files. */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
const SKIPPED_DIRS = new Set(['node_modules', '.next', '.git', 'test-results', 'playwright-report', 'results', '.stryker-tmp', 'reports']);
const SOURCE = /\.(ts|tsx|js|mjs|cjs)$/;
/** Static imports, re-exports and dynamic import() calls. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : sourceFiles(relative);
    return SOURCE.test(entry.name) ? [relative] : [];
  });
}

/** The repo-relative path an import specifier points at, or null for a package. */
function importedPath(file: string, specifier: string): string | null {
  if (specifier.startsWith('@/')) return specifier.slice(2);
  if (specifier.startsWith('.'))
    return path
      .relative(ROOT, path.resolve(ROOT, path.dirname(file), specifier))
      .split(path.sep)
      .join('/');
  return null;
}

/** Files outside `folders` that import something inside them, sorted. */
export function importersOf(folders: string[]): string[] {
  const inside = (file: string) => folders.some((folder) => file.startsWith(folder));
  return sourceFiles('')
    .filter((file) => !inside(file))
    .filter((file) =>
      [...readFileSync(path.join(ROOT, file), 'utf8').matchAll(SPECIFIER)].some(([, specifier = '']) => {
        const target = importedPath(file, specifier);
        return target !== null && inside(target);
      }),
    )
    .sort();
}
