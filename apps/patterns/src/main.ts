import { formatPatternSection, formatSummary } from './print-report.ts';
import { runPatterns } from './run-patterns.ts';

// Runs the eight integration patterns against a simulated fleet and prints what each measured
// next to the figures the integration-patterns guide publishes. Flags: --quick (about 15 s), --time-scale=N (1 = real
// provider speed), --only=1,5 (some patterns), --json (the figures as JSON, no tables).
const args = process.argv.slice(2);
const flag = (name: string) => {
  const index = args.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (index < 0) return undefined;
  const arg = args[index] ?? '';
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : (args[index + 1] ?? '');
};
const quick = args.includes('--quick');
const json = args.includes('--json');
const scaleFlag = flag('time-scale');
const timeScale = scaleFlag === undefined ? undefined : Number(scaleFlag);
if (timeScale !== undefined && !(timeScale >= 0)) {
  console.error(`--time-scale needs a number ≥ 0 (got '${scaleFlag}')`);
  process.exit(2);
}
const onlyFlag = flag('only');
const only = onlyFlag === undefined ? undefined : onlyFlag.split(',').map(Number);

const effectiveScale = timeScale ?? (quick ? 0.1 : 0.5);
if (!json) {
  console.log(
    `ai.matey integration patterns, run against a simulated fleet (openai, anthropic, groq, deepseek)\n` +
      `time scale ${effectiveScale}: simulated latencies and generation times are ${effectiveScale}× the real ` +
      `providers'${quick ? ' (quick run)' : ''}\n`,
  );
}
const report = await runPatterns({
  quick,
  ...(timeScale !== undefined ? { timeScale } : {}),
  ...(only ? { only } : {}),
  onPattern: (id, title, outcome, durationMs) => {
    if (!json) console.log(formatPatternSection(id, title, outcome, durationMs));
  },
});
if (json) console.log(JSON.stringify(report, (key, value) => (key === 'details' ? undefined : value), 2));
else console.log(`── Summary ${'─'.repeat(70)}\n${formatSummary(report)}`);
if (report.summary.some((row) => !row.ok)) process.exitCode = 1;
