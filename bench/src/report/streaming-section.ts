import type { StreamingResult } from '../scenarios/streaming.ts';
import type { StreamingLanesResult } from '../scenarios/streaming-lanes.ts';
import { ms, n, plusMs, table } from './markdown.ts';

export function streamingSection(result: StreamingResult): string {
  const burstRows = (['direct', 'floor', 'gateway'] as const).map((path) => {
    const run = result.burst.runs[path];
    return [
      path,
      run.streams,
      run.eventsPerStream,
      n(run.streamsPerSecond ?? 0),
      result.burst.cpuUsPerChunk?.[path] ?? '–',
      ms(run.firstByte.p50),
      ms(run.firstByte.p99),
      path === 'direct' ? '–' : plusMs(result.added[path].firstByteP50),
      ms(run.total.p50),
      ms(run.total.p99),
      run.errors,
    ];
  });
  const pacedRows = (['direct', 'floor', 'gateway'] as const).map((path) => {
    const run = result.paced.runs[path];
    return [
      path,
      run.streams,
      ms(run.firstByte.p50),
      ms(run.gap.p50),
      ms(run.gap.p99),
      ms(run.gap.max),
      path === 'direct' ? '–' : plusMs(result.added[path].gapP50),
      ms(run.total.p50),
      path === 'direct' ? '–' : plusMs(result.added[path].pacedTotalP50),
    ];
  });
  const parts = [
    `**Burst**: the mock writes all ${result.burst.chunks} chunks at once; one stream at a time. ` +
      'CPU µs/chunk is the answering process’s CPU time (user + system, measured in it) over the measured streams ÷ their upstream chunks' +
      (result.ratios
        ? `; gateway ÷ floor: **${result.ratios.streams}×** the streams/s, **${result.ratios.cpu}×** the CPU per chunk.`
        : '.'),
    '',
    table(
      [
        'Path',
        'streams',
        'SSE events',
        'streams/s',
        'CPU µs/chunk',
        'first byte p50 ms',
        'first byte p99 ms',
        'added first byte p50',
        'total p50 ms',
        'total p99 ms',
        'errors',
      ],
      burstRows,
    ),
    '',
    `**Paced**: ${result.paced.chunks} chunks, ${result.paced.chunkDelayMs} ms apart at the mock (timers make it 1–2 ms more); gaps are between socket reads that carried events.`,
    '',
    table(
      [
        'Path',
        'streams',
        'first byte p50 ms',
        'gap p50 ms',
        'gap p99 ms',
        'gap max ms',
        'added gap p50',
        'total p50 ms',
        'added total p50',
      ],
      pacedRows,
    ),
  ];
  if (result.lanes) parts.push('', lanesSection(result.lanes));
  const concurrent = result.concurrent;
  if (concurrent) {
    parts.push(
      '',
      `**${n(concurrent.streams)} concurrent streams** through the gateway (20 chunks 100 ms apart, all open at once): ` +
        `${n(concurrent.completed)} completed, ${concurrent.errors} errors in ${concurrent.wallSeconds} s; gateway RSS ` +
        `${concurrent.gatewayIdleRssMb} MB idle → ${concurrent.gatewayPeakRssMb} MB peak = **+${concurrent.rssMbPer1000Streams} MB per 1,000 concurrent streams**.`,
    );
  }
  return parts.join('\n');
}

function lanesSection(lanes: StreamingLanesResult): string {
  const { ratios } = lanes;
  return [
    `**${lanes.concurrency} streams at once**, ${lanes.chunks} chunks each written by the mock in one go, ` +
      `${lanes.rounds} interleaved rounds averaged. Gateway ÷ floor: same format **${ratios.sameFormatStreams}×** the streams/s ` +
      `at **${ratios.sameFormatCpu}×** the CPU per chunk; translated (Anthropic in, OpenAI upstream) **${ratios.translatedStreams}×** ` +
      `at **${ratios.translatedCpu}×**.`,
    '',
    table(
      ['Lane', 'streams', 'streams/s', 'CPU µs/chunk', 'first byte p50 ms', 'total p50 ms', 'errors'],
      lanes.lanes.map((lane) => [
        lane.lane,
        n(lane.streams),
        n(lane.streamsPerSecond),
        lane.cpuUsPerChunk,
        ms(lane.firstByteP50),
        ms(lane.totalP50),
        lane.errors,
      ]),
    ),
  ].join('\n');
}
