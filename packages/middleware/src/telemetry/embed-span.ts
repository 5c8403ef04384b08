import {
  type Attributes,
  type Histogram,
  context as otelContext,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import {
  type EmbedContext,
  type EmbedNextFunction,
  type EmbedRequest,
  type EmbedResponse,
  observeEmbed,
  toAiMateyError,
} from 'ai.matey.core';
import { GEN_AI, providerBefore } from './gen-ai-attributes.ts';

/**
 * An embedding call in its own CLIENT span `embeddings {model}` (`gen_ai.operation.name`
 * `embeddings`, the request and response models, `gen_ai.usage.input_tokens`,
 * `gen_ai.embeddings.dimension.count`), with the duration and input-token metrics of a chat call.
 */
export function observeEmbedSpan(
  request: EmbedRequest,
  next: EmbedNextFunction,
  context: EmbedContext,
  instruments: { tracer: Pick<Tracer, 'startSpan'>; duration: Histogram; tokens: Histogram },
): Promise<EmbedResponse> {
  const model = request.model ?? context.backend.defaultModel ?? '';
  const base: Attributes = { [GEN_AI.operationName]: 'embeddings' };
  const provider = providerBefore(context);
  if (provider) base[GEN_AI.providerName] = provider;
  if (model) base[GEN_AI.requestModel] = model;
  const span = instruments.tracer.startSpan(
    model ? `embeddings ${model}` : 'embeddings',
    {
      kind: SpanKind.CLIENT,
      attributes: { ...base, 'ai_matey.request_id': context.requestId, 'ai_matey.mode': 'embed' },
    },
    otelContext.active(),
  );
  const spanContext = trace.setSpan(otelContext.active(), span);
  const inSpan: EmbedNextFunction = (forwarded) => otelContext.with(spanContext, () => next(forwarded));
  return observeEmbed(inSpan, request, {
    onEnd(outcome) {
      const metric: Attributes = { ...base };
      if (outcome.status === 'ok') {
        const { response } = outcome;
        if (response.provider) metric[GEN_AI.providerName] = response.provider;
        if (response.model) metric[GEN_AI.responseModel] = response.model;
        span.setAttributes({
          ...metric,
          [GEN_AI.usageInputTokens]: outcome.usage.inputTokens,
          'gen_ai.embeddings.dimension.count': response.embeddings[0]?.length ?? 0,
        });
        if (outcome.usage.inputTokens > 0) {
          instruments.tokens.record(outcome.usage.inputTokens, { ...metric, [GEN_AI.tokenType]: 'input' });
        }
      } else {
        const error = toAiMateyError(outcome.error);
        metric[GEN_AI.errorType] = error.kind;
        span.setAttribute(GEN_AI.errorType, error.kind);
        span.recordException(error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      }
      instruments.duration.record(outcome.latencyMs / 1000, metric);
      span.end();
    },
  });
}
