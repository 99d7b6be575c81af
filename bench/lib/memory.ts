/**
 * Memory of an app instance: the resident set of every process in its process
 * group (read from /proc, Linux only), and the in-process cache sizes the
 * server writes to its log on SIGUSR2 (bench/variants/cache-report.ts, present
 * only in the bench's builds).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { CACHE_REPORT_PREFIX } from '../variants/cache-report.ts';
import type { CacheSize } from '../../lib/cache-sizes.ts';
import { sleep } from './stats.ts';
import type { AppInstance } from './stack.ts';

export interface ProcessMemory {
  pid: number;
  command: string;
  rssMiB: number;
}

function readProc(pid: string): { pgrp: number; command: string; rssKiB: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid pgrp … — comm may contain spaces and parentheses.
    const afterComm = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pgrp = Number(afterComm[2]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKiB = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(0, 3).join(' ');
    return { pgrp, command, rssKiB };
  } catch {
    return undefined; // exited meanwhile, or not Linux
  }
}

/** Every live process in the instance's process group, with its RSS. */
export function groupMemory(app: AppInstance): ProcessMemory[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  const members: ProcessMemory[] = [];
  for (const pid of pids) {
    const info = readProc(pid);
    if (info && info.pgrp === app.process.pid && info.rssKiB > 0)
      members.push({ pid: Number(pid), command: info.command, rssMiB: Math.round((info.rssKiB / 1024) * 10) / 10 });
  }
  return members.sort((a, b) => a.pid - b.pid);
}

export interface CacheReport {
  pid: number;
  rssBytes: number;
  caches: Record<string, CacheSize>;
}

/**
 * Asks the server process for its cache sizes. The handler is installed by the
 * bench's instrumentation overlay in peer (o) only; `next start` serves in the
 * process it was started as (the group leader), which is the one signalled.
 */
export async function cacheReport(app: AppInstance, timeoutMs = 5_000): Promise<CacheReport | undefined> {
  const seen = readFileSync(app.logFile, 'utf8').length;
  process.kill(app.process.pid, 'SIGUSR2');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const line = readFileSync(app.logFile, 'utf8')
      .slice(seen)
      .split('\n')
      .find((entry) => entry.startsWith(CACHE_REPORT_PREFIX));
    if (line) return JSON.parse(line.slice(CACHE_REPORT_PREFIX.length)) as CacheReport;
    await sleep(50);
  }
  return undefined;
}
