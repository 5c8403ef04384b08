import { startMockUpstream } from 'ai.matey.testing';
import { afterEach, describe, expect, it } from 'vitest';
import { bulkheadsConfigSchema } from './bulkheads-config-schema.ts';
import { gatewayBulkheads } from './gateway-bulkheads.ts';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

describe('gatewayBulkheads', () => {
  it("sizes a capped provider's own pool to its cap: a hung origin gets no more sockets than that", async () => {
    const upstream = await startMockUpstream({ reply: { hangMs: 30_000 } });
    open.push(upstream);
    const bulkheads = gatewayBulkheads(
      bulkheadsConfigSchema.parse({ providers: { slow: { maxConcurrent: 3 } } }),
    );
    open.push(bulkheads);
    const transport = bulkheads.transportFor('slow');
    expect(transport).toBeDefined();
    const controller = new AbortController();
    // More requests than the cap, past the bulkhead (as a health check or a model list would go).
    const calls = Array.from({ length: 8 }, () =>
      transport
        ?.request({
          origin: upstream.url,
          path: '/v1/chat/completions',
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer upstream-key' },
          body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
          provider: 'slow',
          signal: controller.signal,
        })
        .catch((error: unknown) => error),
    );
    await upstream.waitForRequests(3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(upstream.requests).toHaveLength(3);
    controller.abort();
    await Promise.all(calls);
  });

  it('leaves a provider without limits on the shared transport, and builds nothing without the section', () => {
    const some = gatewayBulkheads(bulkheadsConfigSchema.parse({ providers: { a: { maxConcurrent: 1 } } }));
    expect(some.transportFor('b')).toBeUndefined();
    expect(some.keys).toEqual({ limits: {} });
    const none = gatewayBulkheads(undefined);
    expect(none.providers).toBeUndefined();
    expect(none.transportFor('a')).toBeUndefined();
  });

  it('gives every provider the default limits, and keys their own', () => {
    const bulkheads = gatewayBulkheads(
      bulkheadsConfigSchema.parse({ default: { maxConcurrent: 2 }, keys: { team: { maxConcurrent: 1 } } }),
    );
    expect(bulkheads.transportFor('any')).toBeDefined();
    expect(bulkheads.providers).toBeDefined();
    expect(bulkheads.keys.limits).toEqual({ team: { maxConcurrent: 1 } });
    return bulkheads.close();
  });
});
