/** Targets, the pass/fail table and the JSON results. */
export interface Check {
  id: string;
  metric: string;
  value: string;
  target: string;
  pass: boolean | null;
}

export function printTable(checks: Check[], write: (line: string) => void): void {
  const rows = checks.map((check) => [check.metric, check.value, check.target, check.pass === null ? 'n/a' : check.pass ? 'PASS' : 'FAIL']);
  const header = ['Metric', 'Measured', 'Target', 'Result'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  write(line(header));
  write(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const row of rows) write(line(row));
}
