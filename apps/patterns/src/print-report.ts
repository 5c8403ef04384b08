import type { PatternOutcome } from './pattern-result.ts';
import type { PatternsReport } from './run-patterns.ts';
import { formatMs } from './stats.ts';
import { formatTable } from './text-table.ts';

/** One pattern's heading and detail lines, as printed while the run goes. */
export function formatPatternSection(
  id: number,
  title: string,
  outcome: PatternOutcome | Error,
  durationMs: number,
): string {
  const label = `${id}. ${title} (${formatMs(durationMs)})`;
  const heading = `── ${label} ${'─'.repeat(Math.max(4, 74 - label.length))}`;
  if (outcome instanceof Error) return `${heading}\nFAILED: ${outcome.message}\n`;
  return `${heading}\n${outcome.details.join('\n')}\n`;
}

/** The final table: pattern | what ran | measured | seed's claim, one row per pattern. */
export function formatSummary(report: PatternsReport): string {
  const table = formatTable(
    ['pattern', 'what ran', 'measured', "seed's claim", 'ok'],
    report.summary.map((row) => [row.pattern, row.ran, row.measured, row.claim, row.ok ? '✓' : '✗']),
    { maxWidth: [16, 30, 52, 30, 2], separateRows: true },
  );
  const passed = report.summary.filter((row) => row.ok).length;
  return [
    table,
    `${passed}/${report.summary.length} patterns did what they are for. Run took ${formatMs(report.durationMs)} ` +
      `at time scale ${report.timeScale}${report.quick ? ' (quick)' : ''}: simulated latencies are ` +
      `${report.timeScale}× the real providers' (ping/pong, middleware and batch figures are wall-clock).`,
  ].join('\n');
}
