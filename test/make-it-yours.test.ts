/**
 * docs/testing.md, "Without the mock and the e2e suite", says which files to
 * delete or edit to drop the mock WorkOS with the e2e suite and the benchmark
 * (e2e/, bench/). That list is only true while every file that imports one of
 * those folders from outside is named there: this test fails on an import the
 * section does not name, unless `npm run make-it-yours`, which comes first,
 * deletes it. (The demo features have their own check:
 * scripts/make-it-yours/manifest.test.ts.)
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST } from '../scripts/make-it-yours/manifest.ts';
import { ROOT, importersOf } from './imports';

/** The section starts after `npm run make-it-yours`: what it deletes is gone by then. */
const deletedFirst = (file: string) =>
  MANIFEST.features.some((feature) => feature.delete.some((target) => (target.endsWith('/') ? file.startsWith(target) : file === target)));

const guide = readFileSync(path.join(ROOT, 'docs/testing.md'), 'utf8');
const section = /^## Without the mock and the e2e suite\n([\s\S]*?)(?=^## )/m.exec(guide)?.[1] ?? '';

/** Backticked paths in the section; `dir/` covers everything under it. */
function named(text: string): (file: string) => boolean {
  const paths = [...text.matchAll(/`([^`\s]+)`/g)].map(([, name = '']) => name);
  return (file) => paths.some((name) => (name.endsWith('/') ? file.startsWith(name) : file === name));
}

describe('docs/testing.md "Without the mock and the e2e suite"', () => {
  it('is there and names the folders it drops', () => {
    expect(section).toContain('`e2e/`');
    expect(section).toContain('`bench/`');
  });

  it('names every file outside e2e/ and bench/ that imports them', () => {
    const isNamed = named(section);
    expect(importersOf(['e2e/', 'bench/']).filter((file) => !isNamed(file) && !deletedFirst(file))).toEqual([]);
  });

  // Until the folders are dropped: the scan must find an importer known to exist.
  it.runIf(existsSync(path.join(ROOT, 'scripts/mock-app.ts')))('finds scripts/mock-app.ts importing e2e/ (the scan works)', () => {
    expect(importersOf(['e2e/', 'bench/'])).toContain('scripts/mock-app.ts');
  });
});
