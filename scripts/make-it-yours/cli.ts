/**
 * The command behind `npm run make-it-yours`: git's safety net, the disk,
 * Prettier for the files it edits and npm for the dependencies it drops,
 * around the plan (./plan.ts). ../make-it-yours.ts runs it on this repository
 * with the real manifest; the tests run it on scratch repositories.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { applyPlan, hasWork, packageNameFor, planMakeItYours, type Manifest, type WritableTree } from './plan.ts';

const USAGE = `Usage: npm run make-it-yours -- --name "Acme" [--package-name acme] [--dry-run] [--force]

Removes the starter's demo features (scripts/make-it-yours/manifest.ts lists them) and puts your
app's name where the starter's was. Run it once, on a clean git checkout; a second run has nothing
left to do.

  --name          your app's name, for page titles, the header and the README (needed once)
  --package-name  package.json's name (default: from --name, "Acme Inc." → acme-inc)
  --dry-run       print what would be removed and renamed; change nothing
  --force         run on a tree with uncommitted changes, or outside git
  --help          this text`;

/** Folders that are never the project's files, when git cannot list them. */
const NOT_PROJECT = new Set([
  'node_modules',
  '.git',
  '.next',
  'test-results',
  'playwright-report',
  'blob-report',
  'reports',
  '.stryker-tmp',
]);

