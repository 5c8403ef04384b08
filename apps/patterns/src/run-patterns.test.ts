import { describe, expect, it } from 'vitest';
import { runPatterns } from './run-patterns.ts';

const sockets = () =>
  process.getActiveResourcesInfo().filter((kind) => kind === 'TCPServerWrap' || kind === 'TCPSocketWrap')
    .length;

describe('runPatterns (quick)', () => {
  it('runs all eight patterns against the simulated fleet and closes everything it opened', async () => {
    const openBefore = sockets();
    const report = await runPatterns({ quick: true });

    expect(report.timeScale).toBe(0.1);
    expect(report.summary.map((row) => row.pattern)).toEqual([
      '1. Complexity routing',
      '2. Parallel aggregation',
      '3. Automatic failover',
      '4. Cost-optimized selection',
      '5. WebSocket streaming',
      '6. Batch processing',
      '7. Middleware composition',
      '8. Health monitoring',
    ]);
    for (const row of report.summary) {
      expect(row.ok, `${row.pattern}: ${row.measured}`).toBe(true);
      expect(row.measured).not.toMatch(/NaN|undefined/);
      // Every published figure is compared with a measurement; a missed one says why.
      expect(row.checks.length).toBeGreaterThan(0);
      for (const check of row.checks) {
        expect(`${check.measured} ${check.target} ${check.why ?? ''}`).not.toMatch(/NaN|undefined|seed/);
        if (check.status === 'missed') expect(check.why).toBeTruthy();
      }
    }
    const statusOf = (pattern: string) =>
      report.summary.find((row) => row.pattern.startsWith(pattern))?.checks.map((check) => check.status);
    // The two figures the guide publishes and we cannot meet, as written: its top complexity tier,
    // and 84% savings, which its own price table and mix cannot give.
    expect(statusOf('1.')).toEqual(['met', 'missed']);
    expect(statusOf('4.')).toEqual(['missed', 'met', 'info']);
    const savings = report.summary.find((row) => row.pattern.startsWith('4.'))?.checks[0];
    expect(savings?.measured).toMatch(/^saved 75\.8% against sending all 20 calls to openai/);
    expect(savings?.why).toContain('77.3%');
    expect(savings?.why).toContain('78.7%');

    // 1. Every query answered; the seed's analyzer cannot reach its top tier.
    const complexity = report.complexity;
    expect(complexity?.answered).toBe(18);
    expect(complexity?.distribution.anthropic).toBe(0);
    expect(complexity?.distribution.groq).toBeGreaterThan(0);
    expect(complexity?.distribution.openai).toBeGreaterThan(0);
    expect(complexity?.highestScore).toBe(75);
    expect(complexity?.unreachable).toEqual(['anthropic']);

    // 2. All three answer in parallel (streamed); a fault is reported, not thrown; losers are cancelled.
    const parallel = report.parallel;
    expect(parallel?.all.providers.every((p) => p.success && p.chunks > 0)).toBe(true);
    expect(parallel?.allWithFailure.providers.find((p) => p.provider === 'groq')?.success).toBe(false);
    expect(parallel?.allWithFailure.providers.filter((p) => p.success)).toHaveLength(2);
    expect(parallel?.firstSuccess.winner).toBeDefined();
    expect(parallel?.firstSuccess.providers.filter((p) => p.cancelled)).toHaveLength(2);

    // 3. Every scripted scenario ends as expected, and the flaky load always ends in an answer.
    const failover = report.failover;
    expect(failover?.scenarios.length).toBeGreaterThanOrEqual(10);
    expect(failover?.scenarios.filter((s) => !s.passed)).toEqual([]);
    expect(failover?.load.successRate).toBe(100);
    expect(failover?.load.primaryAloneRate).toBeLessThan(100);

    // 4. Cheapest-in-tier saves money with the seed's prices and with the catalog's.
    const cost = report.cost;
    expect(cost?.seedPrices.report.savingsPct).toBeGreaterThan(0);
    expect(cost?.seedPrices.report.distribution.deepseek?.share).toBe(0.5);
    expect(cost?.catalogPrices.report.savingsPct).toBeGreaterThan(0);
    expect(cost?.catalogPrices.usages.every((usage) => usage.outputTokens > 0)).toBe(true);

    // 5. Every ping got its pong; every chat streamed; switches and history worked.
    const ws = report.websocket;
    expect(ws?.pongs).toBe(ws?.pings);
    expect(ws?.rttP50Ms).toBeGreaterThan(0);
    expect(ws?.streams.every((s) => s.textChunks > 0)).toBe(true);
    expect(ws?.providerSwitches).toBe(2);
    expect(ws?.historyKept).toBe(true);

    // 6. Paced under the limit: all succeed with no 429; unpaced: the upstream's limit bites.
    const batch = report.batch;
    expect(batch?.paced.successRate).toBe(100);
    expect(batch?.paced.rateLimited).toBe(0);
    expect(batch?.unpaced.rateLimited).toBeGreaterThan(0);

    // 7. Six layers ran; short-circuited calls never reached the backend.
    const middleware = report.middleware;
    expect(middleware?.layers).toHaveLength(6);
    expect(middleware?.backendSpared).toBe(true);
    expect(Number.isFinite(middleware?.chainOverheadUs)).toBe(true);

    // 8. Every provider was probed; the 50%-failing one is not reported healthy, and alerts fired.
    const health = report.health;
    expect(Object.keys(health?.report.providers ?? {})).toEqual(['openai', 'anthropic', 'groq', 'deepseek']);
    expect(Object.values(health?.report.providers ?? {}).every((p) => p.totalRequests > 0)).toBe(true);
    expect(health?.report.providers.openai?.status).not.toBe('healthy');
    expect(health?.alerts.length).toBeGreaterThan(0);

    // Fleets, gateway, WebSocket clients and pooled sockets are all closed.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sockets()).toBeLessThanOrEqual(openBefore);
  }, 40_000);
});
