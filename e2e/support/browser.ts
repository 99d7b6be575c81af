/**
 * Which Chromium Playwright launches.
 *
 * Playwright's own build is the right default (`npx playwright install
 * chromium`): it already runs headless tests in its light headless shell.
 * Where that download is blocked (locked-down CI, some Linux distributions),
 * fall back to a system Chromium: PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH, then
 * Debian's `chromium-headless-shell` for headless runs, then `chromium`.
 *
 * Why the headless shell first: on a 2-core machine the e2e suite is
 * CPU-bound, and the full browser in headless mode spent ~220 s of CPU on it,
 * the shell ~85 s; the suite's wall time went from a median 156 s to 86 s.
 * It cannot open a window, so headed runs (--headed, --ui, --debug) take the
 * full browser.
 *
 * With no Chromium at all (a fresh machine) it provisions one: as root where
 * apt-get exists, Debian's package (`chromium-headless-shell`, or `chromium`
 * for the full browser); otherwise `npx playwright install chromium`; and only
 * if that fails too it stops, with the exact install command for this machine
 * (test/system-packages.ts, shared with the rest of .ci/run and the benchmark).
 * `.ci/run` (through provision-chromium.ts) and `npm run bench` call it before
 * anything else, so a bare machine gets its browser without a manual step.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type LaunchOptions } from '@playwright/test';
import { SYSTEM_PACKAGES, installCommand, installWithApt } from '../../test/system-packages.ts';

// A system Chromium run as root needs --no-sandbox; the rest stop it from
// phoning home (updates, sync, field trials), which on a closed network means
// floods of refused connections.
const SYSTEM_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const SYSTEM_HEADLESS_SHELLS = ['/usr/bin/chromium-headless-shell'];
/** Where the packages installCommand() names put the full browser (Google Chrome on macOS and Windows). */
const SYSTEM_BROWSERS: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser'],
  darwin: ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
  win32: ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'],
};

export interface ChromiumChoice {
  /** A window will be shown (headed, UI mode, debugging), or the full browser is the point (Lighthouse, bench timings). */
  fullBrowser?: boolean;
  /**
   * Install the preferred kind (the headless shell for headless runs) with apt-get even when the
   * slower full browser is there: what .ci/run wants. Otherwise apt-get runs only when no usable
   * Chromium is found at all (this is called at every load of playwright.config.ts).
   */
  provision?: boolean;
  /** false: never run apt-get (BENCH_NO_INSTALL=1 for the benchmark). */
  installAllowed?: boolean;
}

/** True when this Playwright run shows a browser window; set by the runner, read again in each worker. */
export function isHeadedRun(
  argv: readonly string[] = process.argv,
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  return (
    env.E2E_HEADED === '1' ||
    Boolean(env.PWDEBUG) ||
    argv.some((arg) => arg === '--headed' || arg === '--ui' || arg.startsWith('--ui-') || arg === '--debug')
  );
}

/**
 * `npx playwright install chromium`, run with this Node through the CLI's own
 * file (no npx or shell lookup, same on Windows). Its download progress is
 * shown; its error output (a stack trace per retry) is cut to the first error.
 */
function installPlaywrightChromium(): boolean {
  console.error('No Chromium found: running `npx playwright install chromium` (a download of about 170 MB)…');
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const result = spawnSync(process.execPath, [cli, 'install', 'chromium'], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (result.status === 0 && existsSync(chromium.executablePath())) return true;
  const firstError = (result.stderr ?? '').split('\n').find((line) => line.startsWith('Error: '));
  console.error(
    `\`npx playwright install chromium\` failed${firstError ? `: ${firstError.slice('Error: '.length)}` : result.error ? `: ${result.error.message}` : ''}.`,
  );
  return false;
}

const firstExisting = (candidates: readonly (string | undefined)[]) =>
  candidates.find((candidate): candidate is string => Boolean(candidate && existsSync(candidate)));

export function chromiumLaunchOptions({
  fullBrowser = false,
  provision = false,
  installAllowed = true,
}: ChromiumChoice = {}): LaunchOptions {
  if (existsSync(chromium.executablePath())) return {};

  const systemBrowsers = SYSTEM_BROWSERS[process.platform] ?? [];
  const preferred = [process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH, ...(fullBrowser ? systemBrowsers : SYSTEM_HEADLESS_SHELLS)];
  const fallback = fullBrowser ? [] : systemBrowsers;
  const systemPackage = fullBrowser ? SYSTEM_PACKAGES.chromium : SYSTEM_PACKAGES.chromiumHeadlessShell;

  let executablePath = firstExisting(preferred);
  if (!executablePath && (provision || !firstExisting(fallback)) && installWithApt(systemPackage, { allowed: installAllowed })) {
    executablePath = firstExisting(preferred);
  }
  if (!executablePath) {
    executablePath = firstExisting(fallback);
    if (executablePath && provision)
      console.error(`No headless shell found or installed: the e2e suite will use ${executablePath} (slower).`);
  }
  if (executablePath) return { executablePath, args: SYSTEM_CHROMIUM_ARGS };

  if (installPlaywrightChromium()) return {};
  console.error(missingChromiumMessage(fullBrowser, installCommand(systemPackage)));
  process.exit(1);
}

function missingChromiumMessage(fullBrowser: boolean, command: string | undefined): string {
  const what = fullBrowser ? 'No full Chromium found (a headless shell cannot show a window or run Lighthouse)' : 'No Chromium found';
  if (!command)
    return fullBrowser
      ? `${what}: run \`npx playwright install chromium\`, or install a system one (e.g. \`apt-get install chromium\`) and set PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH if it is not in /usr/bin.`
      : `${what}: run \`npx playwright install chromium\`, or install a system one (e.g. \`apt-get install chromium-headless-shell chromium\`) and set PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH if it is not in /usr/bin.`;
  return `${what}: install one with \`${command}\`, or run \`npx playwright install chromium\` where its download is not blocked (PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH points at any other Chromium).`;
}
