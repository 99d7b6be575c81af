/**
 * Target 4 — sign-in round trip in a real browser (Chromium via Playwright).
 *
 * Each run uses a fresh browser context (no cookies) and the same user:
 *   start  — click "Sign in" on the home page → the hosted sign-in page has loaded;
 *   finish — click "Sign in" on the hosted page → the dashboard has loaded
 *            (the mock's redirect, the callback's code exchange and sealed
 *            cookie, the proxy's verification, the dashboard render, `load`);
 *   lcp    — the same click → the dashboard's largest contentful paint (a
 *            PerformanceObserver in the page): when the person sees it.
 * Both are measured on the browser's clock for `lcp` (the epoch time of the
 * click, taken in the hosted page, against the dashboard's timeOrigin + the
 * LCP entry's startTime) and on this process's clock for `finish`.
 * One unmeasured run first warms the server and the browser.
 */
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../../e2e/support/browser.ts';
import { createBenchUser, type AppInstance, type Mock } from '../lib/stack.ts';
import { percentile, round } from '../lib/stats.ts';

export interface SignInRoundTripResult {
  runs: number;
  finishMedianMs: number;
  finishP90Ms: number;
  startMedianMs: number;
  startP90Ms: number;
  totalMedianMs: number;
  lcpMedianMs: number;
  lcpP90Ms: number;
  failures: number;
}

/** The dashboard's latest largest-contentful-paint entry, as epoch ms (waits up to 3 s for one). */
function largestContentfulPaintAt(): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no largest-contentful-paint entry within 3 s')), 3_000);
    new PerformanceObserver((list) => {
      const last = list.getEntries().at(-1);
      if (!last) return;
      clearTimeout(timer);
      resolve(performance.timeOrigin + last.startTime);
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  });
}

export async function browserSignIn(app: AppInstance, mock: Mock, runs: number, log: (line: string) => void): Promise<SignInRoundTripResult> {
  const user = await createBenchUser(mock.control, 'browser');
  // The full browser, not the headless shell: the figure stands for what a person's browser does.
  const browser = await chromium.launch({ ...chromiumLaunchOptions({ fullBrowser: true }), headless: true });
  const start: number[] = [];
  const finish: number[] = [];
  const lcp: number[] = [];
  let failures = 0;
  try {
    for (let run = 0; run <= runs; run += 1) {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      try {
        await page.goto(`${app.publicOrigin}/`, { waitUntil: 'load' });
        const t0 = performance.now();
        await page.locator('main a[href="/auth/sign-in"]').click();
        await page.waitForURL(/\/authkit\/sign-in/, { waitUntil: 'load' });
        const t1 = performance.now();
        await page.getByLabel('Email').fill(user.email);
        await page.getByLabel('Password').fill(user.password);
        const submitAt = await page.evaluate(() => performance.timeOrigin + performance.now());
        const t2 = performance.now();
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        await page.waitForURL(/\/dashboard$/, { waitUntil: 'load' });
        const t3 = performance.now();
        const paintedAt = await page.evaluate(largestContentfulPaintAt);
        const email = await page.getByTestId('user-email').textContent();
        if (email !== user.email) throw new Error(`dashboard shows ${email}`);
        if (run > 0) {
          start.push(t1 - t0);
          finish.push(t3 - t2);
          lcp.push(paintedAt - submitAt);
        }
      } catch (error) {
        failures += 1;
        log(`  sign-in run ${run} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  return {
    runs: finish.length,
    finishMedianMs: round(percentile(finish, 50), 1),
    finishP90Ms: round(percentile(finish, 90), 1),
    startMedianMs: round(percentile(start, 50), 1),
    startP90Ms: round(percentile(start, 90), 1),
    totalMedianMs: round(percentile(start.map((value, index) => value + (finish[index] ?? 0)), 50), 1),
    lcpMedianMs: round(percentile(lcp, 50), 1),
    lcpP90Ms: round(percentile(lcp, 90), 1),
    failures,
  };
}
