import { afterEach, describe, expect, it, vi } from 'vitest';

const PLAYWRIGHT_CHROMIUM = '/playwright/chromium-1234/chrome';
const present = new Set<string>();
vi.mock('node:fs', () => ({ existsSync: (path: string) => present.has(path) }));
vi.mock('@playwright/test', () => ({ chromium: { executablePath: () => PLAYWRIGHT_CHROMIUM } }));

/** `playwright install chromium` as this machine would answer it: fails offline, unless a test says otherwise. */
type InstallOutcome = { status: number; stderr: string; installs?: boolean };
const offline: InstallOutcome = {
  status: 1,
  stderr:
    'Error: getaddrinfo ENOTFOUND cdn.playwright.dev\n    at GetAddrInfoReqWrap.onlookupall (node:internal/dns/promises:102:17)\nFailed to install browsers\n',
};
let installOutcome: InstallOutcome = offline;
/** apt-get as root on a Debian machine would answer: each package lands where Debian puts it, unless a test says it fails. */
const DEBIAN_PATHS: Record<string, string> = {
  chromium: '/usr/bin/chromium',
  'chromium-headless-shell': '/usr/bin/chromium-headless-shell',
};
let aptFails = false;
const spawnSync = vi.fn<(command: string, args: readonly string[]) => { status: number; stderr: string }>((command, args) => {
  if (command.endsWith('apt-get')) {
    const installed = args[0] === 'install' ? DEBIAN_PATHS[args.at(-1) ?? ''] : undefined;
    if (!aptFails && installed) present.add(installed);
    return { status: aptFails ? 100 : 0, stderr: '' };
  }
  if (installOutcome.installs) present.add(PLAYWRIGHT_CHROMIUM);
  return { status: installOutcome.status, stderr: installOutcome.stderr };
});
vi.mock('node:child_process', () => ({ spawnSync: (command: string, args: readonly string[]) => spawnSync(command, args) }));

const { chromiumLaunchOptions, isHeadedRun } = await import('./browser');

/** process.exit throws instead (so the test goes on), console.error is recorded. */
function stubExitAndConsole() {
  const exit = vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    throw new Error(`exit ${code}`);
  }) as typeof process.exit);
  const error = vi.spyOn(console, 'error').mockImplementation(() => {});
  return { exit, error };
}

/** This machine as a test describes it: its PATH, whether the run is root, and its OS. */
function onMachine({
  path = '/usr/local/bin:/usr/bin:/bin',
  root = false,
  platform,
}: {
  path?: string;
  root?: boolean;
  platform?: NodeJS.Platform;
}) {
  vi.stubEnv('PATH', path);
  vi.spyOn(process, 'getuid').mockReturnValue(root ? 0 : 1000);
  if (platform) {
    const original = Object.getOwnPropertyDescriptor(process, 'platform');
    Object.defineProperty(process, 'platform', { value: platform });
    restorePlatform = () => original && Object.defineProperty(process, 'platform', original);
  }
}
let restorePlatform = () => {};

const APT_CALLS = (name: string) => [
  ['/usr/bin/apt-get', ['update', '-qq']],
  ['/usr/bin/apt-get', ['install', '-y', '-qq', '--no-install-recommends', name]],
];
const PLAYWRIGHT_INSTALL = [process.execPath, [expect.stringMatching(/@playwright[/\\]test[/\\]cli\.js$/), 'install', 'chromium']];

