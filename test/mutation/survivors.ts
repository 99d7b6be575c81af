/**
 * The mutation run's verdict beyond Stryker's own floor (stryker.config.mjs, `thresholds.break`):
 * every mutant that no test kills (survived, or covered by no test) and every mutant disabled by a
 * `// Stryker disable` comment must be listed, with the reason it is equivalent, in the table of
 * docs/testing.md ("Equivalent mutants"), and every row of that table must still be such a mutant.
 * So the table cannot go stale: a new survivor fails the run until a test kills it or the table
 * says why none can, and a row whose mutant is now killed fails it until the row is removed.
 *
 * Mutants are named by file, mutator, the source line they start on, the code they replace and their
 * replacement (whitespace collapsed, cut at 60 characters), not by line number: a row survives edits
 * elsewhere in its file. The line is part of the name so that a row for a short piece of code (`''`)
 * cannot stand for a new survivor of the same text elsewhere in the file.
 */

/** A mutant in Stryker's JSON report (mutation-testing-report-schema), as far as read here. */
interface ReportMutant {
  mutatorName: string;
  replacement?: string;
  status: string;
  statusReason?: string;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
}

export interface MutationReport {
  files: Record<string, { source: string; mutants: ReportMutant[] }>;
}

/** The statuses the table lists, and how it spells them. */
const LISTED: Record<string, string> = { Survived: 'survived', NoCoverage: 'no coverage', Ignored: 'disabled' };

/** Left out by `ignoreStatic` (stryker.config.mjs), not by a comment in the code: not listed. */
const isStatic = (mutant: ReportMutant) => mutant.status === 'Ignored' && (mutant.statusReason ?? '').startsWith('Static mutant');

export interface Survivor {
  file: string;
  mutator: string;
  /** The source line the mutant starts on. */
  line: string;
  original: string;
  mutant: string;
  status: string;
}

const SNIPPET_LENGTH = 60;

/** Code as the table shows it: on one line, at most 60 characters. */
export function snippet(code: string): string {
  const line = code.replace(/\s+/g, ' ').trim();
  return line.length > SNIPPET_LENGTH ? `${line.slice(0, SNIPPET_LENGTH - 1)}…` : line;
}

/** The text of a source's `lines` between two report locations (lines and columns count from 1). */
function textAt(lines: readonly string[], { start, end }: ReportMutant['location']): string {
  if (start.line === end.line) return (lines[start.line - 1] ?? '').slice(start.column - 1, end.column - 1);
  return [
    (lines[start.line - 1] ?? '').slice(start.column - 1),
    ...lines.slice(start.line, end.line - 1),
    (lines[end.line - 1] ?? '').slice(0, end.column - 1),
  ].join('\n');
}

const keyOf = ({ file, mutator, line, original, mutant, status }: Survivor): string =>
  [file, mutator, line, original, mutant, status].join(' | ');

/** The mutants the table must list, one per key. */
export function survivorsOf(report: MutationReport): Survivor[] {
  const found = new Map<string, Survivor>();
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    const lines = source.split('\n');
    for (const mutant of mutants) {
      const status = LISTED[mutant.status];
      if (!status || isStatic(mutant)) continue;
      const survivor = {
        file,
        mutator: mutant.mutatorName,
        line: snippet(lines[mutant.location.start.line - 1] ?? ''),
        original: snippet(textAt(lines, mutant.location)),
        mutant: snippet(mutant.replacement ?? ''),
        status,
      };
      found.set(keyOf(survivor), survivor);
    }
  }
  return [...found.values()];
}

/** A table cell's text: `\|` unescaped, and a code span's backticks removed. */
function cellText(cell: string): string {
  const text = cell.trim().replaceAll('\\|', '|');
  const code = /^(`+) ?([\s\S]*?) ?\1$/.exec(text);
  return code ? (code[2] ?? '') : text;
}

/** A code span for a table cell. */
function codeCell(text: string): string {
  const escaped = text.replaceAll('|', '\\|');
  return escaped.includes('`') ? `\`\` ${escaped} \`\`` : `\`${escaped}\``;
}

/** The table's row for a mutant, with the reason left to write. */
export function tableRow({ file, mutator, line, original, mutant, status }: Survivor, reason = '(why no test can tell)'): string {
  return `| ${file} | ${mutator} | ${codeCell(line)} | ${codeCell(original)} | ${codeCell(mutant)} | ${status} | ${reason} |`;
}

export const TABLE_MARKER = '<!-- equivalent-mutants -->';

/** The rows of the first table after the marker (columns: file, mutator, line, original, mutant, status, reason). */
export function listedSurvivors(markdown: string): Survivor[] {
  const at = markdown.indexOf(TABLE_MARKER);
  if (at === -1) throw new Error(`no ${TABLE_MARKER} marker`);
  const lines = markdown.slice(at + TABLE_MARKER.length).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows: Survivor[] = [];
  for (const row of lines.slice(first + 2)) {
    if (!row.startsWith('|')) break;
    const cells = row
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map(cellText);
    const [file = '', mutator = '', line = '', original = '', mutant = '', status = ''] = cells;
    rows.push({ file, mutator, line, original, mutant, status });
  }
  return rows;
}

export interface Verdict {
  /** Mutants no test kills that the table does not list. */
  unlisted: Survivor[];
  /** Rows whose mutant is now killed (or gone). */
  stale: Survivor[];
}

export function compareWithTable(survivors: Survivor[], listed: Survivor[]): Verdict {
  const listedKeys = new Set(listed.map(keyOf));
  const survivorKeys = new Set(survivors.map(keyOf));
  return {
    unlisted: survivors.filter((survivor) => !listedKeys.has(keyOf(survivor))),
    stale: listed.filter((row) => !survivorKeys.has(keyOf(row))),
  };
}

export interface Score {
  killed: number;
  survived: number;
  noCoverage: number;
  timeout: number;
  /** Mutants that do not compile (the type checker) or crash the runner: not valid, not counted. */
  invalid: number;
  /** Disabled by a `// Stryker disable` comment: not counted. */
  ignored: number;
  /** Static mutants, left out of the run (stryker.config.mjs, `ignoreStatic`): not counted. */
  static: number;
  total: number;
  /** Killed or timed out, of the valid mutants, in %. */
  percent: number;
}

/**
 * Whether `score` holds the floor (stryker.config.mjs, `thresholds.break`, in %): Stryker fails its run below it
 * too; this says so beside the figure, and holds for a report read on its own.
 */
export function belowFloor(score: Pick<Score, 'percent'>, floor: number): boolean {
  return score.percent < floor;
}

export function scoreOf(report: MutationReport): Score {
  const all = Object.values(report.files).flatMap((file) => file.mutants);
  const count = (status: string) => all.filter((mutant) => mutant.status === status).length;
  const killed = count('Killed');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const timeout = count('Timeout');
  const invalid = count('CompileError') + count('RuntimeError');
  const staticCount = all.filter(isStatic).length;
  const ignored = count('Ignored') - staticCount;
  const valid = killed + timeout + survived + noCoverage;
  return {
    killed,
    survived,
    noCoverage,
    timeout,
    invalid,
    ignored,
    static: staticCount,
    total: valid + invalid + ignored + staticCount,
    percent: valid === 0 ? 100 : (100 * (killed + timeout)) / valid,
  };
}
