import type { Attributes, Histogram, Span, SpanOptions, SpanStatus } from '@opentelemetry/api';
import { Bridge, RateLimitError } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { EmbedBackend } from '../test-support/embed-backend.ts';
import { createTelemetryMiddleware } from './index.ts';

/** The parts of a span an embedding call touches, kept to look at afterwards. */
interface SeenSpan {
  name: string;
  attributes: Attributes;
  status?: SpanStatus;
  ended: boolean;
}

function recorders() {
  const spans: SeenSpan[] = [];
  const tracer = {
    startSpan(name: string, options: SpanOptions = {}): Span {
      const seen: SeenSpan = { name, attributes: { ...options.attributes }, ended: false };
      spans.push(seen);
      const span = {
        spanContext: () => ({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 }),
        setAttribute: (key: string, value: unknown) => {
          seen.attributes[key] = value as Attributes[string];
          return span;
        },
        setAttributes: (attributes: Attributes) => {
          Object.assign(seen.attributes, attributes);
          return span;
        },
        setStatus: (status: SpanStatus) => {
          seen.status = status;
          return span;
        },
        recordException: () => {},
        end: () => {
          seen.ended = true;
        },
      };
      return span as unknown as Span;
    },
  };
  const records = new Map<string, Array<{ value: number; attributes: Attributes }>>();
  const meter = {
    createHistogram(name: string): Histogram {
      const list = records.get(name) ?? [];
      records.set(name, list);
      return { record: (value, attributes = {}) => list.push({ value, attributes }) };
    },
  };
  return { spans, tracer, meter, records };
}

describe('telemetry middleware on embedding calls', () => {
  it('records an embeddings span with its usage and dimensions, and the duration and input-token metrics', async () => {
    const { spans, tracer, meter, records } = recorders();
    const backend = new EmbedBackend([new RateLimitError({ message: 'slow down' })]);
    const bridge = new Bridge({ backend, middleware: [createTelemetryMiddleware({ tracer, meter })] });
    await expect(bridge.embed({ model: 'embed-small', inputs: ['a', 'b'] })).rejects.toThrow('slow down');
    await bridge.embed({ model: 'embed-small', inputs: ['a', 'b'] });

    const [failed, ok] = spans;
    expect(failed).toMatchObject({ name: 'embeddings embed-small', ended: true, status: { code: 2 } });
    expect(failed?.attributes['error.type']).toBe('rate-limited');
    expect(ok).toMatchObject({ name: 'embeddings embed-small', ended: true });
    expect(ok?.attributes).toMatchObject({
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.provider.name': 'embedder',
      'gen_ai.response.model': 'embed-small',
      'gen_ai.usage.input_tokens': 2000,
      'gen_ai.embeddings.dimension.count': 2,
      'ai_matey.mode': 'embed',
    });
    expect(records.get('gen_ai.client.operation.duration')).toHaveLength(2);
    expect(records.get('gen_ai.client.token.usage')).toEqual([
      {
        value: 2000,
        attributes: expect.objectContaining({
          'gen_ai.token.type': 'input',
          'gen_ai.operation.name': 'embeddings',
        }),
      },
    ]);
  });
});
