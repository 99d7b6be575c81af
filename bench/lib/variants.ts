/**
 * The four configurations `npm run bench` compares, each a production build
 * of a temporary copy of this repo with a small overlay from bench/variants/:
 *
 *   (o) this app, unchanged — plus a SIGUSR2 cache report in instrumentation.ts;
 *   (a) no proxy: proxy.ts removed, the dashboard renders fixture data;
 *   (n) a proxy that does nothing, on the same matcher, same fixture page;
 *   (k) the plain authkit-nextjs setup: `authkitProxy()` with default options,
 *       the page reads the session with `withAuth()`;
 * and, with `--ablation`, (m) this app without the verified-session memo, to
 * measure in the same run what the memo buys, and (f) this app with a proxy
 * that forwards the session cookie to the render without authenticating it,
 * which splits (o)'s cost over (n) into authenticating (o/f) and the rest:
 * CSP nonce, forwarding, and the session reads of the real page (f/n); and,
 * with `--baseline=<dir>`, (b), the (o) build a `--keep-builds` run made at
 * another commit, so a before/after is paired round by round in one sitting.
 *
 * In (a), (n) and (k) the layout renders the signed-in header from the fixture
 * too, so every peer serves the same markup and only (o) reads the session in
 * the layout. The product build never contains any of this.
 *
 * A copy holds the repo's tracked and untracked-but-not-ignored files (so work
 * in progress is measured) that can reach `next build` — not docs, tests, the
 * e2e suite, CI files or the bench's own runner (see NOT_IN_BUILD; if the app
 * ever imports one of them, the build fails instead of using a stale copy) —
 * plus node_modules hard-linked (Turbopack refuses a node_modules symlink that
 * points outside the project; a full copy is the fallback across filesystems).
 * Builds live under the OS temp dir, named by a hash of every copied file, the
 * overlay and the build environment. The benchmark removes the ones it made or
 * used when it ends, Ctrl-C and SIGTERM included ({@link removePeerBuilds});
 * kept (--keep-builds, --build-only), a rerun with unchanged app sources
 * builds nothing, whatever changed in the docs, tests or the bench.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUILD_WITHOUT_CONFIG_SWITCH } from '../../lib/auth/config/startup-check.ts';
import { runToCompletion } from './processes.ts';

export type PeerId = 'o' | 'a' | 'n' | 'k' | 'm' | 'f' | 'b';

/** The peers this benchmark builds from this repo; (b) is a build it is given. */
export type BuiltPeerId = Exclude<PeerId, 'b'>;

export const PEER_IDS: readonly BuiltPeerId[] = ['o', 'a', 'n', 'k'];
/** Peers measured only with --ablation: this app with one technique taken out. */
export const ABLATION_PEER_IDS: readonly BuiltPeerId[] = ['m', 'f'];

export const PEER_LABELS: Record<PeerId, string> = {
  o: 'this app',
  a: 'no proxy',
  n: 'proxy that does nothing',
  k: 'plain authkit (authkitProxy() + withAuth)',
  m: 'this app without the verified-session memo',
  f: 'this app, its proxy forwarding the cookie without authenticating',
  b: 'this app at another commit (--baseline)',
};

type Edit = { path: string; from: string } | { path: string; remove: true } | { path: string; transform: (text: string) => string };

/** Replaces exactly one occurrence, or fails naming the file: the overlay must follow the product. */
function replaceOnce(file: string, search: string, replacement: string): (text: string) => string {
  return (text) => {
    const at = text.indexOf(search);
    if (at === -1 || text.indexOf(search, at + 1) !== -1) {
      throw new Error(`bench overlay: expected exactly one \`${search}\` in ${file}; update bench/lib/variants.ts to follow it`);
    }
    return text.slice(0, at) + replacement + text.slice(at + search.length);
  };
}

const FIXTURE_LAYOUT: Edit = {
  path: 'app/layout.tsx',
  transform: (text) =>
    `import { BENCH_FIXTURE } from '@/bench/variants/fixture';\n${replaceOnce('app/layout.tsx', 'await getSession()', 'BENCH_FIXTURE.session')(text)}`,
};

const CACHE_REPORT: Edit = {
  path: 'instrumentation.ts',
  transform: replaceOnce(
    'instrumentation.ts',
    "if (process.env.NEXT_RUNTIME === 'nodejs') {",
    "if (process.env.NEXT_RUNTIME === 'nodejs') {\n    (await import('./bench/variants/cache-report')).installCacheReport();",
  ),
};

/** The files the ablation peers edit: the proxy's pipeline, and the adapter's session check (the memo's two call sites). */
const PROXY_FILE = 'lib/auth/session/proxy.ts';
const MEMO_FILE = 'lib/auth/authkit/proxy-session.ts';

