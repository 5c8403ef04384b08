import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenAIBackendAdapter } from 'ai.matey.backend';
import { Bridge } from 'ai.matey.core';
import { createTelemetryMiddleware } from 'ai.matey.middleware';
import { type MockUpstream, type OtlpReceiver, startMockUpstream, startOtlpReceiver } from 'ai.matey.testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type OtelTelemetry, startOtelTelemetry, tracesUrl } from './start-otel-telemetry.ts';

const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;
const open: Array<{ close(): Promise<void> } | OtelTelemetry> = [];

afterEach(async () => {
  for (const item of open.splice(0).reverse()) await ('shutdown' in item ? item.shutdown() : item.close());
});

async function setup(options: { traceUpstreamCalls?: boolean } = {}) {
  const receiver: OtlpReceiver = await startOtlpReceiver();
  const upstream: MockUpstream = await startMockUpstream({
    reply: { text: 'ok', usage: { inputTokens: 4, outputTokens: 1 } },
  });
  open.push(receiver, upstream);
  const telemetry = startOtelTelemetry({ endpoint: receiver.url, serviceName: 'in-process', ...options });
  open.push(telemetry);
  // No tracer given: the middleware finds the SDK through the global registration.
  const bridge = new Bridge({
    backend: new OpenAIBackendAdapter({ apiKey: 'sk-in-process', baseURL: `${upstream.url}/v1` }),
    middleware: [createTelemetryMiddleware()],
  });
  return { receiver, upstream, telemetry, bridge };
}

/** A node:http server whose handler runs inside `traceHttpRequest`. */
async function tracedServer(
  telemetry: OtelTelemetry,
  handler: (respond: (status: number) => void) => Promise<void>,
) {
  const server: Server = createServer((incoming, outgoing) => {
    void telemetry.traceHttpRequest(
      incoming,
      outgoing,
      () =>
        handler((status) => {
          outgoing.writeHead(status, { 'content-type': 'text/plain' }).end('done');
        }),
      () => (incoming.url?.startsWith('/v1/messages') ? '/v1/messages' : undefined),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('startOtelTelemetry', () => {
  it('turns a base endpoint into the OTLP traces URL and keeps a full one', () => {
    expect(tracesUrl('http://collector:4318')).toBe('http://collector:4318/v1/traces');
    expect(tracesUrl('http://collector:4318/')).toBe('http://collector:4318/v1/traces');
    expect(tracesUrl('https://otlp.example/api/')).toBe('https://otlp.example/api/v1/traces');
    expect(tracesUrl('http://collector:4318/v1/traces')).toBe('http://collector:4318/v1/traces');
  });

  it('registers globally: the middleware default tracer exports through it, with the service name', async () => {
    const { receiver, telemetry, bridge } = await setup();
    await bridge.execute({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    await telemetry.forceFlush();
    const spans = await receiver.waitFor((all) => all.some((s) => s.name === 'chat gpt-4o-mini'));
    const span = spans.find((s) => s.name === 'chat gpt-4o-mini');
    expect(span?.resource['service.name']).toBe('in-process');
    expect(span?.attributes['gen_ai.provider.name']).toBe('openai');
  });

  it('sends no traceparent upstream when traceUpstreamCalls is false', async () => {
    const { receiver, upstream, telemetry, bridge } = await setup({ traceUpstreamCalls: false });
    await bridge.execute({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    await telemetry.forceFlush();
    await receiver.waitFor((spans) => spans.length > 0);
    expect(upstream.requests[0]?.headers.traceparent).toBeUndefined();
    expect(receiver.spans.map((span) => span.scope)).toEqual(['ai.matey.middleware']);
  });

  it('marks a 5xx server span as an error and names it by the route it was given', async () => {
    const { receiver, telemetry } = await setup();
    const url = await tracedServer(telemetry, async (respond) => respond(503));
    // This process's own fetch is traced too (a CLIENT span): neither span may keep the query's values.
    const response = await fetch(`${url}/v1/messages?key=not-recorded&x=1`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(503);
    await response.text();
    await telemetry.forceFlush();
    const spans = await receiver.waitFor((all) => all.some((s) => s.kind === SERVER));
    const server = spans.find((s) => s.kind === SERVER);
    const client = spans.find((s) => s.kind === CLIENT);
    expect(server?.parentSpanId).toBe(client?.spanId);
    expect(client?.attributes['url.full']).toBe(`${url}/v1/messages?key=REDACTED&x=REDACTED`);
    expect(server?.name).toBe('POST /v1/messages');
    expect(server?.status.code).toBe(ERROR);
    expect(server?.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.path': '/v1/messages',
      'http.route': '/v1/messages',
      'http.response.status_code': 503,
      'error.type': '503',
    });
    expect(JSON.stringify(spans)).not.toContain('not-recorded');
  });

  it('refuses a second SDK in the process, and can start again after shutdown', async () => {
    const receiver = await startOtlpReceiver();
    open.push(receiver);
    const first = startOtelTelemetry({ endpoint: receiver.url });
    expect(() => startOtelTelemetry({ endpoint: receiver.url })).toThrow(/already registered/);
    await first.shutdown();
    const second = startOtelTelemetry({ endpoint: receiver.url });
    open.push(second);
    expect(() => startOtelTelemetry({ endpoint: receiver.url, samplingRatio: 2 })).toThrow(RangeError);
  });
});
