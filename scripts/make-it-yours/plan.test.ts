/**
 * The plan on an in-memory tree: what counts as present, removed or a
 * mismatch between the manifest and the tree, what applying it does, and that
 * a second plan after applying has nothing left to do.
 */
import { describe, expect, it } from 'vitest';
import { applyPlan, hasWork, packageNameFor, planMakeItYours, validateManifest, type Manifest, type WritableTree } from './plan.ts';

class MemoryTree implements WritableTree {
  readonly contents: Map<string, string>;
  constructor(files: Record<string, string>) {
    this.contents = new Map(Object.entries(files));
  }
  files() {
    return [...this.contents.keys()].sort();
  }
  exists(path: string) {
    const folder = path.endsWith('/') ? path : `${path}/`;
    return this.contents.has(path) || this.files().some((file) => file.startsWith(folder));
  }
  read(file: string) {
    const text = this.contents.get(file);
    if (text === undefined) throw new Error(`no file ${file}`);
    return text;
  }
  write(file: string, text: string) {
    this.contents.set(file, text);
  }
  remove(path: string) {
    for (const file of this.files())
      if (file === path || file.startsWith(path.endsWith('/') ? path : `${path}/`)) this.contents.delete(file);
  }
}

const MANIFEST: Manifest = {
  features: [
    {
      id: 'clock',
      title: 'A clock',
      delete: ['lib/features/clock/', 'app/clock-panel.tsx'],
      cut: ['app/page.tsx', 'README.md'],
      dependencies: ['clock-lib'],
    },
    { id: 'weather', title: 'The weather', delete: ['lib/features/weather.ts'], cut: ['app/page.tsx'] },
  ],
  rename: [
    { file: 'package.json', from: '"name": "starter"', to: '"name": "{package}"', count: 1 },
    { file: 'app/layout.tsx', from: 'Starter', to: '{name}', count: 2 },
  ],
  demoRoots: ['lib/features/'],
  notScanned: ['tool/'],
};

const PAGE = [
  "import { Clock } from './clock-panel'; // demo:line clock",
  "import { weather } from '@/lib/features/weather'; // demo:line weather",
  '',
  'export default function Page() {',
  '  return (',
  '    <main>',
  '      {/* demo:start clock */}',
  '      <Clock />',
  '      {/* demo:end clock */}',
  '      <p>{weather()}</p> {/* demo:line weather */}',
  '    </main>',
  '  );',
  '}',
  '',
].join('\n');

function starter(overrides: Record<string, string | undefined> = {}): MemoryTree {
  const files: Record<string, string | undefined> = {
    'package.json': '{\n  "name": "starter",\n  "dependencies": { "clock-lib": "1.0.0", "next": "16.0.0" }\n}\n',
    'app/layout.tsx': "export const metadata = { title: { default: 'Starter', template: '%s · Starter' } };\n",
    'app/page.tsx': PAGE,
    'app/clock-panel.tsx': 'export function Clock() {}\n',
    'lib/features/clock/clock.ts': 'export const now = () => 1;\n',
    'lib/features/clock/clock.test.ts': 'test\n',
    'lib/features/weather.ts': 'export const weather = () => "sun";\n',
    'README.md': '# Starter\n\nThe app.\n\n<!-- demo:start clock -->\nA clock, too.\n<!-- demo:end clock -->\n\nThe end.\n',
    'tool/example.test.ts': "const sample = '// demo:start nothing-registered';\n",
    ...overrides,
  };
  return new MemoryTree(Object.fromEntries(Object.entries(files).filter((entry): entry is [string, string] => entry[1] !== undefined)));
}

const NAMES = { name: 'Acme', packageName: 'acme' };

