import type { ProcessUsage } from '../processes/child-server.ts';
import type { BatchResult } from '../scenarios/batch.ts';
import type { DistributedBatchResult } from '../scenarios/distributed-batch.ts';
import type { PeersResult } from '../scenarios/peers.ts';
import type { SoakResult } from '../scenarios/soak.ts';
import type { WebSocketPhase, WebSocketResult } from '../scenarios/websocket.ts';
import type { WorkersResult } from '../scenarios/workers.ts';
import type { ChainOverheadResult } from '../workers/chain-overhead.ts';
import type { CodecThroughputResult } from '../workers/codec-throughput.ts';
import { ms, n, table } from './markdown.ts';

// The sections of the non-HTTP-proxy scenarios (in-process, codecs, WebSocket, batch, soak).

export function chainSection(result: ChainOverheadResult): string {
  const rows = [...result.execute, ...result.stream].map((variant) => [
    variant.name,
    n(variant.meanUs, 2),
    `+${n(variant.addedUs, 2)}`,
    n(variant.perCall.p50, 2),
    n(variant.perCall.p99, 2),
  ]);
  const singles = result.single.map((variant) => [variant.name, `+${n(variant.addedUs, 2)}`]);
  return [
    `A MockBackend in-process (no HTTP), ${n(result.callsPerRound)} calls per round, ${result.rounds} interleaved rounds; ` +
      `mean is the median of the round means. The six: ${result.chain.join(', ')}.`,
    '',
    table(['Call', 'mean µs', 'added µs (vs backend direct)', 'p50 µs', 'p99 µs'], rows),
    '',
    'Each middleware alone (bridge.execute, added over the bare Bridge):',
    '',
    table(['Middleware', 'added µs'], singles),
  ].join('\n');
}

export function codecSection(result: CodecThroughputResult): string {
  const protocols = [...new Set(result.pairs.map((pair) => pair.from))];
  const rows = protocols.map((from) => [
    from,
    ...protocols.map((to) => {
      const pair = result.pairs.find((entry) => entry.from === from && entry.to === to);
      return pair ? `${n(pair.eventsPerSecond / 1000)}k (${pair.usPerEvent} µs)` : '–';
    }),
  ]);
  return [
    `Stream events per second through SSE parse → upstream codec's decoder → spec event → caller codec's encoder, one core, ` +
      `${n(result.streamsPerPair)} streams of ${result.eventsPerStream} events per pair.`,
    '',
    table(['upstream ↓ / caller →', ...protocols], rows),
  ].join('\n');
}

export function websocketSection(result: WebSocketResult): string {
  const runs: Array<[string, WebSocketPhase[]]> = [
    ...(result.floor ? [['floor relay', result.floor.phases] as [string, WebSocketPhase[]]] : []),
    ['gateway', result.phases],
  ];
  const rows = runs.flatMap(([via, phases]) =>
    phases.map((phase) => {
      const [server, mock, generator] = phase.usage;
      const cpu = (usage: ProcessUsage | undefined) => `${n((usage?.cpuMs ?? 0) / (phase.seconds * 10), 0)}%`;
      const loop = (usage: ProcessUsage | undefined) => (usage?.loopDelay ? ms(usage.loopDelay.p99Ms) : '–');
      return [
        via,
        phase.name,
        phase.chunksPerChat > 0 ? `${phase.chunksPerChat} × ${phase.chunkDelayMs} ms` : '–',
        ms(phase.pingPong.p50),
        ms(phase.pingPong.p99),
        ms(phase.pingPong.max),
        n(phase.chunksPerSecond),
        phase.errors,
        `${cpu(server)} / ${cpu(mock)} / ${cpu(generator)}`,
        `${loop(server)} / ${loop(mock)} / ${loop(generator)}`,
      ];
    }),
  );
  return [
    `${n(result.connected)} of ${n(result.sockets)} sockets connected in ${result.connectSeconds} s to the gateway's \`/v1/ws\`; every socket ` +
      'pings once a second (spread over the second) and, in the streaming phases, runs one chat after another. ' +
      'The same phases run first through the floor relay (a bare `ws` server in the floor process that forwards each upstream ' +
      "SSE line as a frame, unparsed). CPU is of one core; loop delay is the p99 of each process's event-loop delay " +
      `(\`monitorEventLoopDelay\`): how long ready work waited there. Gateway peak RSS ${result.gatewayPeakRssMb} MB.`,
    '',
    table(
      [
        'Via',
        'Phase',
        'chat (chunks × gap)',
        'ping p50 ms',
        'ping p99 ms',
        'ping max ms',
        'chunks/s (all sockets)',
        'errors',
        'CPU: server / mock / load gen.',
        'loop delay p99 ms: server / mock / load gen.',
      ],
      rows,
    ),
  ].join('\n');
}

