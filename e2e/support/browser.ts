/**
 * Which Chromium Playwright launches.
 *
 * Playwright's own build is the right default (`npx playwright install
 * chromium`). Where it cannot be downloaded (locked-down CI, some Linux
 * distributions), fall back to a system Chromium: PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH,
 * then /usr/bin/chromium.
 */
import { existsSync } from 'node:fs';
import { chromium, type LaunchOptions } from '@playwright/test';

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

export function chromiumLaunchOptions(): LaunchOptions {
  if (existsSync(chromium.executablePath())) return {};

  const candidates = [process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const executablePath = candidates.find((candidate): candidate is string => Boolean(candidate && existsSync(candidate)));
  if (executablePath) return { executablePath, args: SYSTEM_CHROMIUM_ARGS };

  console.error(
    'No Chromium found: run `npx playwright install chromium`, or install a system Chromium (e.g. `apt-get install chromium`) and set PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH if it is not at /usr/bin/chromium.',
  );
  process.exit(1);
}
