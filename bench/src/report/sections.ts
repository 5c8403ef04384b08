import type { ProcessUsage } from '../processes/child-server.ts';
import type { BenchResults, GoalCheck } from '../results.ts';
import type { FixedRateResult } from '../scenarios/fixed-rate.ts';
import type { LatencyResult } from '../scenarios/latency.ts';
import type { ThroughputResult } from '../scenarios/throughput.ts';
import type { TranslationResult } from '../scenarios/translation.ts';
import { ms, n, plusMs, table } from './markdown.ts';

const STATUS: Record<GoalCheck['status'], string> = {
  met: '✅ met',
  missed: '❌ missed',
  reported: 'ℹ️ reported',
  'not run': '– not run',
};

export function goalsSection(goals: GoalCheck[]): string {
  return table(
    ['Area', 'Goal', 'Measured', 'Status'],
    goals.map((goal) => [goal.area, goal.goal, goal.measured, STATUS[goal.status]]),
  );
}

function cpu(usage: ProcessUsage[], name: string): string {
  const entry = usage.find((item) => item.name === name);
  return entry?.cpuUsPerRequest === undefined ? '–' : n(entry.cpuUsPerRequest);
}

function rss(usage: ProcessUsage[], name: string): string {
  const entry = usage.find((item) => item.name === name);
  return entry ? n(entry.peakRssMb) : '–';
}

/** The anchor table with this run's figures beside it. */
export function anchorsSection(results: BenchResults): string {
  const throughput = results.scenarios.throughput;
  const latency = results.scenarios.latency;
  const streaming = results.scenarios.streaming;
  const rows: Array<Array<string | number>> = [
    [
      'mock upstream, direct',
      'about 30,000',
      throughput ? n(throughput.runs.direct.requestsPerSecond) : '–',
      '–',
      latency ? `${ms(latency.runs.direct.latency.p50)} (absolute)` : '–',
      '–',
      streaming ? `${ms(streaming.burst.runs.direct.firstByte.p50)} (absolute)` : '–',
    ],
    [
      'node:http reverse proxy (the floor)',
      'about 16,000',
      throughput ? n(throughput.runs.floor.requestsPerSecond) : '–',
      '0.14',
      latency ? plusMs(latency.added.floor.p50) : '–',
      '0.5',
      streaming ? plusMs(streaming.added.floor.firstByteP50) : '–',
    ],
    [
      '**ai.matey gateway** (OpenAI in → OpenAI upstream)',
      '–',
      throughput ? `**${n(throughput.runs.gateway.requestsPerSecond)}**` : '–',
      '≤ 0.3 (goal)',
      latency ? `**${plusMs(latency.added.gateway.p50)}**` : '–',
      '≤ 1 (goal)',
      streaming ? `**${plusMs(streaming.added.gateway.firstByteP50)}**` : '–',
    ],
    peerRow(results, 'portkey', "Portkey's gateway 1.15 (Hono on Node)", 'about 1,100', '1.2', '29'),
    peerRow(results, 'openai-sdk', 'minimal Node gateway via the openai SDK', 'about 2,600', '', ''),
  ];
  return table(
    [
      'Path (50 connections, non-streamed)',
      'Anchor req/s',
      'This run req/s',
      'Anchor added p50 (ms)',
      'This run added p50 (ms)',
      'Anchor added first byte (ms)',
      'This run added first byte (ms)',
    ],
    rows,
  );
}

/** A peer's anchor row, with its figures from the `peers` scenario (added times over its direct run). */
function peerRow(
  results: BenchResults,
  name: string,
  label: string,
  anchorRps: string,
  anchorP50: string,
  anchorFirstByte: string,
): Array<string | number> {
  const peers = results.scenarios.peers;
  const run = peers?.runs.find((entry) => entry.name === name);
  const direct = peers?.runs.find((entry) => entry.name === 'direct');
  if (!run || !direct) return [label, anchorRps, 'not run', anchorP50, '–', anchorFirstByte, '–'];
  const firstByte =
    run.firstByteP50Ms && direct.firstByteP50Ms
      ? plusMs(run.firstByteP50Ms - direct.firstByteP50Ms)
      : 'streams failed';
  return [
    `${label} (\`peers\` scenario)`,
    anchorRps,
    n(run.requestsPerSecond),
    anchorP50,
    plusMs(run.latencyP50Ms - direct.latencyP50Ms),
    anchorFirstByte,
    firstByte,
  ];
}

