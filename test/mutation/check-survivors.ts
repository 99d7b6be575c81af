/**
 * `npm run test:mutation`'s second step, after `stryker run` (which fails by itself below the
 * floor): prints the score, and fails below the floor (stryker.config.mjs, `thresholds.break`) or
 * when the table of equivalent mutants in docs/testing.md and the run's survivors differ (./survivors.ts).
 */
import { readFileSync } from 'node:fs';
import config from '../../stryker.config.mjs';
import { belowFloor, compareWithTable, listedSurvivors, scoreOf, survivorsOf, tableRow, type MutationReport } from './survivors.ts';

const REPORT = 'reports/mutation/mutation.json';
const TABLE = 'docs/testing.md';
const FLOOR = config.thresholds.break;

const report = JSON.parse(readFileSync(REPORT, 'utf8')) as MutationReport;
const score = scoreOf(report);
console.log(
  `mutation: ${score.percent.toFixed(2)} % of valid mutants killed (floor ${FLOOR} %) — killed ${score.killed}, timeout ${score.timeout}, ` +
    `survived ${score.survived}, no coverage ${score.noCoverage}; not counted: ${score.invalid} invalid (do not compile), ` +
    `${score.ignored} disabled, ${score.static} static (not run); ` +
    `${score.total} in all (HTML report: reports/mutation/mutation.html)`,
);
const failed = belowFloor(score, FLOOR);
if (failed) console.error(`mutation: below the floor of ${FLOOR} % of valid mutants killed`);

const { unlisted, stale } = compareWithTable(survivorsOf(report), listedSurvivors(readFileSync(TABLE, 'utf8')));
for (const survivor of unlisted)
  console.error(`mutation: not killed and not in ${TABLE}: kill it with a test, or add\n  ${tableRow(survivor)}`);
for (const row of stale) console.error(`mutation: listed in ${TABLE} but no longer a survivor: remove\n  ${tableRow(row, '…')}`);
if (failed || unlisted.length > 0 || stale.length > 0) process.exit(1);
console.log(`mutation: every survivor is listed in ${TABLE} (Equivalent mutants)`);
