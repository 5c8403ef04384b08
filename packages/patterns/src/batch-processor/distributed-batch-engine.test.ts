import { describe, expect, it } from 'vitest';
import type { BatchItemResult } from './batch-run.ts';
import { createBatchProcessor } from './create-batch-processor.ts';
import type { DistributedBatchEngine, DistributedBatchRun } from './distributed-batch-engine.ts';

/** An engine that runs the items here, one at a time, and keeps what it was asked. */
class InlineEngine implements DistributedBatchEngine {
  asked: DistributedBatchRun<unknown, unknown> | undefined;

  async process<I, O>(run: DistributedBatchRun<I, O>): Promise<Array<BatchItemResult<O>>> {
    this.asked = run as DistributedBatchRun<unknown, unknown>;
    const results: Array<BatchItemResult<O>> = [];
    for (const [index, item] of run.items.entries()) {
      const result = await run.executor(item, { index, attempt: 1, signal: new AbortController().signal });
      results.push({ index, success: true, result, attempts: 1 });
      run.hooks.item(results[index] as BatchItemResult<unknown>, 0);
    }
    return results;
  }
}

describe('createBatchProcessor({ distributed })', () => {
  it('hands the batch, its limits and its retry policy to the engine, and emits its items', async () => {
    const engine = new InlineEngine();
    const processor = createBatchProcessor({
      concurrency: 6,
      rateLimit: { requestsPerMinute: 600 },
      retry: { maxAttempts: 5 },
      distributed: engine,
    });
    const seen: number[] = [];
    processor.on('item', ({ result }) => seen.push(result.index));
    const results = await processor.process(['a', 'b', 'c'], async (item) => item.toUpperCase());
    expect(results.map((result) => result.success && result.result)).toEqual(['A', 'B', 'C']);
    expect(seen).toEqual([0, 1, 2]);
    expect(engine.asked).toMatchObject({
      concurrency: 6,
      rateLimit: { requestsPerMinute: 600 },
      retry: { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 },
    });
  });

  it('refuses a checkpoint file beside a distributed engine, which keeps its own records', () => {
    expect(() =>
      createBatchProcessor({ distributed: new InlineEngine(), checkpoint: { path: 'batch.jsonl' } }),
    ).toThrow(/drop `checkpoint`/);
  });
});