export function batchSection(result: BatchResult): string {
  return [
    '`createBatchProcessor` (concurrency 16, `rateLimit.requestsPerMinute` set to the allowed rate) → Bridge → ' +
      '`OpenAIBackendAdapter` → a mock upstream that enforces the rate over a sliding one-second window and answers 429 beyond it.',
    '',
    table(
      [
        'Items',
        'Allowed req/s',
        'Concurrency',
        'Seconds',
        'Achieved req/s',
        '% of allowed',
        '429s',
        'Pauses',
        'Failed',
      ],
      result.runs.map((run) => [
        n(run.items),
        n(run.allowedPerSecond),
        run.concurrency,
        run.seconds,
        n(run.achievedPerSecond, 1),
        `${(run.ratioToAllowed * 100).toFixed(1)}%`,
        run.rateLimited,
        run.pauses,
        run.failed,
      ]),
    ),
  ].join('\n');
}

export function workersSection(result: WorkersResult): string {
  return [
    `\`matey serve --workers N\` (the CLI as users run it, \`node:cluster\`) in front of the mock upstream, ${result.connections} connections, ` +
      `non-streamed OpenAI calls, ${result.durationSeconds} s rounds with 1 and 2 workers interleaved (median round shown). ` +
      `The load generator (autocannon) runs in the bench process: at about one core it, not the gateway, sets the pace. ${result.cores} cores.`,
    '',
    table(
      ['Workers', 'req/s (median)', 'Rounds req/s', 'p50 ms', 'p99 ms', 'Load generator cores'],
      result.runs.map((run) => [
        run.workers,
        n(run.requestsPerSecond),
        (result.roundRequestsPerSecond[String(run.workers)] ?? []).map((value) => n(value)).join(', '),
        run.latencyMs.p50,
        run.latencyMs.p99,
        run.loadGeneratorCores,
      ]),
    ),
    '',
    `2 workers ÷ 1 worker: ${result.twoToOne}×.`,
  ].join('\n');
}

export function distributedBatchSection(result: DistributedBatchResult): string {
  return [
    `\`createBatchProcessor({ distributed: createBullmqBatch(…) })\` submits ${n(result.items)} items to a BullMQ queue on the local Redis; ` +
      `${result.workers} worker processes (\`startBatchWorker\`, ${result.concurrencyPerWorker} at once each, \`OpenAIBackendAdapter\`) ` +
      `call a mock upstream that answers in ${result.upstreamLatencyMs} ms, under one limit of ${n(result.allowedPerSecond)} req/s ` +
      `(BullMQ's limiter: ${result.limiter.max} per ${result.limiter.duration} ms). Once the upstream has seen ${n(result.killedAfterItems)} calls, ` +
      'one worker is killed with SIGKILL while it has calls in flight; locks last 1 s and stalled jobs are looked for every 0.5 s. ' +
      'Rates count every upstream call, first to last.',
    '',
    table(
      [
        'Items',
        'Calls in flight at the kill',
        'Lost',
        'Duplicated results',
        'Calls redone',
        'Achieved req/s',
        '% of allowed',
        'Most calls in 1 s',
        'Most in 5 s, a second',
        'Seconds',
      ],
      [
        [
          n(result.items),
          result.abandonedCalls,
          result.lost,
          result.duplicatedResults,
          result.repeatedCalls,
          n(result.achievedPerSecond, 1),
          `${(result.ratioToAllowed * 100).toFixed(1)}%`,
          result.maxCallsInOneSecond,
          result.maxPerSecondOverFiveSeconds ?? '',
          result.seconds,
        ],
      ],
    ),
  ].join('\n');
}

