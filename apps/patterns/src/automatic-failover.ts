import { Bridge, Router } from 'ai.matey.core';
import { createFailoverMiddleware } from 'ai.matey.patterns';
import { FAILOVER_CHAIN, runFailoverScenarios, type ScenarioOutcome } from './failover-scenarios.ts';
import type { PatternContext, PatternOutcome } from './pattern-result.ts';
import { formatPct, mean } from './stats.ts';
import { formatTable } from './text-table.ts';

/** Failure rates of the flaky fleet, by provider (the first in the chain fail the most). */
export const FLAKY_FAILURE_RATES = { openai: 0.5, anthropic: 0.3, groq: 0.1, deepseek: 0.05 } as const;

export interface FailoverLoad {
  requests: number;
  succeeded: number;
  successRate: number;
  /** Provider calls per request, skipped providers not counted. */
  meanAttempts: number;
  /** Share of calls the first provider answered by itself: the success rate without failover. */
  primaryAloneRate: number;
  servedBy: Record<string, number>;
  /** Audit trail totals per outcome. */
  audit: Record<'success' | 'failed' | 'failed-mid-stream' | 'skipped', number>;
}

export interface AutomaticFailoverResult extends PatternOutcome {
  scenarios: ScenarioOutcome[];
  load: FailoverLoad;
}

/**
 * Pattern 3: the seed's failover chain (openai → anthropic → groq → deepseek) as
 * `createFailoverMiddleware` over a Router: scripted failure scenarios on the clean fleet, then
 * a load of calls over the flaky fleet, summarised from the middleware's audit trail.
 */
export async function runAutomaticFailover(context: PatternContext): Promise<AutomaticFailoverResult> {
  const scenarios = await runFailoverScenarios(context.clean);
  const load = await runLoad(context);
  const passed = scenarios.filter((s) => s.passed).length;
  const scenarioTable = formatTable(
    ['scenario', 'what happened', 'expected', 'ok'],
    scenarios.map((s) => [s.name, s.trail, s.expected, s.passed ? '✓' : '✗']),
    { maxWidth: [34, 58, 28, 2] },
  );
  const served = Object.entries(load.servedBy)
    .map(([provider, calls]) => `${provider} ${calls}`)
    .join(' · ');
  const rates = Object.entries(FLAKY_FAILURE_RATES)
    .map(([provider, rate]) => `${provider} ${rate * 100}%`)
    .join(', ');
  return {
    scenarios,
    load,
    details: [
      scenarioTable,
      `Load: ${load.requests} calls over a flaky fleet (failure rates ${rates}): ` +
        `${load.succeeded}/${load.requests} succeeded (${formatPct(load.successRate, 1)}); openai alone answered ` +
        `${formatPct(load.primaryAloneRate)} of the calls it got; ${load.meanAttempts.toFixed(2)} providers tried per call.`,
      `Served by: ${served}. Audit trail: ${load.audit.success} success, ${load.audit.failed} failed, ` +
        `${load.audit.skipped} skipped (provider marked unhealthy).`,
    ],
    summary: {
      ran: `${scenarios.length} scripted failure scenarios + ${load.requests} calls over a flaky fleet, 4-provider chain`,
      measured:
        `${passed}/${scenarios.length} scenarios as expected; load: ${formatPct(load.successRate, 1)} success ` +
        `(openai alone ${formatPct(load.primaryAloneRate)}), ${load.meanAttempts.toFixed(2)} tries/call, ` +
        `${load.audit.skipped} unhealthy skips`,
      ok: passed === scenarios.length && load.successRate === 100,
    },
  };
}

async function runLoad(context: PatternContext): Promise<FailoverLoad> {
  const { backends } = context.flaky;
  const router = new Router({ defaultBackend: 'openai', circuitBreaker: false });
  for (const name of FAILOVER_CHAIN) router.register(name, backends[name]);
  const failover = createFailoverMiddleware({
    chain: FAILOVER_CHAIN,
    capabilities: router,
    // The seed's 3 strikes; the cool-down runs on the simulation's clock, as latencies do.
    unhealthyAfter: 3,
    recoverAfterMs: Math.max(100, 5000 * context.timeScale),
  });
  const bridge = new Bridge({ backend: router, maxAttempts: FAILOVER_CHAIN.length }).use(failover);
  const requests = context.quick ? 24 : 60;
  const concurrency = 6;
  let next = 0;
  let succeeded = 0;
  const attempts: number[] = [];
  const servedBy: Record<string, number> = {};
  const worker = async () => {
    while (next < requests) {
      const index = next++;
      try {
        const reply = await bridge.execute({ messages: [{ role: 'user', content: `Request ${index + 1}` }] });
        succeeded++;
        const report = reply.metadata?.failover as { provider: string; attempts: Array<{ outcome: string }> };
        servedBy[report.provider] = (servedBy[report.provider] ?? 0) + 1;
        attempts.push(report.attempts.filter((a) => a.outcome !== 'skipped').length);
      } catch {
        attempts.push(FAILOVER_CHAIN.length);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const audit = { success: 0, failed: 0, 'failed-mid-stream': 0, skipped: 0 };
  let primaryCalls = 0;
  let primaryOk = 0;
  for (const attempt of failover.auditTrail()) {
    audit[attempt.outcome]++;
    if (attempt.provider === 'openai' && attempt.outcome !== 'skipped') {
      primaryCalls++;
      if (attempt.outcome === 'success') primaryOk++;
    }
  }
  return {
    requests,
    succeeded,
    successRate: (succeeded / requests) * 100,
    meanAttempts: mean(attempts),
    primaryAloneRate: primaryCalls > 0 ? (primaryOk / primaryCalls) * 100 : 0,
    servedBy: Object.fromEntries(FAILOVER_CHAIN.filter((p) => servedBy[p]).map((p) => [p, servedBy[p] ?? 0])),
    audit,
  };
}
