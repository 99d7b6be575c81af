/**
 * What the tests and the benchmark need from the operating system (a Chromium,
 * redis-server, nginx), provisioned one way for all of them: `.ci/run`, the e2e
 * suite's browser choice (e2e/support/browser.ts) and `npm run bench`.
 *
 * Run as root where apt-get exists (a Debian or Ubuntu CI image, a container),
 * {@link installWithApt} installs the package itself. Anywhere else nothing is
 * installed (no sudo prompt in the middle of a run): {@link installCommand} is
 * the exact command to give the user, for this machine's package manager.
 *
 * Imported by vitest tests, the e2e suite and plain `node` alike, so relative imports only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** One package, by the name each package manager knows it under (none: that manager does not have it). */
export interface SystemPackage {
  apt: string;
  dnf?: string;
  pacman?: string;
  apk?: string;
  zypper?: string;
  /** macOS (Homebrew), e.g. `redis` or `--cask google-chrome`. */
  brew?: string;
  /** Windows, a winget package id. */
  winget?: string;
}

/** The full browser: headed runs, Lighthouse, the benchmark's sign-in timings. On macOS and Windows, Google Chrome. */
const CHROMIUM = {
  apt: 'chromium',
  dnf: 'chromium',
  pacman: 'chromium',
  apk: 'chromium',
  zypper: 'chromium',
  brew: '--cask google-chrome',
  winget: 'Google.Chrome',
} as const satisfies SystemPackage;

export const SYSTEM_PACKAGES = {
  chromium: CHROMIUM,
  /** Headless only, about half the CPU of the full browser on the e2e suite; Debian packages it, elsewhere the full browser. */
  chromiumHeadlessShell: { ...CHROMIUM, apt: 'chromium-headless-shell' },
  redisServer: { apt: 'redis-server', dnf: 'redis', pacman: 'redis', apk: 'redis', zypper: 'redis', brew: 'redis' },
  nginx: { apt: 'nginx', dnf: 'nginx', pacman: 'nginx', apk: 'nginx', zypper: 'nginx', brew: 'nginx' },
} as const satisfies Record<string, SystemPackage>;

/** Linux package managers, most common first: the first one on PATH names the command. */
const LINUX_MANAGERS = [
  { binary: 'apt-get', command: (name: string, sudo: string) => `${sudo}apt-get update && ${sudo}apt-get install -y ${name}`, of: 'apt' },
  { binary: 'dnf', command: (name: string, sudo: string) => `${sudo}dnf install -y ${name}`, of: 'dnf' },
  { binary: 'pacman', command: (name: string, sudo: string) => `${sudo}pacman -S --needed --noconfirm ${name}`, of: 'pacman' },
  { binary: 'apk', command: (name: string, sudo: string) => `${sudo}apk add ${name}`, of: 'apk' },
  { binary: 'zypper', command: (name: string, sudo: string) => `${sudo}zypper install -y ${name}`, of: 'zypper' },
] as const;

/** One apt-get step may download a browser (~100 MB): bounded, not forever. */
const APT_TIMEOUT_MS = 600_000;

/** An executable of that name on PATH (what `command -v` answers), else undefined. */
export function findOnPath(binary: string, searchPath: string | undefined = process.env.PATH): string | undefined {
  return (searchPath ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, binary))
    .find((candidate) => existsSync(candidate));
}

const isRoot = () => process.getuid?.() === 0;

/** The exact command that installs `pkg` on this machine, with sudo unless root; undefined where no known package manager has it. */
export function installCommand(pkg: SystemPackage): string | undefined {
  if (process.platform === 'darwin') return pkg.brew && `brew install ${pkg.brew}`;
  if (process.platform === 'win32') return pkg.winget && `winget install -e --id ${pkg.winget}`;
  const sudo = isRoot() ? '' : 'sudo ';
  for (const manager of LINUX_MANAGERS) {
    if (!findOnPath(manager.binary)) continue;
    const name = pkg[manager.of];
    return name && manager.command(name, sudo);
  }
  return undefined;
}

/**
 * `apt-get update && apt-get install -y <pkg>` (no recommends, non-interactive),
 * only when running as root with apt-get on PATH and `allowed`; true when both
 * steps succeeded. The caller checks that what it needed is really there now.
 */
export function installWithApt(
  pkg: SystemPackage,
  { allowed = true, log = (line: string) => console.error(line) }: { allowed?: boolean; log?: (line: string) => void } = {},
): boolean {
  const aptGet = findOnPath('apt-get');
  if (!allowed || !aptGet || !isRoot()) return false;
  log(`Installing ${pkg.apt} with apt-get (running as root): apt-get update && apt-get install -y ${pkg.apt}…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', pkg.apt],
  ]) {
    const result = spawnSync(aptGet, args, { env, stdio: ['ignore', 'ignore', 'inherit'], timeout: APT_TIMEOUT_MS });
    if (result.status !== 0) {
      log(`apt-get ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}).`);
      return false;
    }
  }
  return true;
}
