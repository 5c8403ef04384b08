import { setTimeout as sleep } from 'node:timers/promises';
import { Bridge } from 'ai.matey.core';
import { BatchProcessor } from 'ai.matey.patterns';
import { describe, expect, it } from 'vitest';
import { useMockProviders } from './harness/mock-providers.ts';

const providers = useMockProviders();

/** The guide's 15 requests. */
const requests = Array(15)
  .fill(null)
  .map((_, i) => ({ messages: [{ role: 'user' as const, content: `Request ${i + 1}` }] }));

/** The most arrivals at the mock provider within any `windowMs`. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let busiest = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= windowMs) first++;
    busiest = Math.max(busiest, last - first + 1);
  }
  return busiest;
}

describe("the library's BatchProcessor given the guide's options", () => {
  it('admits 10 per window at once and the rest as the window slides (10 per 3 s, measured)', async () => {
    const { openaiBackend } = await import('./harness/guide-backends.ts');
    // Three calls first (one per connection the run will use), so the measured run does not include
    // opening connections.
    await Promise.all(requests.slice(0, 3).map((req) => new Bridge({ backend: openaiBackend }).execute(req)));
    providers.upstream.openai.reset();
    // The guide's { maxRequests: 10, perMinutes: 1 }, with the minute scaled to 3 s.
    const processor = new BatchProcessor({
      concurrency: 3,
      rateLimit: { maxRequests: 10, perMinutes: 0.05 },
    });
    const starts: number[] = [];
    const started = performance.now();
    const results = await processor.process(requests, async (req) => {
      starts.push(performance.now() - started);
      const bridge = new Bridge({ backend: openaiBackend });
      return await bridge.execute(req);
    });
    const elapsed = performance.now() - started;

    expect(results.filter((r) => r.success)).toHaveLength(15);
    expect(starts).toHaveLength(15);
    // The first 10 go at once (3 at a time), the 11th when the first leaves the 3 s window
    // (plus the gate's 1% guard and 30 ms first-window allowance), none later than needed.
    expect(starts[9]!).toBeLessThan(2_000);
    expect(starts[10]!).toBeGreaterThanOrEqual(3_000);
    for (let i = 10; i < starts.length; i++)
      expect(starts[i]! - starts[i - 10]!).toBeGreaterThanOrEqual(3_000);
    expect(elapsed).toBeLessThan(5_000);
    // And at the provider: 10 arrivals in a window, never more. The mock shares this thread, so an
    // arrival can be stamped late by a busy event loop; the window is 20× shorter than the guide's
    // minute while that jitter is not, hence 100 ms of slack (the gate's own guard is 1%, 30 ms here).
    const arrivals = providers.upstream.openai.requests.map((r) => r.time);
    expect(arrivals).toHaveLength(15);
    expect(busiestWindow(arrivals, 2_900)).toBe(10);
    console.log(
      `BatchProcessor { maxRequests: 10, perMinutes: 0.05 }: 15 requests in ${(elapsed / 1000).toFixed(2)} s; ` +
        `11th admitted at ${starts[10]!.toFixed(0)} ms; busiest 3 s at the provider: ${busiestWindow(arrivals, 3_000)}`,
    );
  });

  it('with the options exactly as the guide writes them, the 11th request waits for the minute', async () => {
    const { openaiBackend } = await import('./harness/guide-backends.ts');
    const processor = new BatchProcessor({ concurrency: 3, rateLimit: { maxRequests: 10, perMinutes: 1 } });
    let succeeded = 0;
    processor.on('item', ({ result }) => {
      if (result.success) succeeded++;
    });
    const controller = new AbortController();
    const run = processor.process(
      requests,
      (req, { signal }) => new Bridge({ backend: openaiBackend }).execute(req, { signal }),
      { signal: controller.signal },
    );
    // The first 10 run at once; the 11th is not admitted before the minute is up.
    await expect.poll(() => succeeded, { timeout: 5_000 }).toBe(10);
    const outcome = await Promise.race([run.then(() => 'finished'), sleep(500).then(() => 'waiting')]);
    expect(outcome).toBe('waiting');
    expect(providers.calls('openai')).toBe(10);
    controller.abort();
    await expect(run).rejects.toMatchObject({ kind: 'cancelled' });
    expect(providers.calls('openai')).toBe(10);
  });
});
