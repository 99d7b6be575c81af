import { describe, expect, it } from 'vitest';
import { cutRegions, parseRegions } from './regions.ts';

const lines = (...text: string[]) => text.join('\n');

describe('parseRegions', () => {
  it('finds start/end pairs and single marked lines, in every comment style', () => {
    const text = lines(
      "import { a } from './a'; // demo:line alpha",
      '// demo:start beta',
      'const b = 1;',
      '// demo:end beta',
      '{/* demo:start gamma */}',
      '<Gamma />',
      '{/* demo:end gamma */}',
      'A sentence. <!-- demo:line delta -->',
      '# demo:start epsilon',
      'key: value',
      '# demo:end epsilon',
      ' * demo:start zeta',
      ' * a paragraph of a doc comment',
      ' * demo:end zeta',
      '/* demo:line eta */ const c = 2;',
      'const kept = 3;',
    );
    expect(parseRegions(text)).toEqual({
      regions: [
        { id: 'alpha', from: 0, to: 0 },
        { id: 'beta', from: 1, to: 3 },
        { id: 'gamma', from: 4, to: 6 },
        { id: 'delta', from: 7, to: 7 },
        { id: 'epsilon', from: 8, to: 10 },
        { id: 'zeta', from: 11, to: 13 },
        { id: 'eta', from: 14, to: 14 },
      ],
      errors: [],
    });
  });

  it('ignores "demo:" outside a comment marker', () => {
    expect(parseRegions(lines("const url = 'https://demo:secret@host';", 'The demo: a page.', 'const x = 1; // a demo: not one'))).toEqual({
      regions: [],
      errors: [],
    });
  });

  it.each([
    [lines('// demo:start a', 'x'), 'line 1: demo:start a is never closed by a demo:end a'],
    [lines('x', '// demo:end a'), 'line 2: demo:end a without a demo:start a before it'],
    [lines('// demo:start a', '// demo:end b'), 'line 2: demo:end b closes demo:start a (line 1)'],
    [
      lines('// demo:start a', '// demo:start b', '// demo:end b', '// demo:end a'),
      'line 2: demo:start b inside demo:start a (line 1): regions do not nest',
    ],
    [
      lines('// demo:start a', 'x; // demo:line b', '// demo:end a'),
      'line 2: demo:line b inside demo:start a (line 1): regions do not nest',
    ],
    ['// demo:begin a', 'line 1: malformed marker "// demo:begin a" (expected demo:start, demo:end or demo:line and a feature id)'],
    ['// demo:start', 'line 1: malformed marker "// demo:start" (expected demo:start, demo:end or demo:line and a feature id)'],
    [
      '// demo:start Sessions',
      'line 1: malformed marker "// demo:start Sessions" (expected demo:start, demo:end or demo:line and a feature id)',
    ],
  ])('reports a malformed region: %j', (text, error) => {
    expect(parseRegions(text).errors).toContain(error);
  });
});

describe('cutRegions', () => {
  const text = lines(
    "import { a } from './a';",
    "import { b } from './b'; // demo:line beta",
    '',
    '// demo:start alpha',
    'const alpha = a();',
    '// demo:end alpha',
    'const kept = 1;',
    '// demo:start beta',
    'const beta = b();',
    '// demo:end beta',
  );

  it('removes the regions of the ids it is given, markers included, and keeps the others', () => {
    expect(cutRegions(text, (id) => id === 'alpha')).toBe(
      lines(
        "import { a } from './a';",
        "import { b } from './b'; // demo:line beta",
        '',
        'const kept = 1;',
        '// demo:start beta',
        'const beta = b();',
        '// demo:end beta',
      ),
    );
    expect(cutRegions(text, () => true)).toBe(lines("import { a } from './a';", '', 'const kept = 1;'));
  });

  it('cuts nothing from a text without regions, and is idempotent', () => {
    const once = cutRegions(text, () => true);
    expect(cutRegions(once, () => true)).toBe(once);
    expect(cutRegions('no markers\n', () => true)).toBe('no markers\n');
  });

  it('leaves one blank line where a cut block stood between two paragraphs', () => {
    const markdown = lines('First.', '', '<!-- demo:start a -->', 'A table.', '<!-- demo:end a -->', '', 'Last.', '');
    expect(cutRegions(markdown, () => true)).toBe(lines('First.', '', 'Last.', ''));
    expect(cutRegions(lines('<!-- demo:line a -->', '', 'Text.'), () => true)).toBe('Text.');
  });

  it('refuses to cut a text whose markers are malformed', () => {
    expect(() => cutRegions(lines('// demo:start a', 'x'), () => true)).toThrow(
      'cannot cut regions: line 1: demo:start a is never closed by a demo:end a',
    );
  });
});
