/**
 * Child processes the benchmark starts (next start, nginx, the build), each in
 * its own process group so stopping one stops everything it spawned. Every
 * process is registered here and stopped on exit, on error and on Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

export interface ManagedProcess {
  name: string;
  pid: number;
  child: ChildProcess;
  exited: Promise<void>;
  logFile: string;
}

const running = new Set<ManagedProcess>();

export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { env: Record<string, string | undefined>; logFile: string; cwd?: string },
): ManagedProcess {
  const log = openSync(options.logFile, 'a');
  // detached: the child leads a new process group, which kill(-pid) ends as a whole.
  const child = spawn(command, args, {
    env: options.env as NodeJS.ProcessEnv,
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const managed: ManagedProcess = { name, pid: child.pid, child, exited, logFile: options.logFile };
  running.add(managed);
  void exited.then(() => running.delete(managed));
  return managed;
}

function hasExited(managed: ManagedProcess): boolean {
  return managed.child.exitCode !== null || managed.child.signalCode !== null;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** SIGTERM to the whole group, SIGKILL after `graceMs`. */
export async function stopProcess(managed: ManagedProcess, graceMs = 3_000): Promise<void> {
  if (!hasExited(managed)) {
    killGroup(managed.pid, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([managed.exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }
  // Grandchildren (next start's server, nginx workers) may outlive the leader.
  killGroup(managed.pid, 'SIGKILL');
  running.delete(managed);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((managed) => stopProcess(managed)));
}

/** Last resort from process.on('exit'): synchronous, so only signals. */
export function killAllNow(): void {
  for (const managed of running) killGroup(managed.pid, 'SIGKILL');
  running.clear();
}

/** Waits until `url` answers (any status below 500), the process dies, or the deadline passes. */
export async function waitForHttp(url: string, managed: ManagedProcess | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (managed && hasExited(managed)) throw new Error(`${managed.name} exited before answering ${url}; see ${managed.logFile}`);
    try {
      const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status < 500) return;
      lastError = new Error(`status ${response.status}`);
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${String(lastError)})${managed ? `; see ${managed.logFile}` : ''}`);
}

/** Runs a command to completion in its own group (killed with the rest on Ctrl-C). */
export async function runToCompletion(
  name: string,
  command: string,
  args: string[],
  options: { env: Record<string, string | undefined>; logFile: string; timeoutMs: number; cwd?: string },
): Promise<void> {
  const managed = startProcess(name, command, args, options);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), options.timeoutMs)));
  const outcome = await Promise.race([managed.exited.then(() => 'exited' as const), timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    await stopProcess(managed);
    throw new Error(`${name} took longer than ${options.timeoutMs} ms; see ${options.logFile}`);
  }
  if (managed.child.exitCode !== 0)
    throw new Error(`${name} failed (exit ${managed.child.exitCode ?? managed.child.signalCode}); see ${options.logFile}`);
}

/** Browsers started by libraries (chrome-launcher) that put them in their own process group. */
const browserGroups = new Set<number>();

export function registerBrowserPid(pid: number): void {
  browserGroups.add(pid);
}

export function unregisterBrowserPid(pid: number): void {
  browserGroups.delete(pid);
  killGroup(pid, 'SIGKILL');
}

export function killBrowsers(): void {
  for (const pid of browserGroups) killGroup(pid, 'SIGKILL');
  browserGroups.clear();
}

/**
 * Browsers Playwright launched (with its own signal handlers off: ours stop the run). Closed, not
 * killed: closing is what removes their profiles and temp files from the OS temp dir.
 */
const playwrightBrowsers = new Set<{ close(): Promise<void> }>();

export function closeOnStop(browser: { close(): Promise<void> }): () => void {
  playwrightBrowsers.add(browser);
  return () => playwrightBrowsers.delete(browser);
}

export async function closePlaywrightBrowsers(): Promise<void> {
  await Promise.allSettled([...playwrightBrowsers].map((browser) => browser.close()));
  playwrightBrowsers.clear();
}
