import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * On a Node outside package.json's "engines", `npm install` must stop at once, before it downloads any
 * package, and say how to get Node 24: engine-strict in .npmrc makes npm refuse while it reads the
 * lockfile, and the refusal prints "engines" whole, so its "how-to-get-node-24" entry is the guidance.
 * Each case runs this machine's npm in a copy of package.json, package-lock.json and .npmrc, with
 * `process.version` set to the Node under test (npm reads the version from there).
 */

const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as {
  name: string;
  version: string;
  engines: { node: string; 'how-to-get-node-24': string };
};
const GUIDANCE = packageJson.engines['how-to-get-node-24'];

const project = mkdtempSync(path.join(tmpdir(), 'node-version-'));
for (const file of ['package.json', 'package-lock.json', '.npmrc']) copyFileSync(file, path.join(project, file));
const FAKE_VERSION = path.join(project, 'fake-node-version.cjs');
writeFileSync(FAKE_VERSION, "Object.defineProperty(process, 'version', { value: process.env.FAKE_NODE_VERSION });\n");
afterAll(() => rmSync(project, { recursive: true, force: true }));

function npmInstall(nodeVersion: string, ...flags: string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_OPTIONS: `--require ${JSON.stringify(FAKE_VERSION)}`,
    FAKE_NODE_VERSION: nodeVersion,
  };
  // Not the npm_config_* of an `npm test` around this one: they would carry this checkout's .npmrc.
  for (const name of Object.keys(env)) if (/^npm_config_/i.test(name)) delete env[name];
  const result = spawnSync(
    'npm',
    ['install', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--no-update-notifier', ...flags],
    {
      cwd: project,
      encoding: 'utf8',
      timeout: 60_000,
      env,
    },
  );
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

function expectRefusedWithGuidance({ status, output }: { status: number | null; output: string }) {
  expect(status).toBe(1);
  expect(output).toContain('EBADENGINE');
  // The project is refused, not one of its packages: that refusal is the one that prints the guidance.
  expect(output).toContain(`Not compatible with your version of node/npm: ${packageJson.name}@${packageJson.version}`);
  expect(output).toContain(`"how-to-get-node-24":${JSON.stringify(GUIDANCE)}`);
}

it('the guidance names nvm and a way without it', () => {
  expect(GUIDANCE).toBe(
    'nvm install && nvm use (both read .nvmrc); without nvm, the installer or binary from https://nodejs.org/en/download',
  );
});

describe.each(['v20.20.2', 'v22.22.1', 'v24.14.0', 'v25.9.0'])('on Node %s', (nodeVersion) => {
  it('npm install refuses the project with the guidance', () => {
    expectRefusedWithGuidance(npmInstall(nodeVersion, '--dry-run'));
  }, 60_000);
});

it('a real npm install on Node 20 stops at once, with nothing installed', () => {
  const started = performance.now();
  expectRefusedWithGuidance(npmInstall('v20.20.2'));
  expect(existsSync(path.join(project, 'node_modules'))).toBe(false);
  expect(performance.now() - started).toBeLessThan(15_000);
}, 60_000);

// With engine-strict a package's own "engines" refuses too: the project's range must not let in a
// Node that one of its locked packages refuses (raise "engines" when an update raises a floor).
// Checked at the floor of each part of the range (`^x.y.z` or `>=x.y.z`) and on this Node.
const RANGE_PARTS = packageJson.engines.node.split('||').map((part) => part.trim());
const FLOORS = RANGE_PARTS.map((part) => `v${part.replace(/^(\^|>=)/, '')}`);

it('each part of the range is a floor (`^x.y.z` or `>=x.y.z`), the versions checked below', () => {
  for (const part of RANGE_PARTS) expect(part).toMatch(/^(\^|>=)\d+\.\d+\.\d+$/);
});

describe.each([...FLOORS, process.version])('on Node %s', (nodeVersion) => {
  it('npm install accepts the project and every locked package', () => {
    const { status, output } = npmInstall(nodeVersion, '--dry-run');
    expect(output).not.toContain('EBADENGINE');
    expect(status).toBe(0);
  }, 60_000);
});

it("README's requirement names the same range", () => {
  const requirement = /^- \*\*Node 24\*\*[^]*?(?=\n- )/m.exec(readFileSync('README.md', 'utf8'))?.[0];
  expect(requirement).toContain(`\`${packageJson.engines.node}\``);
});
