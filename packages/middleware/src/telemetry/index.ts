import {
  type Attributes,
  type Histogram,
  type Meter,
  metrics,
  context as otelContext,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import {
  type CallOutcome,
  type ChatRequest,
  checkOptions,
  type Middleware,
  type MiddlewareContext,
  type NextFunction,
  type OptionShape,
  observeCall,
  toAiMateyError,
} from 'ai.matey.core';
import { observeEmbedSpan } from './embed-span.ts';
import {
  DURATION_BUCKETS,
  GEN_AI,
  GEN_AI_METRICS,
  providerBefore,
  requestAttributes,
  responseAttributes,
  TOKEN_BUCKETS,
} from './gen-ai-attributes.ts';

export { GEN_AI, GEN_AI_METRICS } from './gen-ai-attributes.ts';

export interface TelemetryOptions {
  /** The tracer for spans (default: the global tracer provider's `ai.matey.middleware`). */
  tracer?: Pick<Tracer, 'startSpan'>;
  /** The meter for metrics (default: the global meter provider's `ai.matey.middleware`). */
  meter?: Pick<Meter, 'createHistogram'>;
}

const SCOPE = 'ai.matey.middleware';

const telemetryOptions: OptionShape<TelemetryOptions> = { tracer: true, meter: true };

/**
 * OpenTelemetry for every call, through `@opentelemetry/api` only (bring your own SDK).
 *
 * A CLIENT span `chat {model}` per call with the GenAI semantic-convention attributes
 * (`gen_ai.operation.name`, `gen_ai.provider.name` / `gen_ai.system`, `gen_ai.request.*`,
 * `gen_ai.response.model|id|finish_reasons`, `gen_ai.usage.input_tokens|output_tokens`). The
 * rest of the chain runs inside the span's context, so backend HTTP spans nest under it. A
 * failure sets the span's status to ERROR, records the exception and sets `error.type` to the
 * error's kind; a stream's span ends when the stream ends, fails or is cancelled (`error.type`
 * `cancelled`, status left unset: the caller chose to stop).
 *
 * Embedding calls get a span `embeddings {model}` (`gen_ai.operation.name` `embeddings`) and
 * the same duration and input-token metrics.
 *
 * Metrics: histograms `gen_ai.client.operation.duration` (s),
 * `gen_ai.client.token.usage` (`{token}`, by `gen_ai.token.type` input/output) and, for streams,
 * `gen_ai.client.operation.time_to_first_chunk` (s).
 *
 * @example
 * // after registering an OpenTelemetry SDK (NodeSDK, or your own providers):
 * const bridge = new Bridge({ backend, middleware: [createTelemetryMiddleware()] });
 * // or with explicit instruments:
 * createTelemetryMiddleware({ tracer: provider.getTracer('gateway'), meter: meterProvider.getMeter('gateway') });
 */
export function createTelemetryMiddleware(options: TelemetryOptions = {}): Middleware {
  checkOptions('createTelemetryMiddleware', options, telemetryOptions);
  // The global tracer is a proxy, so an SDK registered later still gets spans. The global meter
  // is not: its instruments are made again whenever the registered meter provider changes.
  const tracer = options.tracer ?? trace.getTracer(SCOPE);
  let instruments: { source: unknown; histograms: Instruments } | undefined;
  const histograms = (): Instruments => {
    const source = options.meter ?? metrics.getMeterProvider();
    if (instruments?.source !== source) {
      const meter = options.meter ?? metrics.getMeter(SCOPE);
      instruments = { source, histograms: createInstruments(meter) };
    }
    return instruments.histograms;
  };

  return {
    name: 'telemetry',
    embed(request, next, context) {
      const { duration, tokens } = histograms();
      return observeEmbedSpan(request, next, context, { tracer, duration, tokens });
    },
    async execute(request, next, context) {
      const attributes = requestAttributes(request, context);
      const model = request.model ?? context.backend.defaultModel ?? '';
      const span = tracer.startSpan(
        model ? `chat ${model}` : 'chat',
        { kind: SpanKind.CLIENT, attributes },
        otelContext.active(),
      );
      const { duration, tokens, firstChunk } = histograms();
      const spanContext = trace.setSpan(otelContext.active(), span);
      // The rest of the chain runs inside the span's context, so backend spans nest under it.
      const inSpan: NextFunction = (forwarded) => otelContext.with(spanContext, () => next(forwarded));
      return observeCall(inSpan, request, {
        onFirstEvent(timeToFirstEventMs) {
          firstChunk.record(timeToFirstEventMs / 1000, metricAttributesOf(request, context, undefined));
          span.addEvent('gen_ai.first_chunk');
        },
        onEnd(outcome) {
          endSpan(span, outcome);
          const metricAttributes = metricAttributesOf(request, context, outcome);
          duration.record(outcome.latencyMs / 1000, metricAttributes);
          const usage = outcome.usage;
          if (usage && (usage.inputTokens > 0 || usage.outputTokens > 0)) {
            tokens.record(usage.inputTokens, { ...metricAttributes, [GEN_AI.tokenType]: 'input' });
            tokens.record(usage.outputTokens, { ...metricAttributes, [GEN_AI.tokenType]: 'output' });
          }
        },
      });
    },
  };
}

interface Instruments {
  duration: Histogram;
  tokens: Histogram;
  firstChunk: Histogram;
}

function createInstruments(meter: Pick<Meter, 'createHistogram'>): Instruments {
  return {
    duration: meter.createHistogram(GEN_AI_METRICS.operationDuration, {
      unit: 's',
      description: 'GenAI operation duration',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    tokens: meter.createHistogram(GEN_AI_METRICS.tokenUsage, {
      unit: '{token}',
      description: 'Measures number of input and output tokens used',
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    }),
    firstChunk: meter.createHistogram(GEN_AI_METRICS.timeToFirstChunk, {
      unit: 's',
      description: 'Time from the start of a streamed call to its first chunk',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
  };
}

function endSpan(span: Span, ending: CallOutcome): void {
  const response = ending.status === 'ok' ? ending.response : ending.partial;
  if (response) span.setAttributes(responseAttributes(response, ending.status === 'ok'));
  if (ending.status === 'failed') {
    const error = toAiMateyError(ending.error);
    span.setAttribute(GEN_AI.errorType, error.kind);
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  } else if (ending.status === 'cancelled') {
    span.setAttribute(GEN_AI.errorType, 'cancelled');
  }
  span.end();
}

/** Low-cardinality attributes for metrics: no ids, no request parameters. */
function metricAttributesOf(
  request: ChatRequest,
  context: MiddlewareContext,
  ending: CallOutcome | undefined,
): Attributes {
  const attributes: Attributes = { [GEN_AI.operationName]: 'chat' };
  const response = ending?.status === 'ok' ? ending.response : ending?.partial;
  const provider = response?.provider || providerBefore(context);
  if (provider) attributes[GEN_AI.providerName] = provider;
  const model = request.model ?? context.backend.defaultModel;
  if (model) attributes[GEN_AI.requestModel] = model;
  if (response?.model) attributes[GEN_AI.responseModel] = response.model;
  if (ending?.status === 'failed') attributes[GEN_AI.errorType] = toAiMateyError(ending.error).kind;
  if (ending?.status === 'cancelled') attributes[GEN_AI.errorType] = 'cancelled';
  return attributes;
}
