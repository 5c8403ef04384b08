/** Graceful shutdown: in-flight streams finish, new connections are refused, and close() returns. */
import { request } from 'node:http';
import { Bridge } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import { createGateway } from './create-gateway.ts';
import { serveGateway } from './serve-gateway.ts';

/** A backend whose stream takes about `events × delay` ms. */
function slowBackend(chunkDelayMs: number) {
  return new MockBackend({ reply: { text: 'a b c d e f g h i j', chunkSize: 2, chunkDelayMs } });
}

async function openStream(url: string) {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ stream: true, messages: [{ role: 'user', content: 'go' }] }),
  });
  expect(response.status).toBe(200);
  const reader = response.body?.getReader();
  if (!reader) throw new Error('no body');
  await reader.read();
  const decoder = new TextDecoder();
  const rest = (async () => {
    let text = '';
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) return text;
      text += decoder.decode(chunk.value, { stream: true });
    }
  })();
  return { rest };
}

/** Resolves with the error code of a fresh connection attempt ('' if it was accepted). */
function connectOutcome(url: string): Promise<string> {
  return new Promise((resolve) => {
    const req = request(`${url}/health/live`, { agent: false }, (res) => {
      res.resume();
      resolve('');
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    req.end();
  });
}

describe('serveGateway', () => {
  it('lets an in-flight stream finish, refuses new connections, and returns once it is done', async () => {
    const bridge = new Bridge({ backend: slowBackend(60) });
    const running = await serveGateway(createGateway({ bridge }), { shutdownGraceMs: 10_000 });
    const { rest } = await openStream(running.url);

    const started = Date.now();
    const closed = running.close();
    expect(await connectOutcome(running.url)).toBe('ECONNREFUSED');
    const text = await rest;
    expect(text).toContain('j');
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    await closed;
    // Done when the stream is: not when the grace period runs out, nor when the client's
    // keep-alive connection (4 s idle in undici) would time out.
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(running.server.listening).toBe(false);
  });

  it('ends a stream that outlives the grace period with an error event, so shutdown always ends', async () => {
    const bridge = new Bridge({ backend: slowBackend(2_000) });
    const running = await serveGateway(createGateway({ bridge }), { shutdownGraceMs: 200 });
    const { rest } = await openStream(running.url);
    const started = Date.now();
    await running.close();
    expect(Date.now() - started).toBeLessThan(1_500);
    // The caller learns why the stream stopped, in its own format, instead of a bare cut.
    const text = await rest;
    expect(text).toMatch(/"code":"server_shutting_down"/);
    expect(text).not.toContain('[DONE]');
  });

  it('binds 127.0.0.1 by default and reports its url', async () => {
    const running = await serveGateway(createGateway({ bridge: new Bridge({ backend: new MockBackend() }) }));
    expect(running.url).toBe(`http://127.0.0.1:${running.port}`);
    await running[Symbol.asyncDispose]();
    expect(running.server.listening).toBe(false);
  });
});
