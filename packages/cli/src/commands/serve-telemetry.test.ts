import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from 'ai.matey.gateway';
import {
  type MockUpstream,
  type OtlpReceiver,
  type ReceivedSpan,
  startMockUpstream,
  startOtlpReceiver,
} from 'ai.matey.testing';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnMatey } from '../test-support/run-matey.ts';

const SERVER = 2;
const CLIENT = 3;
const API_KEY = 'sk-upstream-secret-4242';
const COLLECTOR_TOKEN = 'collector-token-7777';
const PROMPT = 'a prompt nobody may read in a trace';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

/** `matey serve --config` with a `telemetry:` section, against the mock upstream. */
async function serveWithTelemetry(telemetry: string, endpoint?: string) {
  const receiver: OtlpReceiver = await startOtlpReceiver();
  const upstream: MockUpstream = await startMockUpstream({
    reply: {
      text: 'a traced answer in five words',
      usage: { inputTokens: 11, outputTokens: 5 },
      // A stream of 5 chunks 50 ms apart: its span must last until the last one.
      chunkCount: 5,
      chunkDelayMs: 50,
    },
  });
  open.push(receiver, upstream);
  const dir = await mkdtemp(join(tmpdir(), 'matey-telemetry-'));
  const config = join(dir, 'matey.config.yaml');
  await writeFile(
    config,
    [
      'server:',
      '  port: 0',
      'providers:',
      '  mock:',
      '    type: openai-compatible',
      `    baseURL: ${upstream.url}/v1`,
      `    apiKey: ${API_KEY}`,
      '    models: [mock-1]',
      'middleware:',
      '  logging: false',
      'telemetry:',
      `  endpoint: ${endpoint ?? receiver.url}`,
      ...telemetry.split('\n').map((line) => `  ${line}`),
    ].join('\n'),
  );
  // One process: the spans and the lines about them come from one exporter.
  const child = spawnMatey(['serve', '--config', config, '--workers', '1'], { cwd: dir });
  let out = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    out += text;
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      out += text;
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (found?.[1]) resolve(found[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  /** SIGTERM: the gateway drains, exports the spans still batched and exits 0. */
  const stop = async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  };
  open.push({ close: async () => void (child.exitCode === null && child.kill('SIGKILL')) });
  return { receiver, upstream, url, stop, output: () => out };
}

function chat(url: string, options: { stream?: boolean; traceparent?: string } = {}) {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.traceparent ? { traceparent: options.traceparent } : {}),
    },
    body: JSON.stringify({
      model: 'mock-1',
      stream: options.stream ?? false,
      messages: [{ role: 'user', content: PROMPT }],
    }),
  });
}

