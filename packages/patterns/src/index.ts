export type {
  BatchExecutor,
  BatchItemContext,
  BatchItemResult,
  BatchProgress,
  BatchRunHooks,
} from './batch-processor/batch-run.ts';
export {
  type CheckpointEntry,
  readCheckpoint,
  resultFromCheckpointEntry,
} from './batch-processor/checkpoint.ts';
export {
  BatchProcessor,
  type BatchProcessorEvents,
  type BatchProcessorOptions,
  type ChatExecutor,
  createBatchProcessor,
} from './batch-processor/create-batch-processor.ts';
export type {
  DistributedBatchEngine,
  DistributedBatchRun,
} from './batch-processor/distributed-batch-engine.ts';
export { RateGate, type RateGateOptions } from './batch-processor/rate-gate.ts';
export {
  type ComplexityAnalyzer,
  type ComplexityDecision,
  ComplexityRouter,
  type ComplexityRouterOptions,
  type ComplexityTier,
  createComplexityRouter,
  lastUserText,
} from './complexity-router/create-complexity-router.ts';
export {
  analyzeComplexity,
  type ComplexityExplanation,
  type ComplexityPart,
  explainComplexity,
} from './complexity-router/explain-complexity.ts';
export {
  type CallCost,
  CostOptimizer,
  type CostOptimizerOptions,
  type CostReport,
  createCostOptimizer,
} from './cost-optimizer/create-cost-optimizer.ts';
export { defaultPricing, defaultQualityTiers } from './cost-optimizer/default-pricing.ts';
export {
  type CostModel,
  estimateTokens,
  type PricingTable,
  type ProviderPrice,
  type ProviderSelection,
  priceTokens,
  type QualityTiers,
  selectCheapestProvider,
} from './cost-optimizer/select-cheapest-provider.ts';
export {
  type CapabilitySource,
  createFailoverMiddleware,
  type FailoverAttempt,
  FailoverMiddleware,
  type FailoverOptions,
  type FailoverReport,
  type FailoverSplice,
} from './failover/create-failover-middleware.ts';
export { ProviderHealth, type ProviderHealthState } from './failover/provider-health.ts';
export {
  createHealthMonitor,
  HealthMonitor,
  type HealthMonitorEvents,
  type HealthMonitorOptions,
} from './health-monitor/create-health-monitor.ts';
export { healthMiddleware, type TrafficObservation } from './health-monitor/health-middleware.ts';
export {
  type HealthAlert,
  type HealthReport,
  type HealthStatus,
  type HealthThresholds,
  healthStatus,
  type ProviderHealthReport,
} from './health-monitor/health-report.ts';
export type { HealthSample, LatencySummary } from './health-monitor/sample-window.ts';
export {
  type AggregateResult,
  type AggregationStrategy,
  createParallelAggregator,
  ParallelAggregator,
  type ParallelAggregatorEvents,
  type ParallelAggregatorOptions,
  type ProviderResult,
} from './parallel-aggregator/create-parallel-aggregator.ts';
export { longestResponse, majorityVote } from './parallel-aggregator/selectors.ts';
