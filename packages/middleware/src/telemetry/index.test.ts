import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type Attributes,
  type AttributeValue,
  type Context,
  type ContextManager,
  context,
  createNoopMeter,
  type Exception,
  type Histogram,
  type Link,
  type MetricOptions,
  metrics,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  SpanKind,
  type SpanOptions,
  type SpanStatus,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { Bridge, RateLimitError } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelemetryMiddleware } from './index.ts';

/** A span that keeps what it was told, as an SDK's in-memory exporter would. */
class RecordingSpan implements Span {
  readonly attributes: Attributes = {};
  readonly events: string[] = [];
  readonly exceptions: Exception[] = [];
  status: SpanStatus = { code: SpanStatusCode.UNSET };
  ended = false;
  name: string;
  readonly kind: SpanKind | undefined;
  readonly #context: SpanContext;

  constructor(name: string, kind: SpanKind | undefined, attributes: Attributes | undefined, id: number) {
    this.name = name;
    this.kind = kind;
    Object.assign(this.attributes, attributes);
    this.#context = { traceId: 'a'.repeat(32), spanId: id.toString(16).padStart(16, '0'), traceFlags: 1 };
  }
  spanContext(): SpanContext {
    return this.#context;
  }
  setAttribute(key: string, value: AttributeValue): this {
    this.attributes[key] = value;
    return this;
  }
  setAttributes(attributes: Attributes): this {
    Object.assign(this.attributes, attributes);
    return this;
  }
  addEvent(name: string): this {
    this.events.push(name);
    return this;
  }
  addLink(_link: Link): this {
    return this;
  }
  addLinks(_links: Link[]): this {
    return this;
  }
  setStatus(status: SpanStatus): this {
    this.status = status;
    return this;
  }
  updateName(name: string): this {
    this.name = name;
    return this;
  }
  end(): void {
    this.ended = true;
  }
  isRecording(): boolean {
    return !this.ended;
  }
  recordException(exception: Exception): void {
    this.exceptions.push(exception);
  }
}

class RecordingTracer implements Tracer {
  readonly spans: RecordingSpan[] = [];
  startSpan(name: string, options: SpanOptions = {}): RecordingSpan {
    const span = new RecordingSpan(name, options.kind, options.attributes, this.spans.length + 1);
    this.spans.push(span);
    return span;
  }
  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...rest: unknown[]): ReturnType<F> {
    const fn = rest.at(-1) as F;
    return fn(this.startSpan(name)) as ReturnType<F>;
  }
}

class RecordingMeter {
  readonly records = new Map<string, Array<{ value: number; attributes: Attributes }>>();
  readonly units = new Map<string, string | undefined>();
  createHistogram(name: string, options?: MetricOptions): Histogram {
    this.units.set(name, options?.unit);
    const records = this.records.get(name) ?? [];
    this.records.set(name, records);
    return { record: (value, attributes = {}) => records.push({ value, attributes }) };
  }
}

/** The SDK's AsyncLocalStorage context manager, in a few lines. */
class TestContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.#storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#storage.disable();
    return this;
  }
}

function setup() {
  const tracer = new RecordingTracer();
  const meter = new RecordingMeter();
  const backend = new MockBackend({
    reply: { text: 'two words', usage: { inputTokens: 12, outputTokens: 2 } },
  });
  const bridge = new Bridge({ backend, middleware: [createTelemetryMiddleware({ tracer, meter })] });
  return { tracer, meter, backend, bridge };
}

const request = {
  model: 'mock-model',
  temperature: 0.2,
  maxOutputTokens: 64,
  messages: [{ role: 'user' as const, content: 'hi' }],
};

afterEach(() => {
  trace.disable();
  metrics.disable();
  context.disable();
});