/** Characters the name may not hold: it lands in JS strings, JSX text and JSON unescaped. */
const UNSAFE_IN_NAME = /['"`\\<>{}$\p{Cc}]/u;

export interface Io {
  log: (line: string) => void;
  error: (line: string) => void;
}

function git(root: string, args: string[]): { ok: boolean; stdout: string } {
  const result = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  return { ok: result.status === 0, stdout: result.stdout ?? '' };
}

/** The project's files as git sees them (tracked, or untracked and not ignored), else a walk of the folder. */
export function diskTree(root: string, useGit: boolean): WritableTree {
  const abs = (file: string) => path.join(root, file);
  const walk = (dir: string): string[] =>
    readdirSync(abs(dir), { withFileTypes: true }).flatMap((entry) => {
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return NOT_PROJECT.has(entry.name) ? [] : walk(relative);
      return entry.isFile() ? [relative] : [];
    });
  let files: string[] | undefined;
  const list = () =>
    (files ??= useGit
      ? git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard'])
          .stdout.split('\0')
          .filter((file) => file !== '' && existsSync(abs(file)))
      : walk(''));
  return {
    files: list,
    exists: (file) => existsSync(abs(file)) && (!file.endsWith('/') || statSync(abs(file)).isDirectory()),
    read: (file) => readFileSync(abs(file), 'utf8'),
    write: (file, text) => writeFileSync(abs(file), text),
    remove: (target) => {
      rmSync(abs(target), { recursive: true, force: true });
      files = undefined;
      // Then every folder that leaves empty, up to the repository.
      for (let dir = path.dirname(abs(target.replace(/\/$/, ''))); dir.startsWith(`${root}${path.sep}`); dir = path.dirname(dir)) {
        if (readdirSync(dir).length > 0) break;
        rmdirSync(dir);
      }
    },
  };
}

/** Formats what the cut and the rename touched, as `npm run format` would (files Prettier ignores stay as they are). */
async function formatWithPrettier(root: string, files: readonly string[]): Promise<void> {
  const prettier = await import('prettier');
  for (const file of files) {
    const absolute = path.join(root, file);
    const info = await prettier.getFileInfo(absolute, { ignorePath: path.join(root, '.prettierignore') });
    if (info.ignored || !info.inferredParser) continue;
    const options = (await prettier.resolveConfig(absolute)) ?? {};
    const text = readFileSync(absolute, 'utf8');
    const formatted = await prettier.format(text, { ...options, filepath: absolute });
    if (formatted !== text) writeFileSync(absolute, formatted);
  }
}

/** Runs the command; resolves to its exit code. */
export async function makeItYours(argv: string[], { root, manifest, io }: { root: string; manifest: Manifest; io: Io }): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        name: { type: 'string' },
        'package-name': { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    io.error(`make-it-yours: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.log(USAGE);
    return 0;
  }
  const dryRun = args['dry-run'];

  // git first: the command deletes files, and git is how you see and undo what it did.
  const status = git(root, ['status', '--porcelain', '--untracked-files=normal']);
  if (!status.ok && !args.force && !dryRun) {
    io.error(
      `make-it-yours: ${root} is not a git checkout (or git is missing). The command deletes files and rewrites others;\n` +
        'in a git checkout you can see all of it with `git status` and undo it with `git checkout . && git clean -fd`.\n' +
        'Run it in one, or pass --force to go ahead without that safety net.',
    );
    return 1;
  }
  const changed = status.stdout.split('\n').filter(Boolean);
  if (status.ok && changed.length > 0 && !args.force && !dryRun) {
    const shown = changed.slice(0, 10).map((line) => `  ${line}`);
    if (changed.length > 10) shown.push(`  … and ${changed.length - 10} more`);
    io.error(
      `make-it-yours: the working tree has uncommitted changes:\n${shown.join('\n')}\n` +
        'The command deletes files and rewrites others: commit or stash your changes first, so that `git status`\n' +
        'shows exactly what it did and `git checkout . && git clean -fd` undoes it; or pass --force.',
    );
    return 1;
  }

  const tree = diskTree(root, status.ok);
  const plan = planMakeItYours(manifest, tree);
  if (plan.errors.length > 0) {
    io.error(
      `make-it-yours: scripts/make-it-yours/manifest.ts no longer matches this tree; nothing was changed.\n` +
        `${plan.errors.map((error) => `  - ${error}`).join('\n')}`,
    );
    return 1;
  }

  const renaming = plan.rename.status === 'pending';
  let names: { name: string; packageName: string } | undefined;
  if (renaming) {
    const name = args.name?.trim();
    if (!name && !dryRun) {
      io.error(`make-it-yours: give your app's name: npm run make-it-yours -- --name "Acme"\n\n${USAGE}`);
      return 2;
    }
    if (name && UNSAFE_IN_NAME.test(name)) {
      io.error(
        `make-it-yours: --name may not contain quotes, backslashes, <, >, {, }, $ or control characters (for an apostrophe, use ’).`,
      );
      return 2;
    }
    const packageName = args['package-name'] ?? packageNameFor(name ?? 'your-app');
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(packageName) || packageName.length > 214) {
      io.error(
        `make-it-yours: ${packageName ? `"${packageName}" is not` : `"${name}" gives no`} valid npm package name ` +
          '(lower-case letters, digits, "-", "." and "_"); pass one with --package-name.',
      );
      return 2;
    }
    if (name) names = { name, packageName };
  }

  if (!hasWork(plan)) {
    io.log('make-it-yours: nothing left to remove: every demo feature of the manifest is gone, and the app already has its own name.');
    if (args.name) io.log(`(--name is used once; to rename again, edit the places it changed by hand: package.json, app/layout.tsx, …)`);
    return 0;
  }

  // What it does, said before doing it (in the past tense unless this is a dry run).
  const did = (verb: string, past: string) => (dryRun ? verb : past);
  io.log(dryRun ? 'make-it-yours: dry run, nothing is changed. It would:' : 'make-it-yours:');
  for (const { feature, status: featureStatus, cuts } of plan.features) {
    if (featureStatus === 'removed') {
      io.log(`\n(already removed: ${feature.title} [${feature.id}])`);
      continue;
    }
    io.log(`\n${did('remove', 'removed')} ${feature.title} [${feature.id}]`);
    const line = (action: string, what: string) => io.log(`  ${action.padEnd(11)} ${what}`);
    for (const target of feature.delete.filter((entry) => tree.exists(entry))) line(did('delete', 'deleted'), target);
    for (const { file, regions } of cuts) line(did('cut', 'cut'), `${file} (${regions} region${regions === 1 ? '' : 's'})`);
    for (const dependency of feature.dependencies ?? []) line(did('uninstall', 'uninstalled'), dependency);
  }
  if (renaming) {
    const to = names ? `"${names.name}" (package name ${names.packageName})` : 'the name --name gives';
    io.log(`\n${did('rename', 'renamed')} the app to ${to}`);
    for (const place of plan.rename.places)
      io.log(`  ${place.file}: ${place.from.split('\n')[0]}${place.count > 1 ? ` (${place.count}×)` : ''}`);
  } else {
    io.log('\n(the app already has its own name)');
  }
  if (dryRun) return 0;

  const applied = applyPlan(plan, tree, names);
  await formatWithPrettier(
    root,
    applied.edited.filter((file) => existsSync(path.join(root, file))),
  );
  if (applied.dependencies.length > 0) {
    // package.json and the lockfile only: node_modules may be shared, and `npm install` tidies it.
    // The npm that runs this script (`npm run` names it), else the one on PATH.
    const npmCli = process.env.npm_execpath?.endsWith('.js') ? [process.execPath, process.env.npm_execpath] : ['npm'];
    const [command = 'npm', ...npmArgs] = npmCli;
    const npm = spawnSync(
      command,
      [...npmArgs, 'uninstall', '--package-lock-only', '--no-audit', '--no-fund', '--offline', ...applied.dependencies],
      { cwd: root, encoding: 'utf8' },
    );
    if (npm.status !== 0) {
      io.error(
        `make-it-yours: the files are removed, but npm could not drop ${applied.dependencies.join(', ')} from package.json:\n${npm.stderr}\n` +
          `Run: npm uninstall ${applied.dependencies.join(' ')}`,
      );
      return 1;
    }
  }
  io.log(
    `\nDone: ${applied.deleted.length} files and folders deleted, ${applied.edited.length} files edited (and formatted with Prettier).\n` +
      'Next: npm install, then npm test; review with `git status` and `git diff`, and commit.',
  );
  return 0;
}
