import { connect } from 'node:net';
import { type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import { afterEach, describe, expect, it } from 'vitest';
import { gatewayConfigSchema } from './config-schema.ts';
import { banner, type StartedGateway, startGateway } from './start-gateway.ts';

const open: Array<{ close(): Promise<void> } | { shutdown(): Promise<void> }> = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => ('shutdown' in item ? item.shutdown() : item.close())));
});

async function slowGateway(shutdownGraceMs: number, chunkDelayMs: number) {
  const upstream: MockUpstream = await startMockUpstream({
    reply: { text: 'one two three four five six seven eight', chunkCount: 8, chunkDelayMs },
  });
  open.push(upstream);
  const started: StartedGateway = await startGateway(
    gatewayConfigSchema.parse({
      server: { port: 0, shutdownGraceMs },
      providers: { slow: { type: 'openai-compatible', baseURL: `${upstream.url}/v1`, models: ['slow-1'] } },
      middleware: { logging: false },
    }),
  );
  open.push(started);
  return started;
}

async function openStream(url: string) {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'slow-1', stream: true, messages: [{ role: 'user', content: 'count' }] }),
  });
  expect(response.status).toBe(200);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  const readRest = async () => {
    while (true) {
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) return text;
      text += decoder.decode(chunk.value, { stream: true });
    }
  };
  const first = await reader.read();
  text += decoder.decode(first.value, { stream: true });
  return { readRest };
}

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('startGateway shutdown', () => {
  it('lets a stream in flight finish while refusing new connections', async () => {
    const started = await slowGateway(10_000, 40);
    const stream = await openStream(started.url);
    const stopping = started.shutdown();
    expect(await connectionRefused(started.server.port)).toBe(true);
    const text = await stream.readRest();
    for (const word of ['one', 'four', 'eight']) expect(text).toContain(word);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    await stopping;
  });

  it('cuts a stream that outlives the grace period', async () => {
    const started = await slowGateway(150, 400);
    const stream = await openStream(started.url);
    // The reply takes over 3 s; shutdown returns after the 150 ms grace with the stream cut.
    await started.shutdown();
    const text = await stream.readRest();
    expect(text).toContain('chat.completion.chunk');
    expect(text).not.toContain('eight');
    expect(text).not.toContain('[DONE]');
  });

  it('prints a banner with the URL, the providers and ready-to-paste examples', async () => {
    const started = await slowGateway(1_000, 0);
    const config = gatewayConfigSchema.parse({ keys: [{ id: 'k', key: 'some-long-key' }] });
    const text = banner(started, config);
    expect(text).toContain(`listening on ${started.url}`);
    expect(text).toContain('Providers: slow');
    expect(text).toContain(
      `curl -N ${started.url}/v1/chat/completions -H "Authorization: Bearer $MATEY_KEY"`,
    );
    expect(text).not.toContain('some-long-key');
  });
});
