import type { ClaimCheck } from './claims.ts';
import type { PatternOutcome } from './pattern-result.ts';
import type { PatternsReport } from './run-patterns.ts';
import { formatMs } from './stats.ts';

const WIDTH = 110;
const MARKS: Record<ClaimCheck['status'], string> = { met: '✓ met   ', missed: '✗ MISSED', info: '· info  ' };

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

/**
 * The summary: per pattern, each published figure as one check, "measured … · compared with …",
 * a missed one followed by why; then the totals.
 */
export function formatSummary(report: PatternsReport): string {
  const lines = [
    'Each line: what this run measured, then what it is compared with (the figure ai.matey publishes for',
    'the pattern in its integration-patterns guide), met or missed; a missed figure says why.',
    '',
  ];
  for (const row of report.summary) {
    lines.push(`${row.pattern}${row.ok ? '' : '  (did not do what it is for)'}`);
    if (row.checks.length === 0) lines.push(...wrap(`✗ ${row.measured}`, '  ', '    '));
    for (const check of row.checks) {
      const compared = check.status === 'info' ? '' : ` · compared with: ${check.target}`;
      lines.push(...wrap(`${check.measured}${compared}`, `  ${MARKS[check.status]}  `, ' '.repeat(12)));
      if (check.why) lines.push(...wrap(`why: ${check.why}`, ' '.repeat(12), ' '.repeat(17)));
    }
  }
  const checks = report.summary.flatMap((row) => row.checks);
  const met = checks.filter((c) => c.status === 'met').length;
  const missed = report.summary.flatMap((row) =>
    row.checks
      .filter((c) => c.status === 'missed')
      .map((c) => `${row.pattern.replace(/^\d+\. /, '')}: ${c.target}`),
  );
  const passed = report.summary.filter((row) => row.ok).length;
  lines.push(
    '',
    ...wrap(
      `${met} of ${met + missed.length} published figures met${missed.length ? `; missed: ${missed.join('; ')}` : ''}.`,
      '',
      '  ',
    ),
    `${passed}/${report.summary.length} patterns did what they are for. Run took ${formatMs(report.durationMs)} ` +
      `at time scale ${report.timeScale}${report.quick ? ' (quick)' : ''}: simulated latencies are ` +
      `${report.timeScale}× the real providers' (ping/pong, middleware and batch figures are wall-clock).`,
  );
  return lines.join('\n');
}

/** Words of `text` on lines of at most WIDTH characters, the first after `first`, the rest after `rest`. */
function wrap(text: string, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(' ')) {
    if (!empty && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = rest + word;
    } else {
      line += empty ? word : ` ${word}`;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}