describe('telemetry middleware', () => {
  it('records a gen_ai chat span and the duration and token metrics of an execute call', async () => {
    const { tracer, meter, bridge } = setup();
    await bridge.execute(request);

    const [span] = tracer.spans;
    expect(span?.name).toBe('chat mock-model');
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.ended).toBe(true);
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(span?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'mock',
      'gen_ai.system': 'mock',
      'gen_ai.request.model': 'mock-model',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.max_tokens': 64,
      'gen_ai.response.model': 'mock-model',
      'gen_ai.response.id': expect.stringMatching(/^mock-/),
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 2,
    });
    expect(meter.units.get('gen_ai.client.operation.duration')).toBe('s');
    expect(meter.records.get('gen_ai.client.operation.duration')).toHaveLength(1);
    expect(
      meter.records
        .get('gen_ai.client.token.usage')
        ?.map((r) => [r.attributes['gen_ai.token.type'], r.value]),
    ).toEqual([
      ['input', 12],
      ['output', 2],
    ]);
    expect(meter.records.get('gen_ai.client.operation.time_to_first_chunk')).toHaveLength(0);
  });

  it('ends a stream span only when the stream ends, and records time to first chunk', async () => {
    const { tracer, meter, bridge } = setup();
    const iterator = bridge.stream(request)[Symbol.asyncIterator]();
    await iterator.next();
    expect(tracer.spans[0]?.ended).toBe(false);
    while (!(await iterator.next()).done) {}

    const [span] = tracer.spans;
    expect(span?.ended).toBe(true);
    expect(span?.attributes).toMatchObject({
      'gen_ai.usage.output_tokens': 2,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(span?.events).toContain('gen_ai.first_chunk');
    const [ttfc] = meter.records.get('gen_ai.client.operation.time_to_first_chunk') ?? [];
    const [total] = meter.records.get('gen_ai.client.operation.duration') ?? [];
    expect(ttfc?.value).toBeGreaterThan(0);
    expect(ttfc?.value).toBeLessThanOrEqual(total?.value ?? 0);
  });

  it('marks a failed call as an error with its exception and error.type', async () => {
    const { tracer, meter, backend, bridge } = setup();
    backend.enqueue({ error: new RateLimitError({ message: 'slow down', provider: 'mock' }) });
    await expect(bridge.execute(request)).rejects.toThrow('slow down');

    const [span] = tracer.spans;
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'slow down' });
    expect(span?.exceptions).toHaveLength(1);
    expect(span?.attributes['error.type']).toBe('rate-limited');
    expect(span?.ended).toBe(true);
    expect(meter.records.get('gen_ai.client.operation.duration')?.[0]?.attributes['error.type']).toBe(
      'rate-limited',
    );
  });

  it('ends the span of a cancelled stream without calling it an error', async () => {
    const { tracer, backend, bridge } = setup();
    backend.enqueue({ text: 'several words of a long answer' });
    for await (const event of bridge.stream(request)) if (event.type === 'text-delta') break;

    const [span] = tracer.spans;
    expect(span?.ended).toBe(true);
    expect(span?.attributes['error.type']).toBe('cancelled');
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('falls back to the global providers and runs the chain inside the span', async () => {
    const tracer = new RecordingTracer();
    const meter = new RecordingMeter();
    context.setGlobalContextManager(new TestContextManager());
    const telemetry = createTelemetryMiddleware();
    // Registered after the middleware was made, as an app that starts its SDK late would.
    trace.setGlobalTracerProvider({ getTracer: () => tracer });
    const globalMeter = createNoopMeter();
    globalMeter.createHistogram = (name, options) => meter.createHistogram(name, options);
    metrics.setGlobalMeterProvider({ getMeter: () => globalMeter });

    let activeInside: Span | undefined;
    const bridge = new Bridge({
      backend: new MockBackend(),
      middleware: [
        telemetry,
        async (req, next) => {
          activeInside = trace.getActiveSpan();
          return next(req);
        },
      ],
    });
    await bridge.execute(request);

    expect(tracer.spans).toHaveLength(1);
    expect(activeInside).toBe(tracer.spans[0]);
    expect(meter.records.get('gen_ai.client.operation.duration')).toHaveLength(1);
  });
});
