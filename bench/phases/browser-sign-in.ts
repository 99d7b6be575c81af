/**
 * Target 4 — sign-in round trip in a real browser (Chromium via Playwright).
 *
 * Each run uses a fresh browser context (no cookies) and the same user:
 *   start  — click "Sign in" on the home page → the hosted sign-in page's `load`;
 *   lcp    — submit the hosted page's form → the dashboard's largest
 *            contentful paint: when the person sees it (the target);
 *   load   — the same submit → the dashboard's `load` event, which also
 *            waits for its scripts;
 *   firstByte — the same submit → the dashboard's first byte: the mock's
 *            redirect, the callback's code exchange and sealed cookie, the
 *            proxy and the render's first flush (the server's share).
 * Every figure is taken on the browser's clock, from the event the person
 * causes (the click's or the submit's `event.timeStamp`, reported by an init
 * script) to the destination page's own timing entries. Until 2026-11-30 the
 * clock started before Playwright's `click()`, so each figure also held the
 * harness's actionability checks (waiting for the button to be stable over
 * animation frames) and input dispatch: `harness` reports that part apart.
 * One unmeasured run first warms the server and the browser.
 */
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../../e2e/support/browser.ts';
import { closeOnStop } from '../lib/processes.ts';
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
  firstByteMedianMs: number;
  /** From before Playwright's click() to the submit event: what the figures held until 2026-11-30. */
  harnessMedianMs: number;
  failures: number;
}

/** Epoch ms (browser clock) of the page's `load` end, its first byte and its latest largest contentful paint (waits up to 3 s for one). */
function pageTimings(): Promise<{ loadAt: number; firstByteAt: number; lcpAt: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no largest-contentful-paint entry within 3 s')), 3_000);
    const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    if (!navigation || navigation.loadEventEnd === 0) {
      reject(new Error('the page has no finished navigation entry'));
      return;
    }
    new PerformanceObserver((list) => {
      const last = list.getEntries().at(-1);
      if (!last) return;
      clearTimeout(timer);
      resolve({
        loadAt: performance.timeOrigin + navigation.loadEventEnd,
        firstByteAt: performance.timeOrigin + navigation.responseStart,
        lcpAt: performance.timeOrigin + last.startTime,
      });
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  });
}

/**
 * Reports each click and submit in any page of the context, with its browser-clock epoch
 * time, before the browser acts on it (capture phase, so before any navigation it starts).
 */
function reportUserEvents(): void {
  for (const kind of ['click', 'submit'] as const) {
    document.addEventListener(
      kind,
      (event) =>
        void (window as unknown as { __benchUserEvent(kind: string, at: number): void }).__benchUserEvent(
          kind,
          performance.timeOrigin + event.timeStamp,
        ),
      { capture: true },
    );
  }
}

export async function browserSignIn(
  app: AppInstance,
  mock: Mock,
  runs: number,
  log: (line: string) => void,
): Promise<SignInRoundTripResult> {
  const user = await createBenchUser(mock.control, 'browser');
  // The full browser, not the headless shell: the figure stands for what a person's browser does.
  const browser = await chromium.launch({
    ...chromiumLaunchOptions({ fullBrowser: true }),
    headless: true,
    // bench/run.ts handles Ctrl-C and SIGTERM: it closes this browser, then removes the rest.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const forget = closeOnStop(browser);
  const start: number[] = [];
  const finish: number[] = [];
  const lcp: number[] = [];
  const firstByte: number[] = [];
  const harness: number[] = [];
  let failures = 0;
  try {
    for (let run = 0; run <= runs; run += 1) {
      const context = await browser.newContext();
      const seen: Partial<Record<'click' | 'submit', number>> = {};
      await context.exposeBinding('__benchUserEvent', (_source, kind: 'click' | 'submit', at: number) => {
        seen[kind] = at;
      });
      await context.addInitScript(reportUserEvents);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      try {
        await page.goto(`${app.publicOrigin}/`, { waitUntil: 'load' });
        delete seen.click;
        await page.locator('main a[href="/auth/sign-in"]').click();
        await page.waitForURL(/\/authkit\/sign-in/, { waitUntil: 'load' });
        const hostedPage = await page.evaluate(pageTimings);
        const clickedAt = seen.click;
        if (clickedAt === undefined) throw new Error('the click on "Sign in" was not reported');
        await page.getByLabel('Email').fill(user.email);
        await page.getByLabel('Password').fill(user.password);
        const beforeClickAt = await page.evaluate(() => performance.timeOrigin + performance.now());
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        await page.waitForURL(/\/dashboard$/, { waitUntil: 'load' });
        const dashboard = await page.evaluate(pageTimings);
        const submittedAt = seen.submit;
        if (submittedAt === undefined) throw new Error("the sign-in form's submit event was not reported");
        const email = await page.getByTestId('user-email').textContent();
        if (email !== user.email) throw new Error(`dashboard shows ${email}`);
        if (run > 0) {
          start.push(hostedPage.loadAt - clickedAt);
          finish.push(dashboard.loadAt - submittedAt);
          lcp.push(dashboard.lcpAt - submittedAt);
          firstByte.push(dashboard.firstByteAt - submittedAt);
          harness.push(submittedAt - beforeClickAt);
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
    forget();
  }
  return {
    runs: finish.length,
    finishMedianMs: round(percentile(finish, 50), 1),
    finishP90Ms: round(percentile(finish, 90), 1),
    startMedianMs: round(percentile(start, 50), 1),
    startP90Ms: round(percentile(start, 90), 1),
    totalMedianMs: round(
      percentile(
        start.map((value, index) => value + (finish[index] ?? 0)),
        50,
      ),
      1,
    ),
    lcpMedianMs: round(percentile(lcp, 50), 1),
    lcpP90Ms: round(percentile(lcp, 90), 1),
    firstByteMedianMs: round(percentile(firstByte, 50), 1),
    harnessMedianMs: round(percentile(harness, 50), 1),
    failures,
  };
}
