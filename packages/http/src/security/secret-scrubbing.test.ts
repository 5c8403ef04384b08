/**
 * Security class: secrets never leave the gateway. The mock upstreams echo the API key each call
 * came with inside their error (an in-band stream error event, or the first event of a stream),
 * as real providers do; keys are shaped like no pattern knows (Mistral's 32 alphanumerics,
 * Cerebras' `csk-`), so only the exact-match secret registry can catch them. Every path out is
 * read: SSE in both formats, plain HTTP error bodies, WebSocket error frames, log lines, metrics.
 */
import type { AddressInfo } from 'node:net';
import { AnthropicBackendAdapter, OpenAIBackendAdapter } from 'ai.matey.backend';
import { Bridge, Router } from 'ai.matey.core';
import { createLoggingMiddleware } from 'ai.matey.middleware';
import { echoKeyInStreamError, type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createGateway } from '../create-gateway.ts';
import { type RunningGateway, serveGateway } from '../serve-gateway.ts';
import { attachWebSocketGateway } from '../websocket/websocket-server.ts';

const KEYS = [
  ['a Mistral-style key (32 alphanumerics)', 'Xq7bR2mN9pL4vT8wK3jH6gF1dS5aZ0cE'],
  ['a Cerebras-style csk- key', 'csk-9f3kd82jx0qm4v7n1p5r8t2w6y9b3c7e1g4h8j2k5m9n'],
] as const;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

interface Fleet {
  url: string;
  running: RunningGateway;
  logs: string[];
  upstreams: MockUpstream[];
}

/** A gateway whose two upstreams (OpenAI and Anthropic protocol) echo `key` in their errors. */
async function startFleet(key: string, afterEvents: number): Promise<Fleet> {
  const fault = echoKeyInStreamError({ afterEvents });
  const [openaiUpstream, anthropicUpstream] = await Promise.all([
    startMockUpstream({ reply: fault }),
    startMockUpstream({ reply: fault }),
  ]);
  const router = new Router({
    routingStrategy: 'model-based',
    modelMapping: { 'gpt-*': 'openai', 'claude-*': 'anthropic' },
  });
  router.register('openai', new OpenAIBackendAdapter({ apiKey: key, baseURL: `${openaiUpstream.url}/v1` }));
  router.register('anthropic', new AnthropicBackendAdapter({ apiKey: key, baseURL: anthropicUpstream.url }));
  const logs: string[] = [];
  const bridge = new Bridge({ backend: router }).use(
    createLoggingMiddleware({ destination: { write: (line: string) => void logs.push(line) } }),
  );
  const gateway = createGateway({ bridge, router, secrets: [key] });
  const running = await serveGateway(gateway, { port: 0, shutdownGraceMs: 500 });
  const websocket = attachWebSocketGateway(running.server, { bridge, router });
  cleanups.push(async () => {
    await websocket.close();
    await running.close();
    await Promise.all([openaiUpstream.close(), anthropicUpstream.close()]);
  });
  return { url: running.url, running, logs, upstreams: [openaiUpstream, anthropicUpstream] };
}

const paths = {
  openai: { path: '/v1/chat/completions', model: 'openai/gpt-4o-mini' },
  anthropic: { path: '/v1/messages', model: 'anthropic/claude-sonnet-4-5' },
} as const;

async function streamCall(url: string, format: keyof typeof paths) {
  const { path, model } = paths[format];
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({
      model,
      stream: true,
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hello' }],
    }),
  });
  return { status: response.status, headers: [...response.headers].join('\n'), text: await response.text() };
}

async function websocketError(fleet: Fleet, provider: string): Promise<string> {
  const port = (fleet.running.server.address() as AddressInfo).port;
  const socket = new WebSocket(`ws://127.0.0.1:${port}/v1/ws`);
  cleanups.push(async () => void socket.terminate());
  const frames: string[] = [];
  return await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no error frame; got ${frames.join('\n')}`)), 5_000);
    socket.on('message', (data) => {
      const text = data.toString();
      frames.push(text);
      if ((JSON.parse(text) as { type: string }).type === 'error') {
        clearTimeout(timer);
        resolve(frames.join('\n'));
      }
    });
    socket.once('open', () =>
      socket.send(JSON.stringify({ type: 'chat', id: 'c1', provider, content: 'hi' })),
    );
    socket.once('error', reject);
  });
}

describe.each(KEYS)('secret scrubbing: %s', (_name, key) => {
  it.each(['openai', 'anthropic'] as const)(
    'keeps the key out of an in-band SSE error event (%s format), the logs and the metrics',
    async (format) => {
      const fleet = await startFleet(key, 1);
      const reply = await streamCall(fleet.url, format);
      expect(reply.status).toBe(200);
      // The stream did fail in-band with the upstream's words, key removed.
      expect(reply.text).toContain('Incorrect API key provided: [redacted]');
      expect(reply.text).not.toContain(key);
      expect(reply.headers).not.toContain(key);
      // The upstream did receive (and echo) the key: the test is not passing by accident.
      expect(fleet.upstreams.some((upstream) => upstream.requests.length > 0)).toBe(true);
      const metrics = await (await fetch(`${fleet.url}/metrics`)).text();
      expect(metrics).not.toContain(key);
      expect(fleet.logs.join('')).not.toContain(key);
    },
  );

  it.each(['openai', 'anthropic'] as const)(
    'keeps the key out of the HTTP error body when the stream fails first (%s format) and out of the log line',
    async (format) => {
      const fleet = await startFleet(key, 0);
      const reply = await streamCall(fleet.url, format);
      expect(reply.status).toBe(400);
      expect(reply.text).toContain('Incorrect API key provided: [redacted]');
      expect(reply.text).not.toContain(key);
      const logged = fleet.logs.join('');
      expect(logged).toContain('Incorrect API key provided: [redacted]');
      expect(logged).not.toContain(key);
    },
  );

  it.each([
    ['openai', 1],
    ['anthropic', 0],
  ] as const)(
    'keeps the key out of the WebSocket error frame (%s upstream, after %i events)',
    async (provider, afterEvents) => {
      const fleet = await startFleet(key, afterEvents);
      const frames = await websocketError(fleet, provider);
      expect(frames).toContain('Incorrect API key provided: [redacted]');
      expect(frames).not.toContain(key);
      expect(fleet.logs.join('')).not.toContain(key);
    },
  );
});
