/**
 * The real manifest against this repository: every demo feature is either all
 * there or all gone, every region belongs to a feature that lists its file,
 * every file of lib/features/ belongs to a feature, and every file outside a
 * feature that imports lib/features/ is one the command deletes or cuts. A
 * renamed or new file fails here, in `npm test`, before it fails a user.
 * (.ci/run also runs the command on a scratch copy and tests what is left.)
 */
import { describe, expect, it } from 'vitest';
import { ROOT, importersOf } from '../../test/imports';
import { diskTree } from './cli.ts';
import { MANIFEST } from './manifest.ts';
import { planMakeItYours } from './plan.ts';

describe('scripts/make-it-yours/manifest.ts', () => {
  const plan = planMakeItYours(MANIFEST, diskTree(ROOT, true));

  it('matches the tree', () => {
    expect(plan.errors).toEqual([]);
  });

  it('lists, as deleted or cut, every file outside lib/features/ that imports it', () => {
    const listed = (file: string) =>
      MANIFEST.features.some(
        (feature) =>
          feature.cut.includes(file) || feature.delete.some((target) => (target.endsWith('/') ? file.startsWith(target) : file === target)),
      );
    // This tool's own tests spell imports out in their fixtures.
    const fixtures = (file: string) => MANIFEST.notScanned.some((folder) => file.startsWith(folder));
    expect(importersOf(['lib/features/']).filter((file) => !listed(file) && !fixtures(file))).toEqual([]);
  });
});
