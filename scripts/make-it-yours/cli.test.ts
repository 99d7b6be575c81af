/**
 * The command on scratch git repositories: it refuses a dirty tree (it deletes
 * files) unless --force, changes nothing on --dry-run or when the manifest no
 * longer matches, says what it removed, and has nothing left to do the second
 * time. Real git, real Prettier and npm.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeItYours } from './cli.ts';
import type { Manifest } from './plan.ts';

const MANIFEST: Manifest = {
  features: [
    {
      id: 'clock',
      title: 'A clock',
      delete: ['lib/features/clock/'],
      cut: ['app/page.tsx'],
      dependencies: ['left-pad'],
    },
  ],
  rename: [
    { file: 'package.json', from: '"name": "starter"', to: '"name": "{package}"', count: 1 },
    { file: 'app/page.tsx', from: 'Starter', to: '{name}', count: 1 },
  ],
  demoRoots: ['lib/features/'],
  notScanned: [],
};

const PACKAGE = { name: 'starter', version: '1.0.0', private: true, dependencies: { 'left-pad': '1.3.0' } };
const LOCK = {
  name: 'starter',
  version: '1.0.0',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { name: 'starter', version: '1.0.0', dependencies: { 'left-pad': '1.3.0' } },
    'node_modules/left-pad': {
      version: '1.3.0',
      resolved: 'https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz',
      integrity: 'sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQuMW6Bwe8EzRMU4WxfuuVFbx26VslxiC8cOT7aD5KJzXNvA==',
      deprecated: 'use String.prototype.padStart()',
    },
  },
};
const PAGE = [
  "import { Clock } from '@/lib/features/clock/clock'; // demo:line clock",
  '',
  "export const title = 'Starter';",
  '',
  '// demo:start clock',
  'export const clock = Clock;',
  '// demo:end clock',
  '',
].join('\n');

const repos: string[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) rmSync(repo, { recursive: true, force: true });
});

function git(root: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: root, encoding: 'utf8' });
}

/** A committed starter: the clock feature, its region in a page, its dependency. */
function scratchRepo({ withGit = true } = {}): string {
  const root = mkdtempSync(path.join(tmpdir(), 'make-it-yours-'));
  repos.push(root);
  mkdirSync(path.join(root, 'lib/features/clock'), { recursive: true });
  mkdirSync(path.join(root, 'app'));
  writeFileSync(path.join(root, 'lib/features/clock/clock.ts'), 'export const Clock = 1;\n');
  writeFileSync(path.join(root, 'app/page.tsx'), PAGE);
  writeFileSync(path.join(root, 'package.json'), `${JSON.stringify(PACKAGE, null, 2)}\n`);
  writeFileSync(path.join(root, 'package-lock.json'), `${JSON.stringify(LOCK, null, 2)}\n`);
  writeFileSync(path.join(root, '.gitignore'), 'node_modules/\n');
  writeFileSync(path.join(root, '.prettierrc.json'), '{ "singleQuote": true }\n');
  if (withGit) {
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'starter');
  }
  return root;
}

