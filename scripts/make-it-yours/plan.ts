/**
 * What `npm run make-it-yours` does, as pure functions over a file tree: check
 * the manifest against itself and against the tree, work out what is left to
 * remove and rename, and apply that. The command (../make-it-yours.ts) adds
 * git, the disk, Prettier and npm; the tests use an in-memory tree.
 */
import { cutRegions, parseRegions } from './regions.ts';

/** One demo feature: everything that goes when it goes. */
interface DemoFeature {
  /** Names its regions: `demo:start <id>` … `demo:end <id>`, `demo:line <id>`. */
  id: string;
  /** What the command prints. */
  title: string;
  /** Files and folders (ending in `/`) that are the feature's alone, deleted whole. */
  delete: readonly string[];
  /** Shared files that keep living without it, each holding at least one region of this id. */
  cut: readonly string[];
  /** package.json dependencies only this feature uses, uninstalled with it. */
  dependencies?: readonly string[];
}

/** A literal that carries the starter's name, and what it becomes: `{name}` is the app's name, `{package}` its package name. */
interface NamePlace {
  file: string;
  from: string;
  to: string;
  /** How many times `from` occurs in `file` before the rename. */
  count: number;
}

export interface Manifest {
  features: readonly DemoFeature[];
  rename: readonly NamePlace[];
  /** Folders whose every file must belong to a demo feature while any is present (a new feature must register). */
  demoRoots: readonly string[];
  /** Folders (a trailing `/`) or files not scanned for markers (this tool and its tests, which spell markers out). */
  notScanned: readonly string[];
}

/** The files the command sees: paths relative to the repository, `/`-separated. */
export interface Tree {
  /** Every file (not folder) that is part of the project: tracked or not ignored. */
  files(): readonly string[];
  /** A file or a folder (given with or without its trailing `/`). */
  exists(path: string): boolean;
  read(file: string): string;
}

export interface WritableTree extends Tree {
  write(file: string, text: string): void;
  /** A file, or a folder with everything in it; then every folder this leaves empty. */
  remove(path: string): void;
}

interface FeaturePlan {
  feature: DemoFeature;
  status: 'present' | 'removed';
  /** Shared files and how many of this feature's regions each holds. */
  cuts: { file: string; regions: number }[];
}

export interface Plan {
  /** Where the manifest and the tree disagree: nothing may be changed while there is one. */
  errors: string[];
  features: FeaturePlan[];
  rename: { status: 'pending' | 'done'; places: readonly NamePlace[] };
}

const ID = /^[a-z0-9][a-z0-9-]*$/;
const MANIFEST = 'scripts/make-it-yours/manifest.ts';

const under = (file: string, path: string) => (path.endsWith('/') ? file.startsWith(path) : file === path);
const occurrences = (text: string, literal: string) => text.split(literal).length - 1;

/** What is wrong with the manifest on its own. */
export function validateManifest(manifest: Manifest): string[] {
  const errors: string[] = [];
  const ids = new Set<string>();
  const deleted = new Map<string, string>();
  const badPath = (path: string) =>
    path === '' || path.startsWith('/') || path.includes('\\') || path.split('/').some((part) => part === '..' || part === '.');
  for (const feature of manifest.features) {
    const where = `feature "${feature.id}"`;
    if (!ID.test(feature.id)) errors.push(`${where}: an id is lower-case letters, digits and dashes`);
    if (ids.has(feature.id)) errors.push(`${where}: listed twice`);
    ids.add(feature.id);
    if (feature.delete.length + feature.cut.length === 0) errors.push(`${where}: deletes nothing and cuts nothing`);
    for (const path of [...feature.delete, ...feature.cut]) {
      if (badPath(path)) errors.push(`${where}: "${path}" is not a path inside the repository`);
    }
    for (const path of feature.delete) {
      const owner = deleted.get(path);
      if (owner) errors.push(`${where}: ${path} is already deleted by "${owner}"`);
      deleted.set(path, feature.id);
    }
    for (const file of feature.cut) {
      if (file.endsWith('/')) errors.push(`${where}: cut lists files, not folders (${file})`);
      if (feature.cut.indexOf(file) !== feature.cut.lastIndexOf(file)) errors.push(`${where}: cuts ${file} twice`);
    }
  }
  for (const feature of manifest.features) {
    for (const file of feature.cut) {
      const inside = [...deleted.keys()].find((path) => under(file, path));
      if (inside) errors.push(`feature "${feature.id}": ${file} is cut, but "${deleted.get(inside)}" deletes it (${inside})`);
    }
  }
  for (const place of manifest.rename) {
    if (place.from === '' || place.count < 1) errors.push(`rename in ${place.file}: needs a literal and a count of at least 1`);
  }
  return errors;
}

