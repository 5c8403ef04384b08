// A user's own OpenTelemetry SDK (the 2.x line, registered globally as an application does) with
// ai.matey.middleware's telemetry: the middleware's gen_ai spans must reach the user's exporter,
// under the user's own active span. Prints the spans it recorded as JSON.
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { Bridge } from 'ai.matey.core';
import { createTelemetryMiddleware } from 'ai.matey.middleware';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();

// A backend of the user's own, in this file: the Backend contract is three members.
const usage = { inputTokens: 3, outputTokens: 2, totalTokens: 5 };
const capabilities = { streaming: true, tools: false, vision: false, reasoning: false, jsonSchema: false };
const backend = {
  metadata: { name: 'in-file', provider: 'in-file', capabilities },
  async execute(request) {
    const content = [{ type: 'text', text: 'two words' }];
    return {
      id: 'r-1',
      model: request.model,
      provider: 'in-file',
      content,
      finishReason: 'stop',
      usage,
      warnings: [],
    };
  },
  async *stream(request) {
    yield { type: 'start', id: 'r-2', model: request.model, provider: 'in-file' };
    yield { type: 'text-delta', index: 0, delta: 'two ' };
    yield { type: 'text-delta', index: 0, delta: 'words' };
    yield { type: 'finish', finishReason: 'stop', usage };
  },
};

const bridge = new Bridge({ backend, middleware: [createTelemetryMiddleware()] });
const request = { model: 'in-file-model', messages: [{ role: 'user', content: 'Hello' }] };
await trace.getTracer('my-app').startActiveSpan('handle request', async (span) => {
  await bridge.execute(request);
  for await (const event of bridge.stream(request)) if (event.type === 'error') throw event.error;
  span.end();
});
await provider.forceFlush();
const spans = exporter.getFinishedSpans().map((span) => ({
  name: span.name,
  kind: span.kind,
  scope: span.instrumentationScope.name,
  traceId: span.spanContext().traceId,
  spanId: span.spanContext().spanId,
  parentSpanId: span.parentSpanContext?.spanId,
  attributes: span.attributes,
}));
await provider.shutdown();
console.log(JSON.stringify(spans));
