/**
 * Streams that go wrong: a client that leaves mid-stream (the upstream call must stop at once),
 * an upstream that fails mid-stream (an in-band error in the caller's format, never a silent or
 * empty 200), and one that fails before its first event (a plain HTTP error).
 */
import Anthropic from '@anthropic-ai/sdk';
import { type Backend, Bridge } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGateway } from './create-gateway.ts';
import { serveGateway } from './serve-gateway.ts';
import { LANES, type MockUpstreamReply, startTestFleet, type TestFleet } from './test-gateway.ts';

let fleet: TestFleet;
beforeAll(async () => {
  fleet = await startTestFleet();
});
afterAll(() => fleet.close());
beforeEach(() => {
  fleet.upstreams.openai.reset();
  fleet.upstreams.anthropic.reset();
});

// Events far apart, so only a cancelled upstream call (not the next write failing) meets 100 ms.
const slowReply: MockUpstreamReply = { text: 'tick '.repeat(20), chunkCount: 20, chunkDelayMs: 400 };

function openaiStreamBody(model: string) {
  return JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'go' }] });
}

describe.each(LANES)('$lane upstream', ({ lane, model }) => {
  const upstream = () => fleet.upstreams[lane];

  it('closes the upstream connection within 100 ms of the client aborting', async () => {
    upstream().setReply(slowReply);
    const controller = new AbortController();
    const response = await fetch(`${fleet.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: openaiStreamBody(model),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain('data: ');
    const abortedAt = Date.now();
    controller.abort();
    const seen = await upstream().waitForClientAbort(2_000);
    expect(seen.clientAbortedAt).toBeDefined();
    expect((seen.clientAbortedAt ?? Number.POSITIVE_INFINITY) - abortedAt).toBeLessThan(100);
    // The stream was cut short, not served in full.
    expect(seen.completedAt).toBeUndefined();
  });

  it('cancels the upstream call when a client leaves before a plain reply is ready', async () => {
    upstream().setReply({ text: 'late', latencyMs: 3_000 });
    const controller = new AbortController();
    const pending = fetch(`${fleet.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'go' }] }),
      signal: controller.signal,
    }).catch(() => 'aborted');
    await upstream().waitForRequests(1);
    controller.abort();
    expect(await pending).toBe('aborted');
    const seen = await upstream().waitForClientAbort(1_000);
    expect(seen.completedAt).toBeUndefined();
  });

  it('reports a mid-stream reset to the OpenAI client as an error, without [DONE]', async () => {
    upstream().setReply({ text: 'partial answer that breaks', chunkCount: 4, reset: 'after-first-event' });
    const raw = await fetch(`${fleet.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: openaiStreamBody(model),
    });
    expect(raw.status).toBe(200);
    const text = await raw.text();
    expect(text).toMatch(/^data: \{"error":\{"message":".+","type":"server_error"/m);
    expect(text).not.toContain('[DONE]');

    const client = new OpenAI({ apiKey: 'unused', baseURL: `${fleet.url}/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model,
      stream: true,
      messages: [{ role: 'user', content: 'go' }],
    });
    const read = async () => {
      for await (const _chunk of stream) {
        // consume until the error
      }
    };
    await expect(read()).rejects.toBeInstanceOf(OpenAI.APIError);
  });

  it('reports a truncated stream (no terminator) as an error, not a clean end', async () => {
    upstream().setReply({ text: 'one two three four five six', chunkCount: 6, cutAfterEvents: 3 });
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${fleet.url}/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model,
      stream: true,
      messages: [{ role: 'user', content: 'go' }],
    });
    const deltas: string[] = [];
    const read = async () => {
      for await (const chunk of stream) deltas.push(chunk.choices[0]?.delta.content ?? '');
    };
    await expect(read()).rejects.toThrow(/ended before|truncated/i);
  });

  it('sends the Anthropic client an error event when the upstream fails mid-stream', async () => {
    upstream().setReply({ text: 'partial answer that breaks', chunkCount: 4, reset: 'after-first-event' });
    const raw = await fetch(`${fleet.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({
        model,
        max_tokens: 64,
        stream: true,
        messages: [{ role: 'user', content: 'go' }],
      }),
    });
    expect(raw.status).toBe(200);
    const text = await raw.text();
    expect(text).toContain('event: message_start');
    expect(text).toMatch(/event: error\ndata: \{"type":"error","error":\{"type":"\w+_error"/);
    expect(text).not.toContain('event: message_stop');

    const client = new Anthropic({ apiKey: 'unused', baseURL: fleet.url, maxRetries: 0 });
    const stream = client.messages.stream({
      model,
      max_tokens: 64,
      messages: [{ role: 'user', content: 'go' }],
    });
    await expect(stream.finalMessage()).rejects.toBeInstanceOf(Anthropic.APIError);
  });

  it('answers a failure before the first event with a plain HTTP error in each format', async () => {
    upstream().setReply({ reset: 'before-headers' });
    const openai = new OpenAI({ apiKey: 'unused', baseURL: `${fleet.url}/v1`, maxRetries: 0 });
    const openaiError = (await openai.chat.completions
      .create({ model, stream: true, messages: [{ role: 'user', content: 'go' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(openaiError).toBeInstanceOf(OpenAI.APIError);
    expect(openaiError.status).toBe(502);
    expect(openaiError.error).toMatchObject({ type: 'server_error' });

    upstream().setReply({ error: 'overloaded' });
    const anthropic = new Anthropic({ apiKey: 'unused', baseURL: fleet.url, maxRetries: 0 });
    const anthropicError = (await anthropic.messages
      .create({ model, max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'go' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(anthropicError).toBeInstanceOf(Anthropic.APIError);
    expect(anthropicError.status).toBe(529);
    expect(anthropicError.error).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
  });
});

describe('a backend stream with no events at all', () => {
  it('is a 502 in the caller format, not an empty 200', async () => {
    const mock = new MockBackend();
    const silent: Backend = {
      metadata: mock.metadata,
      execute: (request, options) => mock.execute(request, options),
      async *stream() {},
    };
    await using running = await serveGateway(createGateway({ bridge: new Bridge({ backend: silent }) }));
    const response = await fetch(`${running.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'm',
        max_tokens: 8,
        stream: true,
        messages: [{ role: 'user', content: 'go' }],
      }),
    });
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'api_error' } });
  });
});
