/**
 * README "Extend it" shows these files verbatim; `npm run typecheck` and
 * `npm run lint` check them like app code. This keeps the README from showing
 * code that no longer compiles or that differs from what is here. "Write your
 * first test" likewise shows app/projects/page.tsx and e2e/first-test.spec.ts,
 * which `npm test` runs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

/** `file` (from the repo root) is in the README as a fenced block, byte for byte. */
function expectShownVerbatim(file: string) {
  const source = readFileSync(path.join(root, file), 'utf8').trimEnd();
  const fence = `\`\`\`${file.endsWith('.tsx') ? 'tsx' : 'ts'}\n${source}\n\`\`\``;
  expect(readme.includes(fence), `README.md must contain ${file} in a fenced block; paste the file again`).toBe(true);
}

describe('README "Extend it"', () => {
  it.each(['protected-page.tsx', 'protected-api-route.ts', 'permission-page.tsx', 'server-action.ts'])(
    'shows examples/extend/%s exactly as it is in the repo',
    (file) => expectShownVerbatim(`examples/extend/${file}`),
  );
});

describe('README "Write your first test"', () => {
  it.each(['app/projects/page.tsx', 'e2e/first-test.spec.ts'])('shows %s exactly as it is in the repo', (file) =>
    expectShownVerbatim(file),
  );
});
