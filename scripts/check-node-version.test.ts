import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import nodeCheck from './check-node-version.cjs';

const { ENGINES_RANGE, isSupportedNodeVersion, unsupportedNodeMessage } = nodeCheck;
const SCRIPT = path.resolve('scripts/check-node-version.cjs');
const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string }; scripts: Record<string, string> };

/** A Node binary on this machine that is too old for the project (Debian ships Node 20), if any. */
function findOldNode(): { binary: string; version: string } | undefined {
  const fromPath = spawnSync('sh', ['-c', 'which -a node'], { encoding: 'utf8' }).stdout.split('\n');
  for (const binary of new Set([...fromPath, '/usr/bin/node', '/usr/local/bin/node'].filter(Boolean))) {
    const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout?.trim();
    if (version && !isSupportedNodeVersion(version)) return { binary, version };
  }
  return undefined;
}

describe('isSupportedNodeVersion', () => {
  it.each(['v22.18.0', 'v22.20.1', 'v23.6.0', 'v24.0.0', 'v24.22.3', 'v26.1.0'])('accepts %s (type stripping on by default)', (version) => {
    expect(isSupportedNodeVersion(version)).toBe(true);
  });

  it.each(['v16.20.2', 'v18.19.0', 'v20.20.2', 'v22.12.0', 'v22.17.1', 'v23.5.0', 'garbage'])('refuses %s', (version) => {
    expect(isSupportedNodeVersion(version)).toBe(false);
  });

  it('names the floor, the version found and both ways to get Node 24, on one line', () => {
    const message = unsupportedNodeMessage('v20.20.2');
    expect(message).toBe(
      'This project needs Node.js 22.18 or newer (24 recommended), not v20.20.2: run `nvm install && nvm use` (both read .nvmrc) or get Node 24 from https://nodejs.org, then run the command again.',
    );
  });
});

describe('the Node floor is the same everywhere', () => {
  it('package.json engines, .nvmrc, README and .ci/run agree with the check', () => {
    expect(packageJson.engines.node).toBe(ENGINES_RANGE);
    expect(isSupportedNodeVersion(`v${readFileSync('.nvmrc', 'utf8').trim()}.0.0`)).toBe(true);
    const readmeRequirement = /^- \*\*Node 24\*\*.*$/m.exec(readFileSync('README.md', 'utf8'))?.[0];
    expect(readmeRequirement).toContain('22.18 or newer');
    expect(readFileSync('.ci/run', 'utf8')).toContain('node scripts/check-node-version.cjs');
    expect(packageJson.scripts.preinstall).toBe('node scripts/check-node-version.cjs');
  });
});

const oldNode = findOldNode();

describe.runIf(oldNode)(`on this machine's old Node (${oldNode?.binary ?? 'none found'})`, () => {
  const { binary, version } = oldNode ?? { binary: '', version: '' };

  it('the check prints one line and exits 1', () => {
    const result = spawnSync(binary, [SCRIPT], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`${unsupportedNodeMessage(version)}\n`);
  });

  it('`npm install` stops in preinstall with that line and no stack trace', () => {
    const npm = path.join(path.dirname(binary), 'npm');
    const project = mkdtempSync(path.join(tmpdir(), 'node-floor-'));
    try {
      // The project's own preinstall wiring, without dependencies (nothing to download).
      mkdirSync(path.join(project, 'scripts'));
      copyFileSync(SCRIPT, path.join(project, 'scripts', 'check-node-version.cjs'));
      writeFileSync(
        path.join(project, 'package.json'),
        JSON.stringify({
          name: 'node-floor-check',
          private: true,
          engines: packageJson.engines,
          scripts: { preinstall: packageJson.scripts.preinstall },
        }),
      );
      const result = spawnSync(npm, ['install', '--no-audit', '--no-fund'], {
        cwd: project,
        encoding: 'utf8',
        env: {
          ...process.env,
          PATH: `${path.dirname(binary)}${path.delimiter}${process.env.PATH ?? ''}`,
          npm_config_update_notifier: 'false',
        },
      });
      const output = `${result.stdout}\n${result.stderr}`;
      expect(result.status).not.toBe(0);
      expect(output).toContain(unsupportedNodeMessage(version));
      expect(output).not.toMatch(/^\s+at /m);
      expect(output).not.toContain('ERR_UNKNOWN_FILE_EXTENSION');
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  }, 30_000);
});
