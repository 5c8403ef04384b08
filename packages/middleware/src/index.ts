export {
  BULKHEAD_STATE,
  Bulkhead,
  type BulkheadLimits,
  type BulkheadMiddleware,
  type BulkheadOptions,
  type BulkheadRecord,
  type BulkheadRefusal,
  type BulkheadStats,
  createBulkheadMiddleware,
} from './bulkhead/index.ts';
export {
  CACHE_STATUS_STATE,
  type CacheMiddleware,
  type CacheOptions,
  type CacheStats,
  type CacheStatus,
  cacheKey,
  canonicalJson,
  createCacheMiddleware,
  embedCacheKey,
} from './cache/index.ts';
export {
  type CircuitBreakerMiddleware,
  type CircuitBreakerMiddlewareOptions,
  createCircuitBreakerMiddleware,
} from './circuit-breaker/index.ts';
export {
  approximateTokens,
  type BudgetOptions,
  type CallCost,
  COST_STATE,
  type CostRecord,
  type CostSummary,
  type CostTotals,
  CostTracker,
  type CostTrackerOptions,
  type CostTrackingMiddleware,
  type CostTrackingOptions,
  createCostTrackingMiddleware,
  estimateEmbedTokens,
  estimateInputTokens,
  type ModelPrice,
  type TokenEstimate,
} from './cost-tracking/index.ts';
export {
  createGuardrailMiddleware,
  GUARDRAIL_WARNING,
  type Guardrail,
  type GuardrailCheck,
  type GuardrailMiddlewareOptions,
  type GuardrailPhase,
  type GuardrailPlugin,
  type GuardrailVerdict,
  type GuardrailVerdictEvent,
  type GuardrailVerdictName,
  type GuardrailVerdictRecord,
  guardrailBlockedError,
  type ModerationGuardrailOptions,
  moderationGuardrail,
  type PiiGuardrailOptions,
  type PromptInjectionGuardrailOptions,
  piiGuardrail,
  promptInjectionGuardrail,
  type ScopedGuardrail,
  type SystemPromptLeakOptions,
  systemPromptLeakGuardrail,
  type WebhookGuardrailOptions,
  webhookGuardrail,
} from './guardrails/index.ts';
export {
  createPromptInjectionGuard,
  detectPromptInjection,
  INJECTION_PATTERNS,
  type InjectionAssessment,
  type InjectionCategory,
  type InjectionFinding,
  type InjectionMatch,
  type InjectionPattern,
  type InjectionReport,
  PROMPT_INJECTION_STATE,
  type PromptInjectionGuardOptions,
} from './guards/index.ts';
export {
  createHistoryMiddleware,
  HISTORY_STATE,
  type HistoryMiddleware,
  type HistoryOptions,
  trimHistory,
} from './history/index.ts';
export {
  type CallLogLine,
  createLoggingMiddleware,
  type LoggingOptions,
  type ReplyPricer,
  SECRET_LOG_PATHS,
} from './logging/index.ts';
export {
  createRateLimitMiddleware,
  estimateInputTokens as quickInputTokens,
  RATE_LIMIT_STATE,
  type RateLimitAlgorithm,
  type RateLimitOptions,
  type RateLimitState,
} from './rate-limit/index.ts';
export {
  type CustomPiiPattern,
  createRedactionMiddleware,
  type PiiCategory,
  REDACTIONS_STATE,
  type RedactionCounts,
  type RedactionOptions,
  type RedactionReport,
  type RedactionResult,
  Redactor,
  type RedactorOptions,
} from './redaction/index.ts';
export {
  createResponseStoreMiddleware,
  type ResponseStoreOptions,
  type StoredResponse,
  StoredResponses,
} from './response-store/index.ts';
export {
  createRetryMiddleware,
  RETRY_STATE,
  RetryBudget,
  type RetryBudgetOptions,
  type RetryOptions,
  type RetryRecord,
} from './retry/index.ts';
export { MemoryStore, type MemoryStoreOptions } from './store/memory-store.ts';
export { type KeyValueStore, StoreUnavailableError } from './store/store.ts';
export {
  createTelemetryMiddleware,
  GEN_AI,
  GEN_AI_METRICS,
  type TelemetryOptions,
} from './telemetry/index.ts';
export { createTimeoutMiddleware, type TimeoutOptions } from './timeout/index.ts';
export { chatRequestSchema, createValidationMiddleware, type ValidationOptions } from './validation/index.ts';
