import { afterEach, describe, expect, it, vi } from 'vitest';

const present = new Set<string>();
vi.mock('node:fs', () => ({ existsSync: (path: string) => present.has(path) }));
type SpawnSync = (command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv }) => { status: number };
const spawnSync = vi.fn<SpawnSync>(() => ({ status: 0 }));
vi.mock('node:child_process', () => ({
  spawnSync: (command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv }) => spawnSync(command, args, options),
}));

const { SYSTEM_PACKAGES, findOnPath, installCommand, installWithApt } = await import('./system-packages.ts');

function asRoot(root: boolean) {
  vi.spyOn(process, 'getuid').mockReturnValue(root ? 0 : 1000);
}

afterEach(() => {
  present.clear();
  spawnSync.mockClear();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('findOnPath', () => {
  it('answers the first directory of PATH that has the binary, as `command -v` does', () => {
    present.add('/usr/bin/nginx').add('/usr/sbin/nginx');
    expect(findOnPath('nginx', '/usr/local/bin:/usr/sbin:/usr/bin')).toBe('/usr/sbin/nginx');
    expect(findOnPath('nginx', '/usr/local/bin')).toBeUndefined();
  });
});

describe('installCommand', () => {
  it('names the package under the manager on PATH, with sudo unless root', () => {
    vi.stubEnv('PATH', '/usr/bin');
    present.add('/usr/bin/apt-get');
    asRoot(false);
    expect(installCommand(SYSTEM_PACKAGES.redisServer)).toBe('sudo apt-get update && sudo apt-get install -y redis-server');
    asRoot(true);
    expect(installCommand(SYSTEM_PACKAGES.nginx)).toBe('apt-get update && apt-get install -y nginx');
  });

  it('knows none on a machine without a known package manager', () => {
    vi.stubEnv('PATH', '/usr/bin');
    asRoot(false);
    expect(installCommand(SYSTEM_PACKAGES.redisServer)).toBeUndefined();
  });
});

describe('installWithApt', () => {
  it('runs apt-get update, then install without recommends, non-interactively, as root', () => {
    vi.stubEnv('PATH', '/usr/sbin:/usr/bin');
    present.add('/usr/bin/apt-get');
    asRoot(true);
    const log = vi.fn();
    expect(installWithApt(SYSTEM_PACKAGES.redisServer, { log })).toBe(true);
    const nonInteractive = expect.objectContaining({ env: expect.objectContaining({ DEBIAN_FRONTEND: 'noninteractive' }) });
    expect(spawnSync.mock.calls).toEqual([
      ['/usr/bin/apt-get', ['update', '-qq'], nonInteractive],
      ['/usr/bin/apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'redis-server'], nonInteractive],
    ]);
    expect(log.mock.calls).toEqual([
      ['Installing redis-server with apt-get (running as root): apt-get update && apt-get install -y redis-server…'],
    ]);
  });

  it('stops at the first failing step and says which', () => {
    vi.stubEnv('PATH', '/usr/bin');
    present.add('/usr/bin/apt-get');
    asRoot(true);
    spawnSync.mockReturnValueOnce({ status: 100 });
    const log = vi.fn();
    expect(installWithApt(SYSTEM_PACKAGES.nginx, { log })).toBe(false);
    expect(spawnSync).toHaveBeenCalledTimes(1);
    expect(log.mock.calls.at(-1)).toEqual(['apt-get update -qq failed (exit 100).']);
  });

  it.each([
    ['not root', { root: false, apt: true, allowed: true }],
    ['without apt-get', { root: true, apt: false, allowed: true }],
    ['when not allowed (BENCH_NO_INSTALL=1)', { root: true, apt: true, allowed: false }],
  ])('runs nothing %s', (_case, { root, apt, allowed }) => {
    vi.stubEnv('PATH', '/usr/bin');
    if (apt) present.add('/usr/bin/apt-get');
    asRoot(root);
    expect(installWithApt(SYSTEM_PACKAGES.redisServer, { allowed, log: () => {} })).toBe(false);
    expect(spawnSync).not.toHaveBeenCalled();
  });
});
