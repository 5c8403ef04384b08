import { OpenAIBackendAdapter } from 'ai.matey.backend';
import { Bridge, type ChatRequest } from 'ai.matey.core';
import { createBatchProcessor } from 'ai.matey.patterns';
import { startMockUpstream } from 'ai.matey.testing';
import type { PatternContext, PatternOutcome } from './pattern-result.ts';
import { formatMs, formatPct } from './stats.ts';
import { formatTable } from './text-table.ts';

/** The upstream's limit: this many requests per one-second window, answered with 429 beyond it. */
export const UPSTREAM_LIMIT_PER_SECOND = 20;

export interface BatchRun {
  label: string;
  items: number;
  succeeded: number;
  successRate: number;
  elapsedMs: number;
  itemsPerSecond: number;
  /** 429 answers the batch got from the upstream (each one retried after its retry-after). */
  rateLimited: number;
  retries: number;
}

export interface BatchProcessingResult extends PatternOutcome {
  /** Paced just under the upstream's limit: the seed's "standard config". */
  paced: BatchRun;
  /** No pacing, more concurrency: the seed's "high throughput" config. */
  unpaced: BatchRun;
}

/**
 * Pattern 6: `createBatchProcessor` against an OpenAI-style upstream that enforces a
 * requests-per-window limit with real 429s. One run paces itself at 85% of the limit; the
 * other sends as fast as its concurrency allows and relies on retry-after.
 */
export async function runBatchProcessing(context: PatternContext): Promise<BatchProcessingResult> {
  const upstream = await startMockUpstream({
    provider: 'openai',
    log: false,
    rateLimit: { requestsPerMinute: UPSTREAM_LIMIT_PER_SECOND, windowMs: 1000 },
    // openai's simulated speed: ~350 ms to the first byte at real time, a short answer.
    reply: { text: 'Done.', latencyMs: Math.round(350 * context.timeScale) },
  });
  try {
    const backend = new OpenAIBackendAdapter({
      apiKey: 'sk-simulated-batch',
      baseURL: `${upstream.url}/v1`,
      transport: context.transport,
    });
    const bridge = new Bridge({ backend });
    const items = context.quick ? 24 : 60;
    const requests: ChatRequest[] = Array.from({ length: items }, (_, i) => ({
      messages: [{ role: 'user', content: `Request ${i + 1}` }],
    }));
    // 85% of the limit leaves room for the jitter between our clock and the upstream's window.
    const pacedPerMinute = Math.floor(UPSTREAM_LIMIT_PER_SECOND * 60 * 0.85);
    const paced = await runBatch('paced (standard)', requests, bridge, {
      concurrency: 8,
      rateLimit: { requestsPerMinute: pacedPerMinute },
    });
    upstream.reset();
    const unpaced = await runBatch('unpaced (high throughput)', requests, bridge, {
      concurrency: 16,
      retry: { maxAttempts: 3 },
    });
    const rows = [paced, unpaced].map((run) => [
      run.label,
      `${run.succeeded}/${run.items}`,
      formatPct(run.successRate, 1),
      run.itemsPerSecond.toFixed(2),
      String(run.rateLimited),
      formatMs(run.elapsedMs),
    ]);
    return {
      paced,
      unpaced,
      details: [
        formatTable(['run', 'ok', 'success', 'items/s', '429s', 'elapsed'], rows, {
          alignRight: [1, 2, 3, 4, 5],
        }),
        `Upstream limit: ${UPSTREAM_LIMIT_PER_SECOND} requests per 1 s window (answered with 429 + retry-after beyond it). ` +
          `Paced run: ${pacedPerMinute} requests/min, concurrency 8. Unpaced: concurrency 16, up to 3 attempts per item.`,
        'Throughput is bound by the limit, not by the time scale: items/s is wall-clock.',
      ],
      summary: {
        ran: `${items} items vs a ${UPSTREAM_LIMIT_PER_SECOND} req/s upstream limit: paced at 85%, and unpaced`,
        measured:
          `paced: ${paced.itemsPerSecond.toFixed(2)} items/s, ${formatPct(paced.successRate, 1)} ok, ${paced.rateLimited}× 429; ` +
          `unpaced: ${unpaced.itemsPerSecond.toFixed(2)} items/s, ${formatPct(unpaced.successRate, 1)} ok, ${unpaced.rateLimited}× 429`,
        ok: paced.successRate === 100 && paced.rateLimited === 0,
      },
    };
  } finally {
    await upstream.close();
  }
}

async function runBatch(
  label: string,
  requests: ChatRequest[],
  bridge: Bridge,
  options: Parameters<typeof createBatchProcessor>[0],
): Promise<BatchRun> {
  const processor = createBatchProcessor(options);
  let rateLimited = 0;
  let retries = 0;
  processor.on('retry', ({ error }) => {
    retries++;
    if (error.kind === 'rate-limited') rateLimited++;
  });
  const started = performance.now();
  const results = await processor.run(requests, bridge);
  const elapsedMs = performance.now() - started;
  // A 429 on an item's last attempt is not retried, so count those from the results too.
  for (const result of results) if (!result.success && result.error.kind === 'rate-limited') rateLimited++;
  const succeeded = results.filter((r) => r.success).length;
  return {
    label,
    items: requests.length,
    succeeded,
    successRate: (succeeded / requests.length) * 100,
    elapsedMs,
    itemsPerSecond: (requests.length / elapsedMs) * 1000,
    rateLimited,
    retries,
  };
}