/** Applies the plan, dependencies included (the command has npm drop them from package.json). */
function makeItYours(tree: MemoryTree, names = NAMES) {
  const applied = applyPlan(planMakeItYours(MANIFEST, tree), tree, names);
  const pkg = JSON.parse(tree.read('package.json')) as { dependencies: Record<string, string> };
  for (const name of applied.dependencies) delete pkg.dependencies[name];
  tree.write('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
  return applied;
}

describe('planMakeItYours', () => {
  it('on the starter: every feature present, the rename pending, no error', () => {
    const plan = planMakeItYours(MANIFEST, starter());
    expect(plan.errors).toEqual([]);
    expect(plan.features.map(({ feature, status, cuts }) => ({ id: feature.id, status, cuts }))).toEqual([
      {
        id: 'clock',
        status: 'present',
        cuts: [
          { file: 'app/page.tsx', regions: 2 },
          { file: 'README.md', regions: 1 },
        ],
      },
      { id: 'weather', status: 'present', cuts: [{ file: 'app/page.tsx', regions: 2 }] },
    ]);
    expect(plan.rename.status).toBe('pending');
    expect(hasWork(plan)).toBe(true);
  });

  it('applies: deletes, cuts, uninstalls and renames; a second plan has nothing left to do', () => {
    const tree = starter();
    const applied = makeItYours(tree);

    expect(applied).toEqual({
      deleted: ['lib/features/clock/', 'app/clock-panel.tsx', 'lib/features/weather.ts'],
      edited: ['app/page.tsx', 'README.md', 'package.json', 'app/layout.tsx'],
      dependencies: ['clock-lib'],
    });
    expect(tree.files()).toEqual(['README.md', 'app/layout.tsx', 'app/page.tsx', 'package.json', 'tool/example.test.ts']);
    expect(tree.read('app/page.tsx')).toBe(
      ['export default function Page() {', '  return (', '    <main>', '    </main>', '  );', '}', ''].join('\n'),
    );
    expect(tree.read('README.md')).toBe('# Starter\n\nThe app.\n\nThe end.\n');
    expect(tree.read('app/layout.tsx')).toBe("export const metadata = { title: { default: 'Acme', template: '%s · Acme' } };\n");
    expect(tree.read('package.json')).toContain('"name": "acme"');

    const again = planMakeItYours(MANIFEST, tree);
    expect(again.errors).toEqual([]);
    expect(again.features.map(({ status }) => status)).toEqual(['removed', 'removed']);
    expect(again.rename.status).toBe('done');
    expect(hasWork(again)).toBe(false);
    // Applying the finished plan changes nothing.
    const before = new Map(tree.contents);
    expect(applyPlan(again, tree, undefined)).toEqual({ deleted: [], edited: [], dependencies: [] });
    expect(tree.contents).toEqual(before);
  });

  it('a dependency already uninstalled by hand, with the rest there, is a mismatch (not a half-removed feature to finish)', () => {
    const plan = planMakeItYours(
      MANIFEST,
      starter({ 'package.json': '{\n  "name": "starter",\n  "dependencies": { "next": "16.0.0" }\n}\n' }),
    );
    expect(plan.errors).toEqual([
      'feature "clock" no longer matches the tree: the dependency clock-lib is missing, while the rest of it (4 of 5) is still there. ' +
        'Update scripts/make-it-yours/manifest.ts (a renamed or moved file?).',
    ]);
  });

  it('a renamed file of a feature is a mismatch that names it', () => {
    const plan = planMakeItYours(
      MANIFEST,
      starter({ 'app/clock-panel.tsx': undefined, 'app/clock-card.tsx': 'export function Clock() {}\n' }),
    );
    expect(plan.errors).toEqual([
      'feature "clock" no longer matches the tree: app/clock-panel.tsx is missing, while the rest of it (4 of 5) is still there. ' +
        'Update scripts/make-it-yours/manifest.ts (a renamed or moved file?).',
    ]);
  });

  it('a renamed shared file is a mismatch, even once the feature is gone', () => {
    const tree = starter();
    makeItYours(tree);
    tree.write('app/home.tsx', tree.read('app/page.tsx'));
    tree.remove('app/page.tsx');
    expect(planMakeItYours(MANIFEST, tree).errors).toEqual([
      'feature "clock": app/page.tsx does not exist (renamed or deleted? scripts/make-it-yours/manifest.ts must follow it)',
      'feature "weather": app/page.tsx does not exist (renamed or deleted? scripts/make-it-yours/manifest.ts must follow it)',
    ]);
  });

  it('a region in a file its feature does not list, or of no feature, is a mismatch', () => {
    const plan = planMakeItYours(
      MANIFEST,
      starter({
        'app/layout.tsx': "export const metadata = { title: { default: 'Starter', template: '%s · Starter' } }; // demo:line weather\n",
        'docs/x.md': '<!-- demo:line rain -->\n',
      }),
    );
    expect(plan.errors).toEqual([
      'app/layout.tsx, line 1: a region of "weather", but scripts/make-it-yours/manifest.ts does not list app/layout.tsx under its cut',
      'docs/x.md, line 1: demo:rain names no feature of scripts/make-it-yours/manifest.ts',
    ]);
  });

  it('a malformed region is reported with its file and line', () => {
    expect(planMakeItYours(MANIFEST, starter({ 'README.md': '# Starter\n<!-- demo:start clock -->\n' })).errors).toEqual([
      'README.md, line 2: demo:start clock is never closed by a demo:end clock',
      'feature "clock" no longer matches the tree: a region in README.md is missing, while the rest of it (4 of 5) is still there. ' +
        'Update scripts/make-it-yours/manifest.ts (a renamed or moved file?).',
    ]);
  });

  it('a file under a demo root that no feature deletes must register, while the demo features are there', () => {
    const tree = starter({ 'lib/features/maps/maps.ts': 'export {};\n' });
    expect(planMakeItYours(MANIFEST, tree).errors).toEqual([
      "lib/features/maps/maps.ts is a demo feature's file that no feature of scripts/make-it-yours/manifest.ts deletes: register its feature there",
    ]);
    // Once the demo features are gone, lib/features/ is the app's own.
    tree.remove('lib/features/maps/');
    makeItYours(tree);
    tree.write('lib/features/billing/billing.ts', 'export {};\n');
    expect(planMakeItYours(MANIFEST, tree).errors).toEqual([]);
  });

  it('a rename place that changed is a mismatch; one renamed by hand among others pending, too', () => {
    expect(planMakeItYours(MANIFEST, starter({ 'app/layout.tsx': "export const title = 'Starter';\n" })).errors).toEqual([
      'rename: app/layout.tsx holds "Starter" 1 times, scripts/make-it-yours/manifest.ts says 2',
    ]);
    expect(planMakeItYours(MANIFEST, starter({ 'app/layout.tsx': "export const title = 'Acme';\n" })).errors).toEqual([
      `rename: "Starter" in app/layout.tsx no longer found, while other places still carry the starter's name. Update scripts/make-it-yours/manifest.ts.`,
    ]);
  });

  it('applies the package name and the app name where each belongs', () => {
    const tree = starter();
    makeItYours(tree, { name: 'Acme Inc.', packageName: 'acme-inc' });
    expect(JSON.parse(tree.read('package.json'))).toEqual({ name: 'acme-inc', dependencies: { next: '16.0.0' } });
    expect(tree.read('app/layout.tsx')).toContain("default: 'Acme Inc.'");
  });

  it('refuses to apply a plan with errors, and a pending rename without a name', () => {
    const broken = starter({ 'app/clock-panel.tsx': undefined });
    expect(() => applyPlan(planMakeItYours(MANIFEST, broken), broken, NAMES)).toThrow('the plan has errors; nothing applied');
    const tree = starter();
    expect(() => applyPlan(planMakeItYours(MANIFEST, tree), tree, undefined)).toThrow('the app has not been renamed yet: give its name');
  });
});

describe('validateManifest', () => {
  const feature = { id: 'ok', title: 'OK', delete: ['lib/features/ok/'], cut: ['app/page.tsx'] };
  const manifest = (features: Manifest['features'], rename: Manifest['rename'] = []): Manifest => ({
    features,
    rename,
    demoRoots: [],
    notScanned: [],
  });

  it('accepts a well-formed manifest', () => {
    expect(validateManifest(MANIFEST)).toEqual([]);
  });

  it.each([
    [[{ ...feature, id: 'Not Ok' }], 'feature "Not Ok": an id is lower-case letters, digits and dashes'],
    [[feature, feature], 'feature "ok": listed twice'],
    [[{ ...feature, delete: [], cut: [] }], 'feature "ok": deletes nothing and cuts nothing'],
    [[{ ...feature, delete: ['../outside/'] }], 'feature "ok": "../outside/" is not a path inside the repository'],
    [[{ ...feature, delete: ['/etc/'] }], 'feature "ok": "/etc/" is not a path inside the repository'],
    [[{ ...feature, cut: ['app/'] }], 'feature "ok": cut lists files, not folders (app/)'],
    [[{ ...feature, cut: ['app/page.tsx', 'app/page.tsx'] }], 'feature "ok": cuts app/page.tsx twice'],
    [[feature, { ...feature, id: 'other', cut: [] }], 'feature "other": lib/features/ok/ is already deleted by "ok"'],
    [[feature, { ...feature, id: 'other', delete: ['app/'], cut: [] }], 'feature "ok": app/page.tsx is cut, but "other" deletes it (app/)'],
  ])('refuses %j', (features, error) => {
    expect(validateManifest(manifest(features))).toContain(error);
  });

  it('refuses a rename place without a literal or a count', () => {
    expect(validateManifest(manifest([feature], [{ file: 'a', from: '', to: '{name}', count: 1 }]))).toEqual([
      'rename in a: needs a literal and a count of at least 1',
    ]);
  });

  it('the plan of an invalid manifest holds only the manifest errors', () => {
    expect(planMakeItYours(manifest([{ ...feature, id: 'Bad' }]), starter()).errors).toEqual([
      'feature "Bad": an id is lower-case letters, digits and dashes',
    ]);
  });
});

describe('packageNameFor', () => {
  it.each([
    ['Acme', 'acme'],
    ['Acme Inc.', 'acme-inc'],
    ['Café Olé', 'cafe-ole'],
    ['  My  App!  ', 'my-app'],
    ['日本', ''],
  ])('%j → %j', (name, packageName) => {
    expect(packageNameFor(name)).toBe(packageName);
  });
});