/** Which features are still there, which are gone, what the rename has left to do, and every disagreement between manifest and tree. */
export function planMakeItYours(manifest: Manifest, tree: Tree): Plan {
  const errors = validateManifest(manifest);
  if (errors.length > 0) return { errors, features: [], rename: { status: 'done', places: [] } };

  const byId = new Map(manifest.features.map((feature) => [feature.id, feature]));
  const deletedPaths = manifest.features.flatMap((feature) => feature.delete);
  const scanned = tree
    .files()
    .filter((file) => !manifest.notScanned.some((folder) => under(file, folder)))
    .filter((file) => !deletedPaths.some((path) => under(file, path)));
  const regionsByFile = new Map<string, { id: string; line: number }[]>();
  for (const file of scanned) {
    const text = tree.read(file);
    if (!text.includes('demo:')) continue;
    const parsed = parseRegions(text);
    errors.push(...parsed.errors.map((error) => `${file}, ${error}`));
    if (parsed.regions.length > 0)
      regionsByFile.set(
        file,
        parsed.regions.map(({ id, from }) => ({ id, line: from + 1 })),
      );
  }

  // Every marker names a feature that lists its file under `cut`.
  for (const [file, regions] of regionsByFile) {
    for (const id of new Set(regions.map((region) => region.id))) {
      const lines = regions.filter((region) => region.id === id).map(({ line }) => line);
      const at = `${file}, line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}`;
      const feature = byId.get(id);
      if (!feature) errors.push(`${at}: demo:${id} names no feature of ${MANIFEST}`);
      else if (!feature.cut.includes(file)) errors.push(`${at}: a region of "${id}", but ${MANIFEST} does not list ${file} under its cut`);
    }
  }

  const dependencies = packageDependencies(tree);
  const features = manifest.features.map((feature): FeaturePlan => {
    const there: string[] = [];
    const gone: string[] = [];
    for (const path of feature.delete) (tree.exists(path) ? there : gone).push(path);
    if (feature.delete.some((path) => !path.endsWith('/') && tree.exists(`${path}/`)))
      errors.push(`feature "${feature.id}": name folders with a trailing / in delete`);
    const cuts = feature.cut.flatMap((file) => {
      if (!tree.exists(file)) {
        errors.push(`feature "${feature.id}": ${file} does not exist (renamed or deleted? ${MANIFEST} must follow it)`);
        return [];
      }
      const regions = (regionsByFile.get(file) ?? []).filter(({ id }) => id === feature.id).length;
      (regions > 0 ? there : gone).push(`a region in ${file}`);
      return regions > 0 ? [{ file, regions }] : [];
    });
    for (const name of feature.dependencies ?? []) (dependencies.has(name) ? there : gone).push(`the dependency ${name}`);
    if (there.length > 0 && gone.length > 0)
      errors.push(
        `feature "${feature.id}" no longer matches the tree: ${gone.join(', ')} ${gone.length === 1 ? 'is' : 'are'} missing, ` +
          `while the rest of it (${there.length} of ${there.length + gone.length}) is still there. Update ${MANIFEST} (a renamed or moved file?).`,
      );
    return { feature, status: there.length > 0 ? 'present' : 'removed', cuts };
  });

  // While any feature is present, every file of a demo root belongs to one: a new feature must register.
  if (features.some(({ status }) => status === 'present')) {
    for (const file of tree.files()) {
      if (manifest.demoRoots.some((root) => under(file, root)) && !deletedPaths.some((path) => under(file, path)))
        errors.push(`${file} is a demo feature's file that no feature of ${MANIFEST} deletes: register its feature there`);
    }
  }

  const counts = manifest.rename.map((place) => (tree.exists(place.file) ? occurrences(tree.read(place.file), place.from) : -1));
  manifest.rename.forEach((place, index) => {
    const count = counts[index];
    if (count === -1) errors.push(`rename: ${place.file} does not exist (renamed? ${MANIFEST} must follow it)`);
    else if (count !== 0 && count !== place.count)
      errors.push(`rename: ${place.file} holds ${JSON.stringify(place.from)} ${count} times, ${MANIFEST} says ${place.count}`);
  });
  const pending = counts.filter((count, index) => count === manifest.rename[index]?.count).length;
  if (pending > 0 && counts.some((count) => count === 0))
    errors.push(
      `rename: ${manifest.rename
        .filter((_, index) => counts[index] === 0)
        .map(({ file, from }) => `${JSON.stringify(from)} in ${file}`)
        .join(', ')} no longer found, while other places still carry the starter's name. Update ${MANIFEST}.`,
    );
  return { errors, features, rename: { status: pending > 0 ? 'pending' : 'done', places: manifest.rename } };
}

