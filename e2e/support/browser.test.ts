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
const spawnSync = vi.fn<(command: string, args: readonly string[]) => { status: number; stderr: string }>(() => {
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

afterEach(() => {
  present.clear();
  installOutcome = offline;
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
});
