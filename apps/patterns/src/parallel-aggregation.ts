import type { ChatRequest } from 'ai.matey.core';
import { createParallelAggregator, type ProviderResult } from 'ai.matey.patterns';
import type { SimulatedFleet } from 'ai.matey.testing';
import type { FleetProvider } from './fleet-backends.ts';
import type { PatternContext, PatternOutcome } from './pattern-result.ts';
import { formatMs, sleep } from './stats.ts';
import { formatTable } from './text-table.ts';

const PROVIDERS: FleetProvider[] = ['openai', 'anthropic', 'groq'];
const REQUEST: ChatRequest = { messages: [{ role: 'user', content: 'What is AI?' }] };

export interface ParallelRun {
  strategy: 'all' | 'first-success';
  wallMs: number;
  winner?: string;
  providers: Array<{
    provider: string;
    success: boolean;
    durationMs: number;
    cancelled: boolean;
    chunks: number;
    error?: string;
  }>;
}

export interface ParallelAggregationResult extends PatternOutcome {
  /** `all`, every provider healthy, streaming through `chunk` events. */
  all: ParallelRun;
  /** `all` with one provider failing: the others still answer. */
  allWithFailure: ParallelRun;
  firstSuccess: ParallelRun;
  /** Losers' connections the simulated upstreams saw closed by the client (cancellation reached the socket). */
  upstreamAborts: number;
}

/**
 * Pattern 2: the same question to three providers at once with `createParallelAggregator`:
 * `all` (streaming, chunks counted per provider), `all` with a fault injected into one provider,
 * and `first-success`, whose losers are cancelled down to their sockets.
 */
export async function runParallelAggregation(context: PatternContext): Promise<ParallelAggregationResult> {
  const { fleet, backends } = context.clean;
  const selected = Object.fromEntries(PROVIDERS.map((name) => [name, backends[name]]));

  const all = await runOnce(createParallelAggregator({ backends: selected, strategy: 'all' }), true);

  fleet.get('groq')?.upstream.enqueue({ error: 'overloaded', errorMessage: 'Overloaded (injected)' });
  const allWithFailure = await runOnce(
    createParallelAggregator({ backends: selected, strategy: 'all' }),
    false,
  );

  const mark = Date.now();
  const firstSuccess = await runOnce(
    createParallelAggregator({ backends: selected, strategy: 'first-success' }),
    false,
  );
  const cancelled = firstSuccess.providers.filter((p) => p.cancelled).length;
  const upstreamAborts = await countClientAborts(fleet, mark, cancelled);

  const sequentialMs = all.providers.reduce((sum, p) => sum + p.durationMs, 0);
  const row = (run: ParallelRun, label: string) =>
    run.providers.map((p) => [
      label,
      p.provider,
      p.success ? 'ok' : p.cancelled ? 'cancelled' : 'failed',
      formatMs(p.durationMs),
      run.strategy === 'all' && label === 'all' ? String(p.chunks) : '',
      p.error ?? '',
    ]);
  const table = formatTable(
    ['run', 'provider', 'outcome', 'duration', 'chunks', 'note'],
    [...row(all, 'all'), ...row(allWithFailure, 'all + fault'), ...row(firstSuccess, 'first-success')],
    { maxWidth: [13, 9, 9, 8, 6, 44], alignRight: [3, 4] },
  );
  const okWithFailure = allWithFailure.providers.filter((p) => p.success).length;
  const loser = (p: ParallelRun['providers'][number]) => `${p.provider} ${formatMs(p.durationMs)}`;
  return {
    all,
    allWithFailure,
    firstSuccess,
    upstreamAborts,
    details: [
      table,
      `all: wall ${formatMs(all.wallMs)} for three calls that take ${formatMs(sequentialMs)} one after another.`,
      `all + fault: ${okWithFailure}/3 answered; the failure is reported, not thrown (as the guide's Promise.allSettled does).`,
      `first-success: ${firstSuccess.winner} won in ${formatMs(firstSuccess.wallMs)}; ${cancelled} cancelled ` +
        `(${firstSuccess.providers
          .filter((p) => p.cancelled)
          .map(loser)
          .join(', ')}); ` +
        `the upstreams saw ${upstreamAborts} connection(s) closed early.`,
    ],
    summary: {
      ran: '3 providers at once: all (streamed), all + 1 fault, first-success',
      measured:
        `all: ${all.providers.map((p) => `${p.provider} ${formatMs(p.durationMs)}`).join(', ')} ` +
        `(wall ${formatMs(all.wallMs)}); fault: ${okWithFailure}/3 ok; first-success: ${firstSuccess.winner} ` +
        `in ${formatMs(firstSuccess.wallMs)}, ${cancelled} losers cancelled`,
      ok:
        all.providers.every((p) => p.success && p.chunks > 0) &&
        okWithFailure === 2 &&
        firstSuccess.winner !== undefined &&
        cancelled === 2,
    },
  };
}

async function runOnce(
  aggregator: ReturnType<typeof createParallelAggregator>,
  countChunks: boolean,
): Promise<ParallelRun> {
  const chunks = new Map<string, number>();
  // A `chunk` listener makes every call stream, as the seed's real-time aggregator did.
  if (countChunks) {
    aggregator.on('chunk', ({ provider, event }) => {
      if (event.type === 'text-delta') chunks.set(provider, (chunks.get(provider) ?? 0) + 1);
    });
  }
  const started = performance.now();
  const result = await aggregator.execute(REQUEST);
  const wallMs = performance.now() - started;
  return {
    strategy: aggregator.strategy as ParallelRun['strategy'],
    wallMs,
    ...(result.provider ? { winner: result.provider } : {}),
    providers: result.results.map((r: ProviderResult) => ({
      provider: r.provider,
      success: r.success,
      durationMs: r.durationMs,
      cancelled: !r.success && r.cancelled === true,
      chunks: chunks.get(r.provider) ?? 0,
      ...(r.success ? {} : { error: `${r.error.kind}: ${r.error.message}` }),
    })),
  };
}

/** Waits (up to 2 s) until the upstreams have logged `expected` client aborts since `since`. */
async function countClientAborts(fleet: SimulatedFleet, since: number, expected: number): Promise<number> {
  const count = () =>
    fleet.providers.reduce(
      (sum, provider) =>
        sum + provider.upstream.requests.filter((r) => r.time >= since && r.clientAborted).length,
      0,
    );
  const deadline = performance.now() + 2000;
  while (count() < expected && performance.now() < deadline) await sleep(10);
  return count();
}
