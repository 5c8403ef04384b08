import type { Attributes } from '@opentelemetry/api';
import type { CallContext, ChatRequest, ChatResponse, MiddlewareContext } from 'ai.matey.core';

/**
 * Attribute names of the OpenTelemetry GenAI semantic conventions (gen_ai.*), spelled out here
 * because the conventions package is not a dependency. Keep them in one place so a rename in
 * the conventions is one edit.
 */
export const GEN_AI = {
  operationName: 'gen_ai.operation.name',
  system: 'gen_ai.system',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  requestTemperature: 'gen_ai.request.temperature',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestTopP: 'gen_ai.request.top_p',
  requestTopK: 'gen_ai.request.top_k',
  requestFrequencyPenalty: 'gen_ai.request.frequency_penalty',
  requestPresencePenalty: 'gen_ai.request.presence_penalty',
  requestStopSequences: 'gen_ai.request.stop_sequences',
  requestSeed: 'gen_ai.request.seed',
  responseModel: 'gen_ai.response.model',
  responseId: 'gen_ai.response.id',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  tokenType: 'gen_ai.token.type',
  errorType: 'error.type',
} as const;

/** Metric names and units from the GenAI conventions. */
export const GEN_AI_METRICS = {
  operationDuration: 'gen_ai.client.operation.duration',
  tokenUsage: 'gen_ai.client.token.usage',
  timeToFirstChunk: 'gen_ai.client.operation.time_to_first_chunk',
} as const;

/** The conventions' advised bucket boundaries. */
export const DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
export const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];

/** The provider known before the call: none for a Router, which picks one per call. */
export function providerBefore(context: CallContext): string | undefined {
  return context.backend.provider === 'router' ? undefined : context.backend.provider;
}

/** Span attributes known when the call starts. */
export function requestAttributes(request: ChatRequest, context: MiddlewareContext): Attributes {
  const attributes: Attributes = { [GEN_AI.operationName]: 'chat', 'ai_matey.request_id': context.requestId };
  attributes['ai_matey.mode'] = context.mode;
  const provider = providerBefore(context);
  if (provider) {
    attributes[GEN_AI.providerName] = provider;
    attributes[GEN_AI.system] = provider;
  }
  const model = request.model ?? context.backend.defaultModel;
  if (model) attributes[GEN_AI.requestModel] = model;
  const numeric: Array<[string, number | undefined]> = [
    [GEN_AI.requestTemperature, request.temperature],
    [GEN_AI.requestMaxTokens, request.maxOutputTokens],
    [GEN_AI.requestTopP, request.topP],
    [GEN_AI.requestTopK, request.topK],
    [GEN_AI.requestFrequencyPenalty, request.frequencyPenalty],
    [GEN_AI.requestPresencePenalty, request.presencePenalty],
    [GEN_AI.requestSeed, request.seed],
  ];
  for (const [name, value] of numeric) if (value !== undefined) attributes[name] = value;
  if (request.stopSequences?.length) attributes[GEN_AI.requestStopSequences] = request.stopSequences;
  return attributes;
}

/** Span attributes of the response (complete or partial). */
export function responseAttributes(response: ChatResponse, complete: boolean): Attributes {
  const attributes: Attributes = {};
  if (response.provider) {
    attributes[GEN_AI.providerName] = response.provider;
    attributes[GEN_AI.system] = response.provider;
  }
  if (response.model) attributes[GEN_AI.responseModel] = response.model;
  if (response.id) attributes[GEN_AI.responseId] = response.id;
  if (complete) attributes[GEN_AI.responseFinishReasons] = [response.finishReason];
  const usage = response.usage;
  if (complete || usage.inputTokens > 0 || usage.outputTokens > 0) {
    attributes[GEN_AI.usageInputTokens] = usage.inputTokens;
    attributes[GEN_AI.usageOutputTokens] = usage.outputTokens;
  }
  if (response.routing) attributes['ai_matey.backend'] = response.routing.backend;
  return attributes;
}
