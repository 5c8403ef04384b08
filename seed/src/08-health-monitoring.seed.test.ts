import { afterEach, describe, expect, it, vi } from 'vitest';
import { useMockProviders } from './harness/mock-providers.ts';

const providers = useMockProviders();
afterEach(() => {
  vi.clearAllTimers();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('guide pattern 8: continuous health monitoring', () => {
  it('checks both providers every 3 s over HTTP and prints the report, degraded once one fails', async () => {
    const table = vi.spyOn(console, 'table').mockImplementation(() => {});
    // The block's setInterval is faked (the checks themselves are real calls to the mock providers).
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    await import('./blocks/08-health-monitoring.ts');
    expect(table).not.toHaveBeenCalled();

    await vi.advanceTimersByTimeAsync(3_000);
    await vi.waitFor(() => expect(table).toHaveBeenCalledTimes(1), { timeout: 5_000 });
    expect(table.mock.calls[0]?.[0]).toEqual({
      openai: {
        status: 'healthy',
        successRate: '100.00',
        avgResponseTime: expect.any(String),
        totalRequests: 1,
      },
      anthropic: {
        status: 'healthy',
        successRate: '100.00',
        avgResponseTime: expect.any(String),
        totalRequests: 1,
      },
    });
    expect([providers.calls('openai'), providers.calls('anthropic')]).toEqual([1, 1]);

    providers.upstream.anthropic.enqueue({ error: 'invalid-request' });
    await vi.advanceTimersByTimeAsync(3_000);
    await vi.waitFor(() => expect(table).toHaveBeenCalledTimes(2), { timeout: 5_000 });
    expect(table.mock.calls[1]?.[0]).toMatchObject({
      openai: { status: 'healthy', successRate: '100.00', totalRequests: 2 },
      anthropic: { status: 'degraded', successRate: '50.00', totalRequests: 2 },
    });
  });
});
