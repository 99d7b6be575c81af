/**
 * README "Make it yours" says which files to delete or edit to drop (a) the
 * demo features (lib/features/) and (b) the mock WorkOS with the e2e suite and
 * the benchmark (e2e/, bench/). That list is only true while every file that
 * imports one of those folders from outside is named in the matching part of
 * the section: this test fails on an import the section does not name.
 * (After the deletions there are no such imports left, so it keeps passing.)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
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

/** Files outside `folders` that import something inside them. */
function importersOf(folders: string[]): string[] {
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

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const section = /^## Make it yours\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
const partA = /\*\*\(a\)([\s\S]*?)\*\*\(b\)/.exec(section)?.[1] ?? '';
const partB = /\*\*\(b\)([\s\S]*?)\*\*What still works/.exec(section)?.[1] ?? '';

/** Backticked paths in a README part; `dir/` covers everything under it, a bare file name a panel in the same folder. */
function named(part: string): (file: string) => boolean {
  const paths = [...part.matchAll(/`([^`\s]+)`/g)].map(([, name = '']) => name);
  return (file) =>
    paths.some((name) =>
      name.endsWith('/') ? file.startsWith(name) : file === name || (!name.includes('/') && file.endsWith(`/${name}`)),
    );
}

describe('README "Make it yours"', () => {
  it('has the (a), (b) and "What still works" parts this test reads', () => {
    expect(partA).toContain('`lib/features/`');
    expect(partB).toContain('`e2e/`');
    expect(partB).toContain('`bench/`');
  });

  it('(a) names every file outside lib/features/ that imports it', () => {
    const isNamed = named(partA);
    expect(importersOf(['lib/features/']).filter((file) => !isNamed(file))).toEqual([]);
  });

  it('(b) names every file outside e2e/ and bench/ that imports them', () => {
    const isNamed = named(partB);
    expect(importersOf(['e2e/', 'bench/']).filter((file) => !isNamed(file))).toEqual([]);
  });

  // Until (a) and (b) are done: the scan must find the importers known to exist.
  it.runIf(existsSync(path.join(ROOT, 'lib/features')))('finds the dashboard importing lib/features/ (the scan works)', () => {
    expect(importersOf(['lib/features/'])).toContain('app/dashboard/page.tsx');
  });
  it.runIf(existsSync(path.join(ROOT, 'scripts/mock-app.ts')))('finds scripts/mock-app.ts importing e2e/ (the scan works)', () => {
    expect(importersOf(['e2e/', 'bench/'])).toContain('scripts/mock-app.ts');
  });
});