async function run(root: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await makeItYours(argv, {
    root,
    manifest: MANIFEST,
    io: { log: (line) => out.push(line), error: (line) => err.push(line) },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const read = (root: string, file: string) => readFileSync(path.join(root, file), 'utf8');
const status = (root: string) => git(root, 'status', '--porcelain').split('\n').filter(Boolean).sort();

describe('npm run make-it-yours', () => {
  it('removes the feature, renames the app, drops the dependency and says so; a second run has nothing left', async () => {
    const root = scratchRepo();
    const first = await run(root, '--name', 'Acme Inc.');

    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toBe(
      [
        'make-it-yours:',
        '',
        'removed A clock [clock]',
        '  deleted     lib/features/clock/',
        '  cut         app/page.tsx (2 regions)',
        '  uninstalled left-pad',
        '',
        'renamed the app to "Acme Inc." (package name acme-inc)',
        '  package.json: "name": "starter"',
        '  app/page.tsx: Starter',
        '',
        'Done: 1 files and folders deleted, 2 files edited (and formatted with Prettier).',
        'Next: npm install, then npm test; review with `git status` and `git diff`, and commit.',
      ].join('\n'),
    );
    expect(status(root)).toEqual([' D lib/features/clock/clock.ts', ' M app/page.tsx', ' M package-lock.json', ' M package.json']);
    expect(existsSync(path.join(root, 'lib'))).toBe(false);
    expect(read(root, 'app/page.tsx')).toBe("export const title = 'Acme Inc.';\n");
    expect(JSON.parse(read(root, 'package.json'))).toEqual({ name: 'acme-inc', version: '1.0.0', private: true });
    const lock = JSON.parse(read(root, 'package-lock.json')) as typeof LOCK;
    expect(lock.name).toBe('acme-inc');
    expect(Object.keys(lock.packages)).toEqual(['']);

    git(root, 'commit', '-q', '-am', 'made it mine');
    const second = await run(root, '--name', 'Acme Inc.');
    expect(second).toEqual({
      code: 0,
      out:
        'make-it-yours: nothing left to remove: every demo feature of the manifest is gone, and the app already has its own name.\n' +
        '(--name is used once; to rename again, edit the places it changed by hand: package.json, app/layout.tsx, …)',
      err: '',
    });
    expect(status(root)).toEqual([]);
  });

  it('refuses a tree with uncommitted changes, says why, and changes nothing', async () => {
    const root = scratchRepo();
    writeFileSync(path.join(root, 'notes.txt'), 'mine\n');
    const result = await run(root, '--name', 'Acme');
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      'make-it-yours: the working tree has uncommitted changes:\n' +
        '  ?? notes.txt\n' +
        'The command deletes files and rewrites others: commit or stash your changes first, so that `git status`\n' +
        'shows exactly what it did and `git checkout . && git clean -fd` undoes it; or pass --force.',
    );
    expect(status(root)).toEqual(['?? notes.txt']);
  });

  it('--force runs on a dirty tree, and outside git', async () => {
    const dirty = scratchRepo();
    writeFileSync(path.join(dirty, 'notes.txt'), 'mine\n');
    expect((await run(dirty, '--name', 'Acme', '--force')).code).toBe(0);
    expect(existsSync(path.join(dirty, 'lib/features/clock'))).toBe(false);

    const noGit = scratchRepo({ withGit: false });
    const refused = await run(noGit, '--name', 'Acme');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('is not a git checkout (or git is missing)');
    expect(existsSync(path.join(noGit, 'lib/features/clock/clock.ts'))).toBe(true);
    expect((await run(noGit, '--name', 'Acme', '--force')).code).toBe(0);
    expect(read(noGit, 'app/page.tsx')).toBe("export const title = 'Acme';\n");
  });

  it('--dry-run prints the same list and changes nothing, on a dirty tree too, without a name', async () => {
    const root = scratchRepo();
    writeFileSync(path.join(root, 'notes.txt'), 'mine\n');
    const result = await run(root, '--dry-run');
    expect(result.code).toBe(0);
    expect(result.out.split('\n').slice(0, 9)).toEqual([
      'make-it-yours: dry run, nothing is changed. It would:',
      '',
      'remove A clock [clock]',
      '  delete      lib/features/clock/',
      '  cut         app/page.tsx (2 regions)',
      '  uninstall   left-pad',
      '',
      'rename the app to the name --name gives',
      '  package.json: "name": "starter"',
    ]);
    expect(status(root)).toEqual(['?? notes.txt']);
  });

  it('stops with the mismatch, changing nothing, when the manifest no longer matches the tree', async () => {
    const root = scratchRepo();
    git(root, 'mv', 'app/page.tsx', 'app/home.tsx');
    git(root, 'commit', '-q', '-m', 'renamed the page');
    const result = await run(root, '--name', 'Acme');
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      'make-it-yours: scripts/make-it-yours/manifest.ts no longer matches this tree; nothing was changed.\n' +
        '  - app/home.tsx, lines 1, 5: a region of "clock", but scripts/make-it-yours/manifest.ts does not list app/home.tsx under its cut\n' +
        '  - feature "clock": app/page.tsx does not exist (renamed or deleted? scripts/make-it-yours/manifest.ts must follow it)\n' +
        '  - rename: app/page.tsx does not exist (renamed? scripts/make-it-yours/manifest.ts must follow it)',
    );
    expect(status(root)).toEqual([]);
  });

  it.each([
    [[], 2, 'make-it-yours: give your app\'s name: npm run make-it-yours -- --name "Acme"'],
    [['--name', "Bob's"], 2, 'make-it-yours: --name may not contain quotes'],
    [['--name', '日本'], 2, 'make-it-yours: "日本" gives no valid npm package name'],
    [['--name', 'Acme', '--package-name', 'Acme Inc'], 2, 'make-it-yours: "Acme Inc" is not valid npm package name'],
    [['--nmae', 'Acme'], 2, "make-it-yours: Unknown option '--nmae'"],
  ])('%j: exit %i, a clear message, nothing changed', async (argv, code, message) => {
    const root = scratchRepo();
    const result = await run(root, ...argv);
    expect(result.code).toBe(code);
    expect(result.err.startsWith(message)).toBe(true);
    expect(status(root)).toEqual([]);
  });
});
