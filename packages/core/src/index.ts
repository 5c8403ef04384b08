export { AttemptBudget } from './attempt-budget.ts';
export type {
  AttemptCheck,
  Backend,
  BackendAttemptInfo,
  BackendCallOptions,
  BackendCapabilities,
  BackendMetadata,
  BackendObservation,
  EmbedProgress,
  ModelCatalog,
  ModelInfo,
} from './backend.ts';
export { Bridge, type BridgeEvents, type BridgeOptions } from './bridge.ts';
export type { CallOptions } from './bridge-call.ts';
export { checkEmbedRequest } from './bridge-embed.ts';
export { ChatStream, isChatStream, type StreamOutcome } from './chat-stream.ts';
export {
  CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitSnapshot,
  type CircuitState,
} from './circuit-breaker.ts';
export { costOfUsage, type ModelPricing } from './cost-of-usage.ts';
export {
  type CountTokensOptions,
  TOKEN_COUNT_UNSUPPORTED,
  tokenCountUnsupported,
} from './count-tokens.ts';
export {
  AiMateyError,
  type AiMateyErrorOptions,
  type ErrorKind,
  type ErrorRouting,
} from './errors/ai-matey-error.ts';
export { AllBackendsFailedError, type BackendAttempt } from './errors/all-backends-failed-error.ts';
export { AuthenticationError } from './errors/authentication-error.ts';
export { BudgetExceededError } from './errors/budget-exceeded-error.ts';
export { BulkheadFullError } from './errors/bulkhead-full-error.ts';
export { CancelledError } from './errors/cancelled-error.ts';
export { CircuitOpenError } from './errors/circuit-open-error.ts';
export { ConcurrencyLimitError } from './errors/concurrency-limit-error.ts';
export { ContentFilterError } from './errors/content-filter-error.ts';
export { ContextLengthExceededError } from './errors/context-length-exceeded-error.ts';
export { InvalidRequestError } from './errors/invalid-request-error.ts';
export { ModelNotFoundError } from './errors/model-not-found-error.ts';
export { NetworkError } from './errors/network-error.ts';
export { OverloadedError } from './errors/overloaded-error.ts';
export { PermissionDeniedError } from './errors/permission-denied-error.ts';
export { RateLimitError } from './errors/rate-limit-error.ts';
export { StoreUnavailableError } from './errors/store-unavailable-error.ts';
export { TimeoutError } from './errors/timeout-error.ts';
export { errorFromStatus, toAiMateyError } from './errors/to-ai-matey-error.ts';
export { UnsupportedFeatureError } from './errors/unsupported-feature-error.ts';
export { UpstreamServerError } from './errors/upstream-server-error.ts';
export { mapReply, type ReplyMapper } from './middleware/map-reply.ts';
export {
  type CallContext,
  type EmbedContext,
  type EmbedNextFunction,
  Middleware,
  type MiddlewareContext,
  type MiddlewareFunction,
  type MiddlewareLike,
  type NextFunction,
  type Reply,
  toMiddleware,
} from './middleware/middleware.ts';
export { type CallObserver, type CallOutcome, observeCall } from './middleware/observe-call.ts';
export { type EmbedObserver, type EmbedOutcome, observeEmbed } from './middleware/observe-embed.ts';
export { StateKey } from './middleware/state-key.ts';
export { type RegisterOptions, Router, type RouterOptions, type RoutingStrategy } from './router/router.ts';
export type {
  AssistantContentPart,
  Citation,
  CitationSource,
  ContentPart,
  DataSource,
  FilePart,
  ImagePart,
  ProviderMetadata,
  ReasoningPart,
  TextPart,
  ToolCallPart,
  ToolResultPart,
  UserContentPart,
} from './spec/content.ts';
export type { EmbedInput, EmbedInputType, EmbedRequest, EmbedResponse } from './spec/embed.ts';
export type { ModerationRequest, ModerationResponse, ModerationResult } from './spec/moderation.ts';
export type {
  AssistantMessage,
  ChatRequest,
  JsonSchema,
  Message,
  ReasoningOptions,
  ResponseFormat,
  Role,
  SystemMessage,
  ToolChoice,
  ToolDefinition,
  ToolMessage,
  UserMessage,
} from './spec/request.ts';
export {
  type ChatResponse,
  emptyUsage,
  type FinishReason,
  type RateLimitInfo,
  type RoutingInfo,
  type Usage,
  type Warning,
} from './spec/response.ts';
export type {
  ErrorEvent,
  FinishEvent,
  ReasoningDeltaEvent,
  StartEvent,
  StreamEvent,
  StreamEventType,
  TextDeltaEvent,
  ToolCallDeltaEvent,
  ToolCallEndEvent,
  ToolCallStartEvent,
  UsageEvent,
} from './spec/stream.ts';
export {
  collectStream,
  responseText,
  responseToEvents,
  StreamAccumulator,
} from './spec/stream-accumulator.ts';
export type { TokenCount } from './spec/token-count.ts';
export { checkOptions, type OptionShape } from './util/check-options.ts';
export { type ModelRef, parseModelRef } from './util/parse-model-ref.ts';
export { redactSecrets } from './util/redact-secrets.ts';
export { UnknownOptionError } from './util/unknown-option-error.ts';

/** The version of the spec types (request, response, stream events). */
export const SPEC_VERSION = '1.0.0';
