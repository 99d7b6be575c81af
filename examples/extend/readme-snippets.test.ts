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

describe('README "Call your own API"', () => {
  it('shows app/api/projects/route.ts exactly as it is in the repo', () => expectShownVerbatim('app/api/projects/route.ts'));
});

describe('README "Write your first test"', () => {
  it.each(['app/projects/page.tsx', 'e2e/first-test.spec.ts'])('shows %s exactly as it is in the repo', (file) =>
    expectShownVerbatim(file),
  );
});

describe('README snippets render as the app does', () => {
  // Tailwind's preflight strips headings of their size and weight: a pasted <h1> without the app's
  // classes comes out as body text. Every page heading shown is styled as app/projects/page.tsx's.
  const pageHeadingClass = /<h1\b[^>]*className="([^"]+)"/.exec(readFileSync(path.join(root, 'app/projects/page.tsx'), 'utf8'))?.[1];
  const tsxBlocks = [...readme.matchAll(/```tsx\n([\s\S]*?)```/g)].map((match) => match[1]!);

  it('finds the page heading of app/projects/page.tsx and the tsx snippets', () => {
    expect(pageHeadingClass).toBe('text-3xl font-bold tracking-tight');
    expect(tsxBlocks.length).toBeGreaterThanOrEqual(3);
  });

  it('gives every <h1> in a tsx snippet the class of app/projects/page.tsx', () => {
    const headings = tsxBlocks.flatMap((block) => [...block.matchAll(/<h1\b[^>]*>/g)].map((match) => match[0]));
    expect(headings.length).toBeGreaterThanOrEqual(3);
    for (const heading of headings) expect(heading).toContain(`className="${pageHeadingClass}"`);
  });
});