afterEach(() => {
  present.clear();
  installOutcome = offline;
  aptFails = false;
  restorePlatform();
  restorePlatform = () => {};
  spawnSync.mockClear();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('isHeadedRun', () => {
  it.each([['--headed'], ['--ui'], ['--ui-port=9323'], ['--debug']])('is true for %s', (flag) => {
    expect(isHeadedRun(['node', 'playwright', 'test', flag], {})).toBe(true);
  });

  it('is true in a worker the runner marked headed, and under PWDEBUG', () => {
    expect(isHeadedRun(['node', 'worker'], { E2E_HEADED: '1' })).toBe(true);
    expect(isHeadedRun(['node', 'worker'], { PWDEBUG: 'console' })).toBe(true);
  });

  it('is false for a plain run, including a spec named like a flag', () => {
    expect(isHeadedRun(['node', 'playwright', 'test', 'e2e/session.spec.ts', '--grep', 'ui'], {})).toBe(false);
  });
});

describe('chromiumLaunchOptions', () => {
  it("leaves Playwright's own Chromium alone (it picks its headless shell itself)", () => {
    present.add(PLAYWRIGHT_CHROMIUM).add('/usr/bin/chromium-headless-shell');
    expect(chromiumLaunchOptions()).toEqual({});
    expect(spawnSync).not.toHaveBeenCalled();
  });

  it('prefers the system headless shell for headless runs', () => {
    present.add('/usr/bin/chromium').add('/usr/bin/chromium-headless-shell');
    expect(chromiumLaunchOptions().executablePath).toBe('/usr/bin/chromium-headless-shell');
  });

  it('takes the full system browser when a window or the real browser is wanted', () => {
    present.add('/usr/bin/chromium').add('/usr/bin/chromium-headless-shell');
    expect(chromiumLaunchOptions({ fullBrowser: true }).executablePath).toBe('/usr/bin/chromium');
  });

  it('falls back to the full browser when there is no headless shell', () => {
    present.add('/usr/bin/chromium');
    expect(chromiumLaunchOptions().executablePath).toBe('/usr/bin/chromium');
  });

  it('lets PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH win, with the system-browser flags', () => {
    present.add('/opt/chrome/chrome').add('/usr/bin/chromium-headless-shell');
    vi.stubEnv('PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH', '/opt/chrome/chrome');
    const options = chromiumLaunchOptions();
    expect(options.executablePath).toBe('/opt/chrome/chrome');
    expect(options.args).toContain('--no-sandbox');
  });

  it("with no Chromium at all, installs Playwright's and uses it", () => {
    installOutcome = { status: 0, stderr: '', installs: true };
    const { exit } = stubExitAndConsole();
    expect(chromiumLaunchOptions()).toEqual({});
    expect(spawnSync).toHaveBeenCalledTimes(1);
    const [command, args] = spawnSync.mock.calls[0] ?? [];
    expect(command).toBe(process.execPath);
    expect(args?.[0]).toMatch(/@playwright[/\\]test[/\\]cli\.js$/);
    expect(args?.slice(1)).toEqual(['install', 'chromium']);
    expect(exit).not.toHaveBeenCalled();
  });

  it('stops with an actionable message when there is no Chromium at all and the install fails', () => {
    const { exit, error } = stubExitAndConsole();
    expect(() => chromiumLaunchOptions()).toThrow('exit 1');
    expect(spawnSync).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(1);
    expect(error.mock.calls.map((call) => call[0])).toEqual([
      'No Chromium found: running `npx playwright install chromium` (a download of about 170 MB)…',
      '`npx playwright install chromium` failed: getaddrinfo ENOTFOUND cdn.playwright.dev.',
      expect.stringMatching(/^No Chromium found: run `npx playwright install chromium`.*apt-get install chromium-headless-shell/),
    ]);
  });

  it('a reported install success without the browser on disk still counts as a failure', () => {
    installOutcome = { status: 0, stderr: '' };
    const { exit } = stubExitAndConsole();
    expect(() => chromiumLaunchOptions()).toThrow('exit 1');
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('says a headless shell is not enough when the full browser is wanted (after trying the install)', () => {
    present.add('/usr/bin/chromium-headless-shell');
    const { error } = stubExitAndConsole();
    expect(() => chromiumLaunchOptions({ fullBrowser: true })).toThrow('exit 1');
    expect(spawnSync).toHaveBeenCalledTimes(1);
    expect(error.mock.calls.at(-1)?.[0]).toMatch(/No full Chromium found.*apt-get install chromium`/);
  });

  describe('provisioning on a machine without any Chromium', () => {
    it("as root with apt-get, installs Debian's chromium for the full browser (the benchmark) and uses it", () => {
      onMachine({ root: true });
      present.add('/usr/bin/apt-get');
      const { error } = stubExitAndConsole();
      expect(chromiumLaunchOptions({ fullBrowser: true })).toEqual({
        executablePath: '/usr/bin/chromium',
        args: expect.arrayContaining(['--no-sandbox']),
      });
      expect(spawnSync.mock.calls).toEqual(APT_CALLS('chromium'));
      expect(error.mock.calls.map((call) => call[0])).toEqual([
        'Installing chromium with apt-get (running as root): apt-get update && apt-get install -y chromium…',
      ]);
    });

    it("as root with apt-get, installs Debian's chromium-headless-shell for a headless run", () => {
      onMachine({ root: true });
      present.add('/usr/bin/apt-get');
      stubExitAndConsole();
      expect(chromiumLaunchOptions().executablePath).toBe('/usr/bin/chromium-headless-shell');
      expect(spawnSync.mock.calls).toEqual(APT_CALLS('chromium-headless-shell'));
    });

    it('runs no apt-get for a headless run the full browser can serve, unless provisioning (.ci/run) asks for the faster shell', () => {
      onMachine({ root: true });
      present.add('/usr/bin/apt-get').add('/usr/bin/chromium');
      expect(chromiumLaunchOptions().executablePath).toBe('/usr/bin/chromium');
      expect(spawnSync).not.toHaveBeenCalled();

      expect(chromiumLaunchOptions({ provision: true }).executablePath).toBe('/usr/bin/chromium-headless-shell');
      expect(spawnSync.mock.calls).toEqual(APT_CALLS('chromium-headless-shell'));
    });

    it('when apt-get fails, .ci/run goes on with the full browser it has, and says so', () => {
      onMachine({ root: true });
      present.add('/usr/bin/apt-get').add('/usr/bin/chromium');
      aptFails = true;
      const { error } = stubExitAndConsole();
      expect(chromiumLaunchOptions({ provision: true }).executablePath).toBe('/usr/bin/chromium');
      expect(spawnSync.mock.calls).toEqual(APT_CALLS('chromium-headless-shell').slice(0, 1));
      expect(error.mock.calls.at(-1)?.[0]).toBe('No headless shell found or installed: the e2e suite will use /usr/bin/chromium (slower).');
    });

    it("when apt-get fails, tries Playwright's download, then stops with the command to run (no sudo: already root)", () => {
      onMachine({ root: true });
      present.add('/usr/bin/apt-get');
      aptFails = true;
      const { exit, error } = stubExitAndConsole();
      expect(() => chromiumLaunchOptions({ fullBrowser: true })).toThrow('exit 1');
      expect(spawnSync.mock.calls).toEqual([...APT_CALLS('chromium').slice(0, 1), PLAYWRIGHT_INSTALL]);
      expect(exit).toHaveBeenCalledWith(1);
      expect(error.mock.calls.at(-1)?.[0]).toBe(
        'No full Chromium found (a headless shell cannot show a window or run Lighthouse): install one with `apt-get update && apt-get install -y chromium`, or run `npx playwright install chromium` where its download is not blocked (PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH points at any other Chromium).',
      );
    });

    it('not root: runs no apt-get, and after the Playwright download fails names the sudo command for Debian', () => {
      onMachine({ root: false });
      present.add('/usr/bin/apt-get');
      const { error } = stubExitAndConsole();
      expect(() => chromiumLaunchOptions({ fullBrowser: true })).toThrow('exit 1');
      expect(spawnSync.mock.calls).toEqual([PLAYWRIGHT_INSTALL]);
      expect(error.mock.calls.at(-1)?.[0]).toMatch(
        /^No full Chromium found .*: install one with `sudo apt-get update && sudo apt-get install -y chromium`, /,
      );
    });

    it('installAllowed: false (BENCH_NO_INSTALL=1) runs no apt-get, even as root', () => {
      onMachine({ root: true });
      present.add('/usr/bin/apt-get');
      stubExitAndConsole();
      expect(() => chromiumLaunchOptions({ fullBrowser: true, installAllowed: false })).toThrow('exit 1');
      expect(spawnSync.mock.calls).toEqual([PLAYWRIGHT_INSTALL]);
    });

    it.each([
      ['Fedora', '/usr/bin/dnf', false, 'sudo dnf install -y chromium'],
      ['Arch', '/usr/bin/pacman', false, 'sudo pacman -S --needed --noconfirm chromium'],
      ['Alpine, as root (no apt-get: nothing is run)', '/sbin/apk', true, 'apk add chromium'],
      ['openSUSE', '/usr/bin/zypper', false, 'sudo zypper install -y chromium'],
    ])('on %s, names its package manager', (_os, manager, root, command) => {
      onMachine({ path: '/usr/local/bin:/usr/bin:/sbin', root });
      present.add(manager);
      const { error } = stubExitAndConsole();
      expect(() => chromiumLaunchOptions({ fullBrowser: true })).toThrow('exit 1');
      expect(spawnSync.mock.calls).toEqual([PLAYWRIGHT_INSTALL]);
      expect(error.mock.calls.at(-1)?.[0]).toContain(`install one with \`${command}\``);
    });

    it("on macOS, names Homebrew's Google Chrome, and finds it where it installs", () => {
      onMachine({ path: '/opt/homebrew/bin:/usr/bin', platform: 'darwin' });
      const { error } = stubExitAndConsole();
      expect(() => chromiumLaunchOptions({ fullBrowser: true })).toThrow('exit 1');
      expect(error.mock.calls.at(-1)?.[0]).toContain('install one with `brew install --cask google-chrome`');

      present.add('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
      expect(chromiumLaunchOptions({ fullBrowser: true }).executablePath).toBe(
        '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      );
    });
  });
});