export function soakSection(result: SoakResult): string {
  const every = Math.max(1, Math.floor(result.samples.length / 12));
  const samples = result.samples.filter((_, i) => i % every === 0 || i === result.samples.length - 1);
  return [
    `${result.seconds} s at ${result.plainRate} non-streamed + ${result.streamRate} streamed calls/s (20 chunks, 10 ms apart) through the gateway; ` +
      `warm-up ${result.warmupSeconds} s. Gateway RSS ${result.gatewayRssAfterWarmupMb} MB after warm-up → ${result.gatewayRssEndMb} MB at the end ` +
      `(**${(result.gatewayRssGrowth * 100).toFixed(1)}%**). Non-streamed p50 ${ms(result.plain.latency.p50)} ms, p99 ${ms(result.plain.latency.p99)} ms; ` +
      `streams p50 ${ms(result.streams.latency.p50)} ms; errors ${result.plain.errors + result.plain.non2xx + result.streams.errors + result.streams.non2xx}.`,
    '',
    table(
      ['t (s)', 'gateway RSS MB', 'gateway heap MB', 'mock RSS MB'],
      samples.map((sample) => [
        sample.atSeconds,
        n(sample.gatewayMb, 1),
        n(sample.gatewayHeapMb, 1),
        n(sample.mockMb, 1),
      ]),
    ),
  ].join('\n');
}

export function peersSection(result: PeersResult): string {
  const floor = result.runs.find((run) => run.name === 'floor');
  const gateway = result.runs.find((run) => run.name === 'gateway');
  const rows = result.runs.map((run) => [
    run.name === 'gateway' ? '**ai.matey gateway**' : run.name,
    n(run.requestsPerSecond),
    floor ? `${(run.requestsPerSecond / Math.max(1, floor.requestsPerSecond)).toFixed(2)}×` : '–',
    gateway && run.name !== 'gateway'
      ? `${(gateway.requestsPerSecond / Math.max(1, run.requestsPerSecond)).toFixed(2)}×`
      : '–',
    run.cpuUsPerRequest === undefined ? '–' : n(run.cpuUsPerRequest, 0),
    ms(run.latencyP50Ms),
    ms(run.latencyP99Ms),
    run.firstByteP50Ms ? ms(run.firstByteP50Ms) : 'failed',
    run.errors,
  ]);
  return [
    "The peers of the issue's anchors, run here against the same mock in one scenario (`pnpm bench --only peers`): " +
      "Portkey's open-source gateway (`@portkey-ai/gateway` 1.15.2, its own `start-server.js`, the mock as an OpenAI " +
      '`x-portkey-custom-host`) and a minimal `node:http` gateway that calls the mock through the official `openai` SDK. ' +
      `Throughput: ${result.connections} connections for ${result.durationSeconds} s after a 3 s warm-up; latency: one ` +
      'connection; first byte: a 100-chunk stream the mock writes at once. All figures absolute. Portkey 1.15.2 fails ' +
      'every streamed reply on Node 22 (`TypeError: immutable`: it sets a header on the immutable `Headers` of a ' +
      '`fetch` response) and answers 500, so it has no first-byte figure.',
    '',
    table(
      [
        'Path',
        'req/s',
        '× floor',
        'gateway ×',
        'server CPU µs/request',
        'latency p50 ms',
        'latency p99 ms',
        'first byte p50 ms',
        'errors',
      ],
      rows,
    ),
  ].join('\n');
}
