import { OpenAIBackendAdapter } from 'ai.matey.backend';
import { Bridge, type ChatRequest } from 'ai.matey.core';
import { createBatchProcessor } from 'ai.matey.patterns';
import { ChildServer, round } from '../processes/child-server.ts';
import type { ScenarioContext } from './scenario-context.ts';
import { PLAIN_REPLY } from './topology.ts';

export interface BatchResult {
  /** One run per allowed rate: a slow one where timers have slack, and a fast one where they have little. */
  runs: BatchRateRun[];
}

export interface BatchRateRun {
  items: number;
  /** The upstream's limit, requests per second over a sliding one-second window. */
  allowedPerSecond: number;
  concurrency: number;
  succeeded: number;
  failed: number;
  /** 429 answers seen (each one retried or failed). */
  rateLimited: number;
  pauses: number;
  seconds: number;
  achievedPerSecond: number;
  /** Achieved rate over the allowed rate. */
  ratioToAllowed: number;
}

/**
 * The batch processor against an upstream that enforces a rate limit (a sliding one-second
 * window, answering 429 as OpenAI does): how close to the allowed rate it runs, and whether it
 * ever trips the limit.
 */
export async function runBatch(context: ScenarioContext): Promise<BatchResult> {
  const items = context.smoke ? 1000 : 5000;
  const runs: BatchRateRun[] = [];
  for (const rate of [100, 500]) runs.push(await runBatchAt(context, rate, items));
  return { runs };
}

async function runBatchAt(
  context: ScenarioContext,
  allowedPerSecond: number,
  items: number,
): Promise<BatchRateRun> {
  const concurrency = 16;
  const mock = await ChildServer.start({
    name: 'rate-limited-mock',
    script: 'mock-upstream-server.ts',
    args: [
      `--options=${JSON.stringify({ reply: PLAIN_REPLY, rateLimit: { requestsPerMinute: allowedPerSecond, windowMs: 1000 } })}`,
    ],
  });
  try {
    const bridge = new Bridge({
      backend: new OpenAIBackendAdapter({ apiKey: 'bench', baseURL: `${mock.url}/v1` }),
    });
    const processor = createBatchProcessor({
      concurrency,
      rateLimit: { requestsPerMinute: allowedPerSecond * 60 },
      retry: { maxAttempts: 5, baseDelayMs: 50 },
    });
    let rateLimited = 0;
    let pauses = 0;
    processor.on('retry', ({ error }) => {
      if (error.status === 429) rateLimited++;
    });
    processor.on('pause', () => {
      pauses++;
    });
    const requests: ChatRequest[] = Array.from({ length: items }, (_, i) => ({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `Request ${i + 1}` }],
    }));
    const started = performance.now();
    const results = await processor.run(requests, bridge);
    const seconds = (performance.now() - started) / 1000;
    const failed = results.filter((result) => !result.success);
    rateLimited += failed.filter((result) => !result.success && result.error.status === 429).length;
    const achievedPerSecond = items / seconds;
    const result = {
      items,
      allowedPerSecond,
      concurrency,
      succeeded: items - failed.length,
      failed: failed.length,
      rateLimited,
      pauses,
      seconds: round(seconds, 2),
      achievedPerSecond: round(achievedPerSecond, 1),
      ratioToAllowed: round(achievedPerSecond / allowedPerSecond, 4),
    };
    context.log(
      `batch: ${result.succeeded}/${items} in ${result.seconds} s = ${result.achievedPerSecond}/s (${(result.ratioToAllowed * 100).toFixed(1)}% of allowed), 429s: ${rateLimited}`,
    );
    return result;
  } finally {
    await mock.stop();
  }
}