export function throughputSection(result: ThroughputResult): string {
  const rows = (['direct', 'floor', 'gateway'] as const).map((path) => {
    const run = result.runs[path];
    return [
      path,
      n(run.requestsPerSecond),
      run.latencyMs.p50,
      run.latencyMs.p90,
      run.latencyMs.p99,
      run.errors + run.non2xx,
      cpu(run.usage, 'mock'),
      cpu(run.usage, 'floor'),
      cpu(run.usage, 'gateway'),
      cpu(run.usage, 'load-generator'),
      `${rss(run.usage, 'mock')} / ${rss(run.usage, 'floor')} / ${rss(run.usage, 'gateway')}`,
    ];
  });
  return [
    `Closed loop, ${result.connections} connections (autocannon; its latencies are whole ms). Each path warmed first, then ` +
      `${result.rounds} interleaved rounds of ${result.durationSeconds} s; the median round is shown ` +
      `(all rounds, req/s: direct ${result.roundRequestsPerSecond.direct.join(', ')}; floor ${result.roundRequestsPerSecond.floor.join(', ')}; ` +
      `gateway ${result.roundRequestsPerSecond.gateway.join(', ')}). Gateway / floor = **${result.gatewayToFloor}×**; floor / direct = ${result.floorToDirect}×.`,
    '',
    table(
      [
        'Path',
        'req/s',
        'p50 ms',
        'p90 ms',
        'p99 ms',
        'errors',
        'mock CPU µs/req',
        'floor CPU µs/req',
        'gateway CPU µs/req',
        'load gen CPU µs/req',
        'peak RSS MB mock / floor / gateway',
      ],
      rows,
    ),
  ].join('\n');
}

export function latencySection(result: LatencyResult): string {
  const rows = (['direct', 'floor', 'gateway'] as const).map((path) => {
    const run = result.runs[path];
    const added = path === 'direct' ? undefined : result.added[path];
    return [
      path,
      n(run.requestsPerSecond),
      ms(run.latency.p50),
      ms(run.latency.p90),
      ms(run.latency.p99),
      ms(run.latency.p999),
      added ? plusMs(added.p50) : '–',
      added ? plusMs(added.p99) : '–',
      cpu(run.usage, path === 'direct' ? 'mock' : path),
    ];
  });
  return [
    `One connection, one request at a time, timed with \`performance.now()\`; ${result.durationSeconds} s per path in interleaved rounds (the median round is shown).`,
    '',
    table(
      ['Path', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'added p50', 'added p99', 'own CPU µs/req'],
      rows,
    ),
  ].join('\n');
}

export function fixedRateSection(result: FixedRateResult, chartPath: string): string {
  const rows = result.runs.map((run) => [
    n(run.offeredRate),
    run.path,
    n(run.achievedRate),
    ms(run.latency.p50),
    ms(run.latency.p90),
    ms(run.latency.p99),
    ms(run.latency.max),
    run.errors + run.non2xx,
    cpu(run.usage, run.path === 'direct' ? 'mock' : run.path),
    ms(run.sendLag.p99),
  ]);
  return [
    `Open loop: requests evenly spaced at the offered rate, each timed from its due time (so queueing counts), ${result.durationSeconds} s per point after 1 s of warm-up.`,
    '',
    `![Latency against offered load](${chartPath})`,
    '',
    table(
      [
        'Offered req/s',
        'Path',
        'Achieved req/s',
        'p50 ms',
        'p90 ms',
        'p99 ms',
        'max ms',
        'errors',
        'own CPU µs/req',
        'generator lag p99 ms',
      ],
      rows,
    ),
  ].join('\n');
}

export function translationSection(result: TranslationResult): string {
  const rows = result.lanes.map((lane) => [
    lane.lane,
    n(lane.requestsPerSecond),
    lane.latencyMs.p50,
    lane.latencyMs.p99,
    lane.errors + lane.non2xx,
    cpu(lane.usage, 'gateway'),
    cpu(lane.usage, 'mock'),
  ]);
  return [
    `Closed loop, ${result.connections} connections, ${result.durationSeconds} s per lane in two interleaved rounds (averaged). ` +
      `Anthropic in → OpenAI upstream = **${result.ratios.anthropicToOpenai}×** the OpenAI → OpenAI lane; ` +
      `OpenAI in → Anthropic upstream = **${result.ratios.openaiToAnthropic}×** the Anthropic → Anthropic lane` +
      (result.ratios.responsesToOpenai === undefined
        ? '.'
        : `; Responses in → OpenAI upstream = **${result.ratios.responsesToOpenai}×** the OpenAI → OpenAI lane.`),
    '',
    table(['Lane', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'gateway CPU µs/req', 'mock CPU µs/req'], rows),
  ].join('\n');
}
