/**
 * Pins what client-actions.ts, its loader and client-components.tsx rely on in
 * authkit-nextjs 4.3.2: the client components import their server actions from
 * `dist/esm/actions.js`, next.config.js replaces that file with a re-export of
 * the app's actions, and every action a component calls is there under its name.
 * A failure names the file to revisit; an authkit that lets the app pass its own
 * actions turns both files into ones to delete.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PHASE_PRODUCTION_BUILD } from 'next/constants.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import nextConfig from '../../../next.config.js';

const root = path.resolve(import.meta.dirname, '../../..');
const authkitDist = path.join(root, 'node_modules/@workos-inc/authkit-nextjs/dist/esm');
const AUTHKIT_ACTIONS = path.join(authkitDist, 'actions.js');
const where = (file: string) =>
  `lib/auth/authkit/${file} relies on this; the installed authkit-nextjs changed it: revisit (or delete) that file`;

/** The names a module's source exports (`export function`, `export async function`, `export const`). */
function exportedNames(source: string): string[] {
  return [...source.matchAll(/^export (?:async )?(?:function|const) (\w+)/gm)].map((match) => match[1]!).sort();
}

/** What each of authkit's component files imports from '../actions.js'. */
function actionsImportedByComponents(): Map<string, string[]> {
  const imports = new Map<string, string[]>();
  const dir = path.join(authkitDist, 'components');
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.js'))) {
    const source = readFileSync(path.join(dir, file), 'utf8');
    for (const match of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'\.\.\/actions\.js'/g)) {
      imports.set(
        file,
        match[1]!
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean),
      );
    }
  }
  return imports;
}

function turbopackRules() {
  vi.stubEnv('WORKOS_BUILD_WITHOUT_CONFIG', '1');
  return nextConfig(PHASE_PRODUCTION_BUILD).turbopack?.rules ?? {};
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('client-actions.ts and its loader', () => {
  it("authkit's client components import their server actions from dist/esm/actions.js, and nothing else does", () => {
    const imports = actionsImportedByComponents();
    expect([...imports.keys()].sort(), where('client-actions-loader.mjs')).toEqual([
      'authkit-provider.js',
      'impersonation.js',
      'tokenStore.js',
    ]);
    const used = [...new Set([...imports.values()].flat())].sort();
    expect(used, where('client-actions.ts')).toEqual([
      'checkSessionAction',
      'getAccessTokenAction',
      'getAuthAction',
      'getOrganizationAction',
      'handleSignOutAction',
      'refreshAccessTokenAction',
      'refreshAuthAction',
      'switchToOrganizationAction',
    ]);
  });

  it('client-actions.ts serves every action of authkit’s actions.js, sign-out aside (the app’s own, with its hooks)', async () => {
    const authkitActions = exportedNames(readFileSync(AUTHKIT_ACTIONS, 'utf8'));
    const ours = Object.keys(await import('./client-actions')).sort();
    expect([...ours, 'handleSignOutAction'].sort(), where('client-actions.ts')).toEqual(authkitActions);
  });

  it('next.config.js runs the loader on exactly that file, and the loader re-exports the app’s actions from it', async () => {
    const rules = turbopackRules();
    const [glob, rule] = Object.entries(rules).find(([, value]) => JSON.stringify(value).includes('client-actions-loader.mjs')) ?? [];
    expect(glob).toBe('**/node_modules/@workos-inc/authkit-nextjs/dist/esm/actions.js');
    expect(path.matchesGlob(path.relative(root, AUTHKIT_ACTIONS), glob ?? '')).toBe(true);
    const { loader, options } = (rule as { loaders: { loader: string; options: unknown }[] }).loaders[0]!;
    const load = ((await import(loader)) as { default: (this: unknown) => string }).default;
    const output = load.call({ getOptions: () => options, resourcePath: AUTHKIT_ACTIONS });
    expect(output.split('\n').slice(1)).toEqual([
      'export * from "../../../../../lib/auth/authkit/client-actions.ts";',
      'export { signOutAction as handleSignOutAction } from "../../../../../app/actions.ts";',
      '',
    ]);
  });
});

describe('client-components.tsx', () => {
  it('authkit/components exports the provider and the four hooks the client door re-exports', async () => {
    const components = await import('@workos-inc/authkit-nextjs/components');
    for (const name of ['AuthKitProvider', 'useAuth', 'useAccessToken', 'useTokenClaims', 'useRecentAuth'] as const) {
      expect(typeof components[name], where('client-components.tsx')).toBe('function');
    }
  });
});
