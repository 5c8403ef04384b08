import { afterEach, describe, expect, it, vi } from 'vitest';
import { useMockProviders } from './harness/mock-providers.ts';

const providers = useMockProviders();
afterEach(() => {
  vi.clearAllTimers();
  vi.useRealTimers();
});

const modelListings = (provider: 'openai' | 'anthropic') =>
  providers.upstream[provider].requests.filter((r) => r.method === 'GET').length;

describe('guide combination: failover + health monitoring + cost optimization', () => {
  it('fails over, prices what was served with new CostOptimizer(), and runs health checks every 5 s', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { costOptimizer, failoverMiddleware, healthMonitor } = await import(
      './blocks/09-high-availability.ts'
    );
    const { bridge, openaiBackend, anthropicBackend } = await import('./harness/guide-backends.ts');

    providers.upstream.openai.enqueue({ error: 'overloaded' });
    const reply = await bridge.execute({ messages: [{ role: 'user', content: 'Where is my parcel?' }] });
    expect(reply.routing?.backend).toBe('anthropic');
    expect(reply.metadata?.failover).toMatchObject({ provider: 'anthropic' });
    expect(failoverMiddleware.auditTrail().map((a) => `${a.provider}:${a.outcome}`)).toEqual([
      'openai:failed',
      'anthropic:success',
    ]);
    // The optimizer keeps the provider failover chose and prices it with the guide's table.
    const report = costOptimizer.report();
    expect(report).toMatchObject({
      calls: 1,
      reference: 'openai',
      distribution: { anthropic: { calls: 1 } },
    });
    const { inputTokens, outputTokens } = reply.usage;
    expect(report.totalUsd).toBeCloseTo((0.0008 * (inputTokens + outputTokens)) / 1000, 12);
    expect(report.savingsPct).toBeCloseTo((1 - 0.0008 / 0.0015) * 100, 6);

    // The monitor learns providers from runHealthCheck; the block's interval re-checks them all.
    await healthMonitor.runHealthCheck('openai', openaiBackend);
    await healthMonitor.runHealthCheck('anthropic', anthropicBackend);
    expect([modelListings('openai'), modelListings('anthropic')]).toEqual([1, 1]);
    await vi.advanceTimersByTimeAsync(5_000);
    await vi.waitFor(() => expect([modelListings('openai'), modelListings('anthropic')]).toEqual([2, 2]), {
      timeout: 5_000,
    });
    const health = healthMonitor.getHealthReport();
    expect(health.providers.openai).toMatchObject({ status: 'healthy', totalRequests: 2 });
    expect(health.providers.anthropic).toMatchObject({ status: 'healthy', totalRequests: 2 });
  });
});
