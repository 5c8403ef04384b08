import { HttpTransport } from 'ai.matey.backend';
import { defaultFleetProfiles, startSimulatedFleet } from 'ai.matey.testing';
import {
  type AutomaticFailoverResult,
  FLAKY_FAILURE_RATES,
  runAutomaticFailover,
} from './automatic-failover.ts';
import { type BatchProcessingResult, runBatchProcessing } from './batch-processing.ts';
import {
  batchClaims,
  type ClaimCheck,
  complexityClaims,
  costClaims,
  failoverClaims,
  healthClaims,
  middlewareClaims,
  parallelClaims,
  websocketClaims,
} from './claims.ts';
import { type ComplexityRoutingResult, runComplexityRouting } from './complexity-routing.ts';
import { type CostSelectionResult, runCostSelection } from './cost-selection.ts';
import { createFleetBackends, type FleetProvider } from './fleet-backends.ts';
import { type HealthMonitoringResult, runHealthMonitoring } from './health-monitoring.ts';
import { type MiddlewareCompositionResult, runMiddlewareComposition } from './middleware-composition.ts';
import { type ParallelAggregationResult, runParallelAggregation } from './parallel-aggregation.ts';
import type { PatternContext, PatternOutcome, PatternSummary } from './pattern-result.ts';
import { runWebSocketStreaming, type WebSocketStreamingResult } from './websocket-streaming.ts';

export interface RunPatternsOptions {
  /**
   * Multiplies every simulated latency and generation time. Default 0.5 (0.1 with `quick`);
   * 1 is as fast as the real providers.
   */
  timeScale?: number;
  /** Fewer calls and shorter windows (about 15 s instead of about a minute). */
  quick?: boolean;
  /** Run only these patterns (1–8). Default: all. */
  only?: number[];
  /** Called as each pattern finishes (or fails), to print as the run goes. */
  onPattern?: (id: number, title: string, outcome: PatternOutcome | Error, durationMs: number) => void;
}

/** Every pattern's figures, and the rows of the summary table. */
export interface PatternsReport {
  timeScale: number;
  quick: boolean;
  durationMs: number;
  complexity?: ComplexityRoutingResult;
  parallel?: ParallelAggregationResult;
  failover?: AutomaticFailoverResult;
  cost?: CostSelectionResult;
  websocket?: WebSocketStreamingResult;
  batch?: BatchProcessingResult;
  middleware?: MiddlewareCompositionResult;
  health?: HealthMonitoringResult;
  /** One row per pattern run, in order; a pattern that threw has `ok: false` and the error. */
  summary: PatternSummary[];
}

type Results = Omit<PatternsReport, 'timeScale' | 'quick' | 'durationMs' | 'summary'>;

const PATTERNS: Array<{
  id: number;
  title: string;
  key: keyof Results;
  run: (context: PatternContext) => Promise<PatternOutcome>;
  /** The pattern's published figures next to what the run measured. */
  claims: (result: PatternOutcome, context: PatternContext) => ClaimCheck[];
}> = [
  {
    id: 1,
    title: 'Complexity routing',
    key: 'complexity',
    run: runComplexityRouting,
    claims: (r) => complexityClaims(r as ComplexityRoutingResult),
  },
  {
    id: 2,
    title: 'Parallel aggregation',
    key: 'parallel',
    run: runParallelAggregation,
    claims: (r) => parallelClaims(r as ParallelAggregationResult),
  },
  {
    id: 3,
    title: 'Automatic failover',
    key: 'failover',
    run: runAutomaticFailover,
    claims: (r) => failoverClaims(r as AutomaticFailoverResult),
  },
  {
    id: 4,
    title: 'Cost-optimized selection',
    key: 'cost',
    run: runCostSelection,
    claims: (r) => costClaims(r as CostSelectionResult),
  },
  {
    id: 5,
    title: 'WebSocket streaming',
    key: 'websocket',
    run: runWebSocketStreaming,
    claims: (r, context) => websocketClaims(r as WebSocketStreamingResult, context.timeScale),
  },
  {
    id: 6,
    title: 'Batch processing',
    key: 'batch',
    run: runBatchProcessing,
    claims: (r) => batchClaims(r as BatchProcessingResult),
  },
  {
    id: 7,
    title: 'Middleware composition',
    key: 'middleware',
    run: runMiddlewareComposition,
    claims: (r) => middlewareClaims(r as MiddlewareCompositionResult),
  },
  {
    id: 8,
    title: 'Health monitoring',
    key: 'health',
    run: runHealthMonitoring,
    claims: (r) => healthClaims(r as HealthMonitoringResult),
  },
];

/**
 * Starts two simulated fleets (one that never fails on its own, one whose first providers fail
 * often), runs the eight integration patterns against them with the library's own factories,
 * and returns what each one measured next to the figures the integration-patterns guide publishes. Everything it starts
 * (upstreams, sockets, servers, timers) is closed before it resolves.
 *
 * @example
 * const report = await runPatterns({ quick: true });
 * console.table(report.summary);
 */
export async function runPatterns(options: RunPatternsOptions = {}): Promise<PatternsReport> {
  const quick = options.quick ?? false;
  const timeScale = options.timeScale ?? (quick ? 0.1 : 0.5);
  const started = performance.now();
  const transport = new HttpTransport({ keepAliveTimeoutMs: 10_000 });
  const flakyProfiles = defaultFleetProfiles.map((profile) => ({
    ...profile,
    failureRate: FLAKY_FAILURE_RATES[profile.name as FleetProvider] ?? profile.failureRate,
  }));
  const [cleanFleet, flakyFleet] = await Promise.all([
    // The request log lets patterns check what reached the upstream (history, aborted sockets).
    startSimulatedFleet(defaultFleetProfiles, { timeScale, failureRate: 0, log: true }),
    startSimulatedFleet(flakyProfiles, { timeScale }),
  ]);
  const context: PatternContext = {
    timeScale,
    quick,
    transport,
    clean: { fleet: cleanFleet, backends: createFleetBackends(cleanFleet, transport) },
    flaky: { fleet: flakyFleet, backends: createFleetBackends(flakyFleet, transport) },
  };
  const results: Results = {};
  const summary: PatternSummary[] = [];
  try {
    for (const pattern of PATTERNS) {
      if (options.only && !options.only.includes(pattern.id)) continue;
      const patternStarted = performance.now();
      const row = { pattern: `${pattern.id}. ${pattern.title}` };
      try {
        const outcome = await pattern.run(context);
        const durationMs = performance.now() - patternStarted;
        (results as Record<string, PatternOutcome>)[pattern.key] = outcome;
        summary.push({ ...row, ...outcome.summary, checks: pattern.claims(outcome, context), durationMs });
        options.onPattern?.(pattern.id, pattern.title, outcome, durationMs);
      } catch (thrown) {
        const error = thrown instanceof Error ? thrown : new Error(String(thrown));
        const durationMs = performance.now() - patternStarted;
        summary.push({
          ...row,
          ran: 'did not finish',
          measured: `error: ${error.message}`,
          checks: [],
          ok: false,
          durationMs,
        });
        options.onPattern?.(pattern.id, pattern.title, error, durationMs);
      }
    }
  } finally {
    await Promise.all([cleanFleet.close(), flakyFleet.close()]);
    await transport.close();
  }
  return { timeScale, quick, durationMs: performance.now() - started, ...results, summary };
}
