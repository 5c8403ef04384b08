import { defaultCatalog } from 'ai.matey.backend';
import { Bridge, type ChatRequest, type Middleware } from 'ai.matey.core';
import {
  createCacheMiddleware,
  createCostTrackingMiddleware,
  createLoggingMiddleware,
  createRateLimitMiddleware,
  createRetryMiddleware,
  createValidationMiddleware,
} from 'ai.matey.middleware';
import { MockBackend } from 'ai.matey.testing';
import type { PatternContext, PatternOutcome } from './pattern-result.ts';
import { median } from './stats.ts';
import { formatTable } from './text-table.ts';

export interface MiddlewareCompositionResult extends PatternOutcome {
  calls: number;
  layers: string[];
  /** Median of one call straight to the backend, µs. */
  directUs: number;
  /** Median added by a Bridge with no middleware, µs. */
  bridgeOverheadUs: number;
  /** Median added by the Bridge and the six middleware, µs (direct call subtracted). */
  chainOverheadUs: number;
  /** Median time to refuse an invalid request (validation short-circuit), µs. */
  shortCircuitUs: number;
  /** Median time of a cache hit (the chain answers without the backend), µs. */
  cacheHitUs: number;
  /** The backend saw none of the short-circuited calls. */
  backendSpared: boolean;
}

/**
 * Pattern 7: six middleware from `ai.matey.middleware` (validation, rate limit, logging, retry,
 * cache, cost tracking) in one Bridge over an in-process MockBackend, so only the chain's own
 * cost is measured: the median per call, with the direct backend call subtracted, and the
 * cost of a validation refusal and of a cache hit, which never reach the backend.
 */
export async function runMiddlewareComposition(
  context: PatternContext,
): Promise<MiddlewareCompositionResult> {
  const backend = new MockBackend({
    name: 'openai',
    defaultModel: 'gpt-4o-mini',
    reply: { text: 'ok', usage: { inputTokens: 12, outputTokens: 2 } },
  });
  const chain: Middleware[] = [
    createValidationMiddleware({ maxMessages: 50 }),
    createRateLimitMiddleware({ requestsPerWindow: 1_000_000_000, windowMs: 60_000 }),
    // A silent sink: the log line is still built and serialised, only not printed.
    createLoggingMiddleware({ destination: { write: () => {} } }),
    createRetryMiddleware({ maxAttempts: 3 }),
    createCacheMiddleware({ maxEntries: 256 }),
    createCostTrackingMiddleware({ catalog: defaultCatalog }),
  ];
  const composed = new Bridge({ backend, middleware: chain });
  const bare = new Bridge({ backend });
  const calls = context.quick ? 600 : 3000;
  const warmup = Math.floor(calls / 5);
  const direct: number[] = [];
  const bridged: number[] = [];
  const chained: number[] = [];
  const ask = (i: number): ChatRequest => ({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: `Question ${i}` }],
  });

  for (let i = 0; i < warmup + calls; i++) {
    // Interleaved, so drift in the machine's load hits the three series alike.
    const t0 = performance.now();
    await backend.execute(ask(i));
    const t1 = performance.now();
    await bare.execute(ask(i));
    const t2 = performance.now();
    // A new question each time: the cache misses and the whole chain runs down to the backend.
    await composed.execute(ask(i));
    const t3 = performance.now();
    if (i < warmup) continue;
    direct.push((t1 - t0) * 1000);
    bridged.push((t2 - t1) * 1000);
    chained.push((t3 - t2) * 1000);
  }

  const before = backend.calls.length;
  const refusals: number[] = [];
  const hits: number[] = [];
  const repeat = ask(-1);
  await composed.execute(repeat); // fills the cache
  for (let i = 0; i < Math.floor(calls / 3); i++) {
    const t0 = performance.now();
    await composed.execute({ messages: [] }).catch(() => undefined);
    const t1 = performance.now();
    await composed.execute(repeat);
    const t2 = performance.now();
    refusals.push((t1 - t0) * 1000);
    hits.push((t2 - t1) * 1000);
  }
  const backendSpared = backend.calls.length === before + 1;

  const directUs = median(direct);
  const bridgeOverheadUs = median(bridged) - directUs;
  const chainOverheadUs = median(chained) - directUs;
  const shortCircuitUs = median(refusals);
  const cacheHitUs = median(hits);
  const layers = chain.map((m) => m.name ?? 'anonymous');
  const us = (value: number) => `${value.toFixed(0)} µs`;
  return {
    calls,
    layers,
    directUs,
    bridgeOverheadUs,
    chainOverheadUs,
    shortCircuitUs,
    cacheHitUs,
    backendSpared,
    details: [
      formatTable(
        ['call', 'median', 'note'],
        [
          ['backend directly', us(directUs), 'MockBackend.execute, no latency'],
          ['Bridge, no middleware', us(directUs + bridgeOverheadUs), `+${us(bridgeOverheadUs)} over direct`],
          ['Bridge + 6 middleware', us(directUs + chainOverheadUs), `+${us(chainOverheadUs)} over direct`],
          ['validation refusal', us(shortCircuitUs), 'short-circuit: the backend is not called'],
          ['cache hit', us(cacheHitUs), 'short-circuit: answered by the cache'],
        ],
        { alignRight: [1] },
      ),
      `Chain: ${layers.join(' → ')}. ${calls} calls per series after ${warmup} warm-up calls, medians.`,
      `Short-circuited calls ${backendSpared ? 'never reached' : 'REACHED'} the backend.`,
    ],
    summary: {
      ran: `6-layer chain (${layers.join(', ')}) over an in-process backend, ${calls} calls`,
      measured:
        `${us(chainOverheadUs)} per call (${(chainOverheadUs / 1000).toFixed(3)} ms); ` +
        `short-circuit ${us(shortCircuitUs)} (validation), ${us(cacheHitUs)} (cache hit)`,
      ok: backendSpared && chainOverheadUs < 10_000,
    },
  };
}