export const OVERLAYS: Record<BuiltPeerId, Edit[]> = {
  o: [CACHE_REPORT],
  a: [
    { path: 'proxy.ts', remove: true },
    { path: 'app/dashboard/page.tsx', from: 'bench/variants/fixture-dashboard-page.tsx' },
    FIXTURE_LAYOUT,
  ],
  n: [
    { path: 'proxy.ts', from: 'bench/variants/no-op-proxy.ts' },
    { path: 'app/dashboard/page.tsx', from: 'bench/variants/fixture-dashboard-page.tsx' },
    FIXTURE_LAYOUT,
  ],
  k: [
    { path: 'proxy.ts', from: 'bench/variants/authkit-proxy.ts' },
    { path: 'app/dashboard/page.tsx', from: 'bench/variants/authkit-dashboard-page.tsx' },
    FIXTURE_LAYOUT,
  ],
  m: [
    CACHE_REPORT,
    ...(
      [
        [
          'const remembered = cookie ? recallVerifiedSession(cookie, cookiePassword, url) : undefined;',
          'const remembered = undefined; // (m): the memo is never consulted before the request copy',
        ],
        [
          'const remembered = cookie === undefined ? undefined : recallVerifiedSession(cookie, options.cookiePassword, request.url);',
          'const remembered = undefined; // (m): the memo is never consulted',
        ],
        [
          'if (!refreshed && cookie !== undefined) rememberVerifiedSession(cookie, options.cookiePassword, result);',
          'void result; // (m): nothing is remembered',
        ],
      ] as const
    ).map(([search, replacement]) => ({ path: MEMO_FILE, transform: replaceOnce(MEMO_FILE, search, replacement) })),
  ],
  f: [
    CACHE_REPORT,
    {
      path: PROXY_FILE,
      transform: (text) =>
        `${replaceOnce(
          PROXY_FILE,
          'response = forwardRemembered(incoming, forwarded, context) ?? (await authenticate(incoming, forwarded, context));',
          'response = forwardUnverified(incoming, forwarded, context); // (f): no authentication',
        )(text)}\n${FORWARD_UNVERIFIED}`,
    },
  ],
};

/**
 * (f)'s stand-in for authentication: forwards what a verified-session memo hit
 * forwards in (o) — the headers authkit gives a valid session, the return path
 * and the proof, by the same path — built from the cookie as sent. Nothing is
 * recalled, unsealed, verified or bound.
 */
const FORWARD_UNVERIFIED = `
function forwardUnverified(incoming: NextRequest, forwarded: Headers, { config, origin, returnTo }: ProxyContext): NextResponse {
  const authkitHeaders = new Headers({ 'x-workos-middleware': 'true', 'x-url': incoming.url, 'x-redirect-uri': redirectUriFor(origin) });
  const seal = incoming.cookies.get(config.cookie.name)?.value;
  if (seal) authkitHeaders.set(AUTHKIT_SESSION_HEADER, seal);
  addProxyProof(forwarded, authkitHeaders, returnTo, config.cookiePassword);
  return forwardWithAuthkitHeaders(forwarded, authkitHeaders);
}
`;

/** Bump when the way copies are made changes, so old cached builds are not reused. */
const RECIPE_VERSION = '2';
const CACHE_ROOT = path.join(os.tmpdir(), 'authkit-starter-bench-builds');
const BUILT_MARKER = 'BENCH_BUILD_COMPLETE';
/** The build copies this process made, is making or reused: what {@link removePeerBuilds} removes. */
const buildsOfThisRun = new Set<string>();

/** Files `next build` never reads: left out of the copies and of the hash. */
const NOT_IN_BUILD = [
  /\.md$/,
  /\.test\.tsx?$/,
  /\.spec\.ts$/,
  /^docs\//,
  /^e2e\//,
  /^test\//,
  /^scripts\//,
  /^\.github\//,
  /^\.ci\//,
  /^bench\/(?!variants\/)/,
];

function repoFiles(root: string): string[] {
  const output = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  // --cached lists files deleted in the work tree too; only copy what exists.
  return output
    .split('\0')
    .filter((file) => file && !NOT_IN_BUILD.some((pattern) => pattern.test(file)) && existsSync(path.join(root, file)))
    .sort();
}

function buildEnv(): Record<string, string> {
  // Like `npm run build:e2e`: no WorkOS value at build time, every one given at start (bench/lib/stack.ts).
  return { [BUILD_WITHOUT_CONFIG_SWITCH]: '1', __NEXT_PROCESSED_ENV: 'true', SKIP_BUILD_TYPECHECK: '1', NEXT_TELEMETRY_DISABLED: '1' };
}