function callerContext(sampled = true) {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-${sampled ? '01' : '00'}` };
}

function only(spans: ReceivedSpan[], predicate: (span: ReceivedSpan) => boolean): ReceivedSpan {
  const found = spans.filter(predicate);
  expect(found).toHaveLength(1);
  return found[0] as ReceivedSpan;
}

describe('matey serve with a telemetry: section', () => {
  it('exports gen_ai spans over OTLP/HTTP that continue the caller trace into the upstream call', async () => {
    const { receiver, upstream, url, stop } = await serveWithTelemetry(
      ['serviceName: matey-under-test', 'headers:', `  x-collector-token: ${COLLECTOR_TOKEN}`].join('\n'),
    );
    const caller = callerContext();
    const json = await chat(url, { traceparent: caller.traceparent });
    expect(json.status).toBe(200);
    await json.json();
    const streamed = await chat(url, { stream: true });
    expect(streamed.status).toBe(200);
    expect(await streamed.text()).toContain('[DONE]');
    const missing = await fetch(`${url}/v1/nowhere`);
    expect(missing.status).toBe(404);
    await missing.text();
    await stop();

    const spans = receiver.spans;
    expect(receiver.exports.every((headers) => headers['x-collector-token'] === COLLECTOR_TOKEN)).toBe(true);
    expect(spans.every((span) => span.resource['service.name'] === 'matey-under-test')).toBe(true);

    // The JSON call: caller span → gateway SERVER span → gen_ai CLIENT span → upstream HTTP span.
    const server = only(spans, (s) => s.kind === SERVER && s.traceId === caller.traceId);
    expect(server.parentSpanId).toBe(caller.spanId);
    expect(server.name).toBe('POST /v1/chat/completions');
    expect(server.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/v1/chat/completions',
      'http.response.status_code': 200,
    });
    const genAi = only(spans, (s) => s.name === 'chat mock-1' && s.traceId === caller.traceId);
    expect(genAi.kind).toBe(CLIENT);
    expect(genAi.parentSpanId).toBe(server.spanId);
    expect(genAi.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'mock',
      'gen_ai.system': 'mock',
      'gen_ai.request.model': 'mock-1',
      'gen_ai.response.model': 'mock-1',
      'gen_ai.usage.input_tokens': 11,
      'gen_ai.usage.output_tokens': 5,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    const upstreamSpan = only(spans, (s) => s.kind === CLIENT && s.parentSpanId === genAi.spanId);
    expect(upstreamSpan.attributes['http.response.status_code']).toBe(200);

    // The provider saw a traceparent of our upstream span, in the caller's trace.
    const [jsonCall, streamCall] = upstream.requests;
    expect(jsonCall?.headers.traceparent).toBe(`00-${caller.traceId}-${upstreamSpan.spanId}-01`);

    // The streamed call: its own trace; the gen_ai span ended with the stream's usage.
    const streamServer = only(
      spans,
      (s) => s.kind === SERVER && s.traceId !== caller.traceId && s.attributes['url.path'] !== '/v1/nowhere',
    );
    expect(streamServer.parentSpanId).toBe('');
    const streamGenAi = only(spans, (s) => s.name === 'chat mock-1' && s.traceId === streamServer.traceId);
    expect(streamGenAi.parentSpanId).toBe(streamServer.spanId);
    expect(streamGenAi.attributes).toMatchObject({
      'ai_matey.mode': 'stream',
      'gen_ai.request.model': 'mock-1',
      'gen_ai.usage.output_tokens': 5,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(streamGenAi.events).toContain('gen_ai.first_chunk');
    expect(streamGenAi.endMs - streamGenAi.startMs).toBeGreaterThanOrEqual(190);
    expect(streamServer.endMs).toBeGreaterThanOrEqual(streamGenAi.endMs);
    expect(streamCall?.headers.traceparent).toMatch(
      new RegExp(`^00-${streamServer.traceId}-[0-9a-f]{16}-01$`),
    );

    // An unknown path: a span named by its method only (no route matched), and not an error.
    const notFound = only(spans, (s) => s.kind === SERVER && s.attributes['url.path'] === '/v1/nowhere');
    expect(notFound.name).toBe('GET');
    expect(notFound.attributes['http.route']).toBeUndefined();
    expect(notFound.attributes['http.response.status_code']).toBe(404);
    expect(notFound.status.code).toBe(0);

    // No API key, collector token or prompt text in anything exported.
    const exported = JSON.stringify(spans);
    for (const secret of [API_KEY, COLLECTOR_TOKEN, PROMPT]) expect(exported).not.toContain(secret);
  });

  it('samples new traces by samplingRatio and always follows the caller sampled flag', async () => {
    const { receiver, upstream, url, stop } = await serveWithTelemetry('samplingRatio: 0');
    const sampled = callerContext(true);
    const unsampled = callerContext(false);
    for (const traceparent of [undefined, sampled.traceparent, unsampled.traceparent]) {
      const response = await chat(url, traceparent ? { traceparent } : {});
      expect(response.status).toBe(200);
      await response.json();
    }
    await stop();

    expect(new Set(receiver.spans.map((span) => span.traceId))).toEqual(new Set([sampled.traceId]));
    expect(receiver.spans.map((span) => span.name)).toContain('chat mock-1');
    // Unsampled traces still propagate: the provider can join them.
    const [, , third] = upstream.requests;
    expect(third?.headers.traceparent).toMatch(new RegExp(`^00-${unsampled.traceId}-[0-9a-f]{16}-00$`));
  });

  it('keeps serving with the collector down, and still exits 0, saying the spans were lost', async () => {
    const gone = await startOtlpReceiver();
    await gone.close();
    const { url, stop, output } = await serveWithTelemetry('serviceName: lonely', gone.url);
    const response = await chat(url);
    expect(response.status).toBe(200);
    await response.json();
    const started = performance.now();
    await stop();
    // Bounded by the 5 s export timeout the CLI sets (OpenTelemetry would retry for 10 s).
    expect(performance.now() - started).toBeLessThan(12_000);
    const lines = output().split('\n');
    expect(lines.filter((line) => line.startsWith('telemetry: exporting spans to'))).toEqual([
      `telemetry: exporting spans to ${gone.url} failed (connect ECONNREFUSED ${gone.url.slice(7)})`,
    ]);
    expect(output()).toMatch(/telemetry: the last spans were not exported \(connect ECONNREFUSED/);
  });

  it('rejects a telemetry section it cannot honour, naming the field', () => {
    expect(() => parseConfig('telemetry:\n  endpoint: localhost:4318/x y\n', 'm.yaml')).toThrow(
      /m\.yaml:2: telemetry\.endpoint/,
    );
    expect(() =>
      parseConfig('telemetry:\n  endpoint: http://localhost:4318\n  samplingRatio: 1.5\n', 'm.yaml'),
    ).toThrow(/telemetry\.samplingRatio/);
    expect(() =>
      parseConfig('telemetry:\n  endpoint: http://localhost:4318\n  sampling: 0.5\n', 'm.yaml'),
    ).toThrow(/sampling/);
  });
});
