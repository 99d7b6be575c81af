import { describe, expect, it } from 'vitest';
import {
  TABLE_MARKER,
  belowFloor,
  compareWithTable,
  listedSurvivors,
  scoreOf,
  snippet,
  survivorsOf,
  tableRow,
  type MutationReport,
} from './survivors';

const at = (line: number, column: number, endLine: number, endColumn: number) => ({
  start: { line, column },
  end: { line: endLine, column: endColumn },
});

const REPORT: MutationReport = {
  files: {
    'lib/a.ts': {
      source: 'const a = x || y;\nif (ready) {\n  go();\n}\nconst s = `${a}`;\n',
      mutants: [
        { mutatorName: 'LogicalOperator', replacement: 'x && y', status: 'Survived', location: at(1, 11, 1, 17) },
        { mutatorName: 'BlockStatement', replacement: '{}', status: 'NoCoverage', location: at(2, 12, 4, 2) },
        { mutatorName: 'StringLiteral', replacement: '``', status: 'Ignored', statusReason: 'same', location: at(5, 11, 5, 17) },
        { mutatorName: 'ConditionalExpression', replacement: 'true', status: 'Killed', location: at(2, 5, 2, 10) },
        { mutatorName: 'ConditionalExpression', replacement: 'false', status: 'Timeout', location: at(2, 5, 2, 10) },
        { mutatorName: 'BooleanLiteral', replacement: 'ready', status: 'CompileError', location: at(2, 5, 2, 10) },
        {
          mutatorName: 'StringLiteral',
          replacement: '""',
          status: 'Ignored',
          statusReason: 'Static mutant (and "ignoreStatic" was enabled)',
          location: at(5, 11, 5, 17),
        },
      ],
    },
  },
};

const table = (...rows: string[]) =>
  [
    '# Testing',
    TABLE_MARKER,
    '',
    '| File | Mutator | Original | Mutant | Status | Why no test can tell |',
    '| ---- | ------- | -------- | ------ | ------ | -------------------- |',
    ...rows,
    '',
    'After the table.',
  ].join('\n');

describe('the equivalent-mutant table', () => {
  const survivors = survivorsOf(REPORT);

  it('names each survivor, uncovered and disabled mutant by file, mutator, line, code and replacement (not the static ones left out)', () => {
    expect(survivors).toEqual([
      { file: 'lib/a.ts', mutator: 'LogicalOperator', line: 'const a = x || y;', original: 'x || y', mutant: 'x && y', status: 'survived' },
      { file: 'lib/a.ts', mutator: 'BlockStatement', line: 'if (ready) {', original: '{ go(); }', mutant: '{}', status: 'no coverage' },
      { file: 'lib/a.ts', mutator: 'StringLiteral', line: 'const s = `${a}`;', original: '`${a}`', mutant: '``', status: 'disabled' },
    ]);
  });

  it('reads back the rows it prints, pipes and backticks included', () => {
    const markdown = table(...survivors.map((survivor) => tableRow(survivor, 'a reason')));
    expect(markdown).toContain('| lib/a.ts | LogicalOperator | `const a = x \\|\\| y;` | `x \\|\\| y` | `x && y` | survived | a reason |');
    expect(markdown).toContain('| `` `${a}` `` | `` `` `` |');
    expect(listedSurvivors(markdown)).toEqual(survivors);
    expect(compareWithTable(survivors, listedSurvivors(markdown))).toEqual({ unlisted: [], stale: [] });
  });

  it('reports a survivor the table lacks, and a row that is no longer a survivor', () => {
    const [first, , third] = survivors.map((survivor) => tableRow(survivor, 'r'));
    const killed = tableRow(
      { file: 'lib/a.ts', mutator: 'ConditionalExpression', line: 'if (ready) {', original: 'ready', mutant: 'true', status: 'survived' },
      'r',
    );
    expect(compareWithTable(survivors, listedSurvivors(table(first!, third!, killed)))).toEqual({
      unlisted: [survivors[1]],
      stale: [
        { file: 'lib/a.ts', mutator: 'ConditionalExpression', line: 'if (ready) {', original: 'ready', mutant: 'true', status: 'survived' },
      ],
    });
  });

  it('does not let a row for short code stand for the same code on another line', () => {
    const twice: MutationReport = {
      files: {
        'lib/b.ts': {
          source: "const a = x ?? '';\nconst b = y ?? '';\n",
          mutants: [
            { mutatorName: 'StringLiteral', replacement: '"Stryker was here!"', status: 'Survived', location: at(1, 16, 1, 18) },
            { mutatorName: 'StringLiteral', replacement: '"Stryker was here!"', status: 'Survived', location: at(2, 16, 2, 18) },
          ],
        },
      },
    };
    const [first, second] = survivorsOf(twice);
    expect(compareWithTable(survivorsOf(twice), listedSurvivors(table(tableRow(first!, 'r'))))).toEqual({ unlisted: [second], stale: [] });
  });

  it('fails without its marker', () => {
    expect(() => listedSurvivors('| a |')).toThrow('no <!-- equivalent-mutants --> marker');
  });

  it('cuts long code at 60 characters on one line', () => {
    expect(snippet('a'.repeat(60))).toBe('a'.repeat(60));
    expect(snippet(`${'a'.repeat(30)}\n   ${'b'.repeat(40)}`)).toBe(`${'a'.repeat(30)} ${'b'.repeat(28)}…`);
  });
});

describe('scoreOf', () => {
  it('counts killed and timed-out mutants of the valid ones; invalid, disabled and static ones are not counted', () => {
    expect(scoreOf(REPORT)).toEqual({
      killed: 1,
      survived: 1,
      noCoverage: 1,
      timeout: 1,
      invalid: 1,
      ignored: 1,
      static: 1,
      total: 7,
      percent: 50,
    });
  });
});

describe('the floor', () => {
  it('holds at exactly the floor and fails a hundredth below it (9 of 10 killed is 90 %)', () => {
    expect(belowFloor({ percent: 90 }, 90)).toBe(false);
    expect(belowFloor({ percent: 89.99 }, 90)).toBe(true);
    const mutant = (status: string) => ({ mutatorName: 'BooleanLiteral', replacement: 'false', status, location: at(1, 1, 1, 5) });
    const report = (killed: number, survived: number): MutationReport => ({
      files: {
        'lib/a.ts': {
          source: 'true;\n',
          mutants: [
            ...Array.from({ length: killed }, () => mutant('Killed')),
            ...Array.from({ length: survived }, () => mutant('Survived')),
          ],
        },
      },
    });
    expect(belowFloor(scoreOf(report(9, 1)), 90)).toBe(false);
    expect(belowFloor(scoreOf(report(17, 2)), 90)).toBe(true);
  });
});
