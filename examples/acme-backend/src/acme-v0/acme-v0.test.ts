import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AiMateyError,
  type ChatRequest,
  type ChatResponse,
  collectStream,
  OverloadedError,
  responseToEvents,
  UnsupportedFeatureError,
} from 'ai.matey.core';
import { wireCodec, wireProtocols } from 'ai.matey.wire';
import { afterEach, describe, expect, it } from 'vitest';
import { AcmeV0BackendAdapter } from './acme-v0-backend-adapter.ts';
import { acmeV0 } from './acme-v0-codec.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

interface Seen {
  path: string;
  apiKey: string | undefined;
  request: ChatRequest | undefined;
}

/**
 * A stand-in for Acme's v0 API, written with the server half of the same codec: it decodes the
 * body, answers with an echo (or `fail`), JSON or SSE.
 */
async function acmeV0Server(fail?: AiMateyError): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    const entry: Seen = {
      path: req.url ?? '',
      apiKey: req.headers['x-api-key'] as string,
      request: undefined,
    };
    seen.push(entry);
    if (req.method === 'GET' && req.url === '/v0/models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ models: [{ name: 'acme-classic', context: 8192 }] }));
    }
    if (fail) {
      const encoded = acmeV0.encodeError(fail);
      res.writeHead(encoded.status, { 'content-type': 'application/json', ...encoded.headers });
      return res.end(JSON.stringify(encoded.body));
    }
    const request = acmeV0.decodeRequest(JSON.parse(text));
    entry.request = request;
    const last = request.messages.at(-1)?.content;
    const reply: ChatResponse = {
      id: 'v0-1',
      model: request.model ?? 'acme-classic',
      provider: 'acme',
      content: [{ type: 'text', text: `v0 heard: ${String(last)}` }],
      finishReason: 'stop',
      usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 },
      warnings: [],
    };
    if (!(JSON.parse(text) as { stream?: boolean }).stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(acmeV0.encodeResponse(reply)));
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const encoder = acmeV0.createStreamEncoder();
    for (const event of responseToEvents(reply)) res.write(encoder.encode(event));
    res.end(encoder.end());
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const hello: ChatRequest = { messages: [{ role: 'user', content: 'ping' }], topK: 5 };

describe('a registered wire protocol (acme-v0)', () => {
  it('is known by name once an adapter registered it', () => {
    new AcmeV0BackendAdapter({ apiKey: 'k' });
    expect(wireProtocols()).toContain('acme-v0');
    expect(wireCodec('acme-v0')).toBe(acmeV0);
  });

  it.each(['execute', 'stream'] as const)('serves a call through it (%s)', async (mode) => {
    const { url, seen } = await acmeV0Server();
    const legacy = new AcmeV0BackendAdapter({ apiKey: 'acme-v0-key', baseURL: url });
    const reply =
      mode === 'execute' ? await legacy.execute(hello) : await collectStream(legacy.stream(hello));
    expect(reply.content).toEqual([{ type: 'text', text: 'v0 heard: ping' }]);
    expect(reply).toMatchObject({
      provider: 'acme',
      finishReason: 'stop',
      usage: { inputTokens: 3, outputTokens: 4 },
    });
    // v0 has no topK: the adapter says so instead of dropping it in silence.
    expect(reply.warnings).toEqual([
      expect.objectContaining({ type: 'unsupported-setting', setting: 'topK' }),
    ]);
    expect(seen).toEqual([
      {
        path: '/v0/generate',
        apiKey: 'acme-v0-key',
        request: { model: 'acme-classic', messages: [{ role: 'user', content: 'ping' }] },
      },
    ]);
  });

  it('reads a v0 error with its retry hint, and lists models from /v0/models', async () => {
    const busy = new OverloadedError({ message: 'Acme is busy', status: 503, retryAfterMs: 750 });
    const { url } = await acmeV0Server(busy);
    const legacy = new AcmeV0BackendAdapter({ apiKey: 'k', baseURL: url });
    const error = await legacy.execute(hello).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OverloadedError);
    expect(error).toMatchObject({
      message: 'Acme is busy',
      retryAfterMs: 750,
      isRetryable: true,
      code: 'overloaded',
    });
    expect(await legacy.listModels()).toEqual([
      { id: 'acme-classic', provider: 'acme', contextWindow: 8192 },
    ]);
  });

  it('refuses tools rather than dropping them', async () => {
    const legacy = new AcmeV0BackendAdapter({ apiKey: 'k', baseURL: 'http://127.0.0.1:9' });
    const withTools: ChatRequest = { ...hello, tools: [{ name: 'lookup', inputSchema: { type: 'object' } }] };
    await expect(legacy.execute(withTools)).rejects.toBeInstanceOf(UnsupportedFeatureError);
    expect(AiMateyError.isInstance(await legacy.execute(withTools).catch((e: unknown) => e))).toBe(true);
  });
});