function overlayDescription(edits: Edit[], root: string): string {
  return JSON.stringify(
    edits.map((edit) =>
      'from' in edit
        ? { ...edit, content: readFileSync(path.join(root, edit.from), 'utf8') }
        : 'transform' in edit
          ? { path: edit.path, transform: edit.transform.toString() }
          : edit,
    ),
  );
}

function sourceHash(root: string, peer: BuiltPeerId, files: string[] = repoFiles(root)): string {
  const hash = createHash('sha256');
  hash.update(
    `${RECIPE_VERSION}\0${peer}\0${process.version}\0${JSON.stringify(buildEnv())}\0${overlayDescription(OVERLAYS[peer], root)}\0`,
  );
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

export function applyOverlay(root: string, dir: string, edits: Edit[]): void {
  for (const edit of edits) {
    const target = path.join(dir, edit.path);
    if ('remove' in edit) rmSync(target);
    else if ('from' in edit) writeFileSync(target, readFileSync(path.join(root, edit.from)));
    else writeFileSync(target, edit.transform(readFileSync(target, 'utf8')));
  }
}

function linkNodeModules(root: string, dir: string): void {
  const source = path.join(root, 'node_modules');
  const target = path.join(dir, 'node_modules');
  mkdirSync(target);
  const entries = readdirSync(source).filter((entry) => entry !== '.cache');
  try {
    execFileSync('cp', ['-al', ...entries.map((entry) => path.join(source, entry)), `${target}/`]);
  } catch {
    // Another filesystem (no hard links): copy.
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target);
    for (const entry of entries) cpSync(path.join(source, entry), path.join(target, entry), { recursive: true, verbatimSymlinks: true });
  }
}

export interface PeerBuild {
  peer: PeerId;
  dir: string;
  hash: string;
  reused: boolean;
  seconds: number;
}

/**
 * (b): the (o) build of another commit, made there by `npm run bench -- --only=peers --keep-builds` and
 * copied out of the cache first (each run keeps one build per peer there, so the next run replaces it),
 * e.g. `cp -al /tmp/authkit-starter-bench-builds/o-<hash> /tmp/o-before`. Measured as it is, never rebuilt.
 */
export function baselineBuild(dir: string): PeerBuild {
  const resolved = path.resolve(dir);
  if (!existsSync(path.join(resolved, BUILT_MARKER)) || !existsSync(path.join(resolved, '.next')))
    throw new Error(`--baseline=${dir}: not a complete (o) build of this benchmark (no ${BUILT_MARKER} or .next there)`);
  return { peer: 'b', dir: resolved, hash: path.basename(resolved), reused: true, seconds: 0 };
}

/** The built copy for `peer`, from the cache when its sources are unchanged. */
export async function ensurePeerBuild(root: string, peer: BuiltPeerId, logDir: string): Promise<PeerBuild> {
  const started = performance.now();
  const files = repoFiles(root);
  const hash = sourceHash(root, peer, files);
  const dir = path.join(CACHE_ROOT, `${peer}-${hash}`);
  buildsOfThisRun.add(dir);
  if (existsSync(path.join(dir, BUILT_MARKER))) return { peer, dir, hash, reused: true, seconds: 0 };

  // One cached build per peer: drop older ones (and a half-made one of this hash).
  mkdirSync(CACHE_ROOT, { recursive: true });
  for (const entry of readdirSync(CACHE_ROOT))
    if (entry.startsWith(`${peer}-`)) rmSync(path.join(CACHE_ROOT, entry), { recursive: true, force: true });
  mkdirSync(dir);
  for (const file of files) cpSync(path.join(root, file), path.join(dir, file), { recursive: false, verbatimSymlinks: true });
  applyOverlay(root, dir, OVERLAYS[peer]);
  linkNodeModules(root, dir);
  await runToCompletion(`build-${peer}`, process.execPath, [path.join(dir, 'node_modules/next/dist/bin/next'), 'build'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...buildEnv() },
    logFile: path.join(logDir, `build-${peer}.log`),
    // ≈ 40 s on a quiet 2-core VM; several minutes when other builds share it.
    timeoutMs: 900_000,
    cwd: dir,
  });
  writeFileSync(path.join(dir, BUILT_MARKER), `${new Date().toISOString()}\n`);
  return { peer, dir, hash, reused: false, seconds: (performance.now() - started) / 1000 };
}

/**
 * Removes the build copies of this run (each ≈ 150 MB of build output next to a hard-linked
 * node_modules), and the cache folder when nothing else is kept in it. Stop their servers first.
 */
export function removePeerBuilds(): void {
  for (const dir of buildsOfThisRun) rmSync(dir, { recursive: true, force: true });
  buildsOfThisRun.clear();
  try {
    rmdirSync(CACHE_ROOT);
  } catch {
    // Missing, or builds kept by another run are still in it.
  }
}