/** The names in package.json's dependencies and devDependencies. */
function packageDependencies(tree: Tree): Set<string> {
  if (!tree.exists('package.json')) return new Set();
  const pkg = JSON.parse(tree.read('package.json')) as { dependencies?: object; devDependencies?: object };
  return new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]);
}

/** Whether the plan has anything left to do. */
export function hasWork(plan: Plan): boolean {
  return plan.features.some(({ status }) => status === 'present') || plan.rename.status === 'pending';
}

export interface Applied {
  deleted: string[];
  /** Files changed: regions cut or the name replaced. */
  edited: string[];
  /** Dependencies to uninstall (the command runs npm for them). */
  dependencies: string[];
}

/**
 * Removes every present feature (its files, its regions in shared files) and,
 * when the rename is pending, puts the app's name in place of the starter's.
 * Call only with a plan without errors.
 */
export function applyPlan(plan: Plan, tree: WritableTree, names: { name: string; packageName: string } | undefined): Applied {
  if (plan.errors.length > 0) throw new Error('the plan has errors; nothing applied');
  const present = plan.features.filter(({ status }) => status === 'present');
  const ids = new Set(present.map(({ feature }) => feature.id));
  const applied: Applied = { deleted: [], edited: [], dependencies: [] };
  for (const { feature } of present) {
    for (const path of feature.delete) {
      if (!tree.exists(path)) continue;
      tree.remove(path);
      applied.deleted.push(path);
    }
    applied.dependencies.push(...(feature.dependencies ?? []));
  }
  for (const file of new Set(present.flatMap(({ cuts }) => cuts.map((cut) => cut.file)))) {
    tree.write(
      file,
      cutRegions(tree.read(file), (id) => ids.has(id)),
    );
    applied.edited.push(file);
  }
  if (plan.rename.status === 'pending') {
    if (!names) throw new Error('the app has not been renamed yet: give its name');
    for (const place of plan.rename.places) {
      const to = place.to.replaceAll('{name}', names.name).replaceAll('{package}', names.packageName);
      tree.write(place.file, tree.read(place.file).replaceAll(place.from, to));
      if (!applied.edited.includes(place.file)) applied.edited.push(place.file);
    }
  }
  return applied;
}

/** The npm package name for an app name: "Acme Inc." → "acme-inc"; empty when nothing usable is left. */
export function packageNameFor(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '')
    .slice(0, 214);
}
