import { readFile } from 'node:fs/promises';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { Bridge } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelemetryMiddleware } from './index.ts';

/**
 * The user's own SDK, registered globally as an application does: here the 2.x line
 * (`@opentelemetry/sdk-trace-node` 2.12, which needs `@opentelemetry/api` below 1.10). When the
 * middleware brought its own `@opentelemetry/api` 1.10, npm nested that copy, which found the
 * global SDK "incompatible" and recorded nothing.
 */
let exporter: InMemorySpanExporter;
let provider: NodeTracerProvider;

beforeEach(() => {
  exporter = new InMemorySpanExporter();
  provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
});

afterEach(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});

const request = { model: 'mock-model', messages: [{ role: 'user' as const, content: 'hi' }] };

describe('telemetry middleware with the application own OpenTelemetry SDK', () => {
  it('records into the globally registered provider, under the application active span', async () => {
    const bridge = new Bridge({
      backend: new MockBackend({ reply: { text: 'two words', usage: { inputTokens: 3, outputTokens: 2 } } }),
      middleware: [createTelemetryMiddleware()],
    });
    const appTracer = trace.getTracer('my-app');
    await appTracer.startActiveSpan('handle request', async (span) => {
      await bridge.execute(request);
      const chunks = [];
      for await (const event of bridge.stream(request)) chunks.push(event);
      span.end();
    });

    const spans = exporter.getFinishedSpans();
    const app = spans.find((span) => span.name === 'handle request');
    const calls = spans.filter((span) => span.name === 'chat mock-model');
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.kind).toBe(SpanKind.CLIENT);
      expect(call.instrumentationScope.name).toBe('ai.matey.middleware');
      expect(call.spanContext().traceId).toBe(app?.spanContext().traceId);
      expect(call.parentSpanContext?.spanId).toBe(app?.spanContext().spanId);
      expect(call.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'mock-model',
        'gen_ai.usage.input_tokens': 3,
        'gen_ai.usage.output_tokens': 2,
        'gen_ai.response.finish_reasons': ['stop'],
      });
    }
  });

  it('takes @opentelemetry/api as a peer, in a range both SDK lines (api 1.9 and 1.10) satisfy', async () => {
    const manifest = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as Record<string, Record<string, string> | undefined>;
    // A plain dependency is what npm nests as a second copy: it must never come back.
    expect(manifest.dependencies?.['@opentelemetry/api']).toBeUndefined();
    expect(manifest.peerDependencies?.['@opentelemetry/api']).toBe('^1.9.0');
  });
});
