/**
 * `.ci/run`'s browser step: makes sure the e2e suite has a Chromium, the
 * headless shell preferred (browser.ts says why), installing it where it can
 * (test/system-packages.ts); otherwise exits 1 with the exact command to run.
 */
import { chromiumLaunchOptions } from './browser.ts';

const { executablePath } = chromiumLaunchOptions({ provision: true });
console.log(`ci: the e2e suite's Chromium: ${executablePath ?? "Playwright's own"}`);
