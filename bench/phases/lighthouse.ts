/**
 * Target 5 — page weight and Lighthouse scores for the home page (signed out)
 * and the dashboard (signed in: the session cookie goes in every request
 * through Lighthouse's extraHeaders).
 *
 * Lighthouse's default (mobile) configuration: simulated slow 4G and a 4x CPU
 * slowdown, so the performance score reflects a mid-range phone, not this
 * machine. JavaScript bytes are the transfer sizes (compressed, as sent) of
 * every Script request Lighthouse saw.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../../e2e/support/browser.ts';
import { registerBrowserPid, unregisterBrowserPid } from '../lib/processes.ts';
import { round } from '../lib/stats.ts';

export interface PageQuality {
  path: string;
  finalUrl: string;
  performance: number;
  accessibility: number;
  bestPractices: number;
  javascriptBytes: number;
  javascriptRequests: number;
  totalBytes: number;
  lcpMs: number;
  tbtMs: number;
  failedAudits: string[];
}

const SYSTEM_CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function chromePath(): string {
  if (process.env.CHROME_PATH) return process.env.CHROME_PATH;
  return chromiumLaunchOptions({ fullBrowser: true }).executablePath ?? chromium.executablePath();
}

interface NetworkItem {
  resourceType?: string;
  transferSize?: number;
}

/**
 * `profileDir`: Chrome's profile, in the run's temp dir (chrome-launcher's own would outlive a Ctrl-C),
 * and Chrome's TMPDIR too: chrome-launcher stops it with SIGKILL, which leaves its temp files behind.
 */
export async function pageQuality(
  origin: string,
  pages: { path: string; cookie?: string }[],
  resultsDir: string,
  profileDir: string,
): Promise<PageQuality[]> {
  mkdirSync(profileDir, { recursive: true });
  const chrome = await chromeLauncher.launch({
    chromePath: chromePath(),
    chromeFlags: SYSTEM_CHROMIUM_FLAGS,
    logLevel: 'error',
    userDataDir: profileDir,
    envVars: { ...process.env, TMPDIR: profileDir },
  });
  if (chrome.pid) registerBrowserPid(chrome.pid);
  const results: PageQuality[] = [];
  try {
    for (const page of pages) {
      const runnerResult = await lighthouse(`${origin}${page.path}`, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices'],
        extraHeaders: page.cookie ? { Cookie: page.cookie } : undefined,
      });
      if (!runnerResult) throw new Error(`lighthouse returned nothing for ${page.path}`);
      const { lhr } = runnerResult;
      mkdirSync(resultsDir, { recursive: true });
      writeFileSync(
        path.join(resultsDir, `lighthouse${page.path === '/' ? '-home' : page.path.replaceAll('/', '-')}.json`),
        JSON.stringify(lhr),
      );
      const items = ((lhr.audits['network-requests']?.details as { items?: NetworkItem[] } | undefined)?.items ?? []) as NetworkItem[];
      const scripts = items.filter((item) => item.resourceType === 'Script');
      const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
      results.push({
        path: page.path,
        finalUrl: lhr.finalDisplayedUrl,
        performance: score('performance'),
        accessibility: score('accessibility'),
        bestPractices: score('best-practices'),
        javascriptBytes: scripts.reduce((sum, item) => sum + (item.transferSize ?? 0), 0),
        javascriptRequests: scripts.length,
        totalBytes: items.reduce((sum, item) => sum + (item.transferSize ?? 0), 0),
        lcpMs: round(lhr.audits['largest-contentful-paint']?.numericValue ?? Number.NaN, 0),
        tbtMs: round(lhr.audits['total-blocking-time']?.numericValue ?? Number.NaN, 0),
        failedAudits: Object.values(lhr.audits)
          .filter(
            (audit) =>
              audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode !== 'informative' && audit.scoreDisplayMode !== 'manual',
          )
          .map((audit) => audit.id),
      });
    }
  } finally {
    chrome.kill();
    if (chrome.pid) unregisterBrowserPid(chrome.pid);
  }
  return results;
}
