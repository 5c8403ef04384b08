/**
 * Fuzzing the inbound wire formats (issue 11, "What stays"): bodies built by fast-check from
 * valid OpenAI Chat and Anthropic Messages requests (fields dropped, retyped, nested, garbage
 * added) and arbitrary bytes, then WebSocket frames. The properties: the gateway never answers
 * 5xx to a caller's mistake, every refusal is a 4xx in the caller's own error format, and the
 * process keeps serving. (The gateway serves no Gemini endpoint, so there is no third format.)
 * Bounded in runs and time so it stays in CI; a failure prints its seed and shrunk input.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestFleet, type TestFleet } from '../test-gateway.ts';

const RUNS = 120;
const TIME_LIMIT_MS = 12_000;

let fleet: TestFleet;
beforeAll(async () => {
  fleet = await startTestFleet();
  fleet.upstreams.openai.setReply({ text: 'ok' });
  fleet.upstreams.anthropic.setReply({ text: 'ok' });
});
afterAll(async () => {
  await fleet.close();
});

/** Any JSON value, a few levels deep, its strings any Unicode (control and non-Latin-1 characters included). */
const json = fc.jsonValue({ depthSize: 'small', maxDepth: 4, stringUnit: 'binary' });
/** A model name as a hostile caller writes it, often one that routes (`gpt-…`, `claude-…`). */
const modelName = fc.oneof(
  fc
    .tuple(fc.constantFrom('gpt-', 'claude-', 'openai/gpt-'), fc.string({ unit: 'binary', maxLength: 20 }))
    .map(([prefix, rest]) => prefix + rest),
  fc.string({ unit: 'binary', maxLength: 40 }),
  json,
);

/** A valid request with some fields replaced by anything, some dropped, and some added. */
function mutated(valid: Record<string, unknown>) {
  const keys = Object.keys(valid);
  return fc
    .record({
      replace: fc.dictionary(fc.constantFrom(...keys), json, { maxKeys: 3 }),
      drop: fc.subarray(keys, { maxLength: 2 }),
      extra: fc.dictionary(fc.string({ maxLength: 12 }), json, { maxKeys: 2 }),
    })
    .map(({ replace, drop, extra }) => {
      const body: Record<string, unknown> = { ...extra, ...valid, ...replace };
      for (const key of drop) delete body[key];
      return JSON.stringify(body);
    });
}

const message = fc.oneof(
  fc.record({
    role: fc.constantFrom('user', 'assistant', 'system', 'tool', 'developer', 'x'),
    content: json,
  }),
  json,
);

const openaiBody = fc.oneof(
  mutated({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'hi' }],
    max_tokens: 16,
    temperature: 0.5,
    tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
    stream: false,
  }),
  modelName.map((model) => JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] })),
  fc.array(message, { maxLength: 4 }).map((messages) => JSON.stringify({ model: 'gpt-4o-mini', messages })),
  fc.string({ unit: 'binary', maxLength: 200 }),
  json.map((value) => JSON.stringify(value)),
);

const anthropicBody = fc.oneof(
  mutated({
    model: 'claude-sonnet-4-5',
    max_tokens: 16,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    system: 'be brief',
    tools: [{ name: 't', input_schema: { type: 'object' } }],
    stream: false,
  }),
  modelName.map((model) =>
    JSON.stringify({ model, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }),
  ),
  fc
    .array(message, { maxLength: 4 })
    .map((messages) => JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 8, messages })),
  fc.string({ unit: 'binary', maxLength: 200 }),
  json.map((value) => JSON.stringify(value)),
);

const isOpenAIError = (body: unknown) =>
  typeof (body as { error?: { message?: unknown } }).error?.message === 'string' &&
  typeof (body as { error: { type?: unknown } }).error.type === 'string';
const isAnthropicError = (body: unknown) =>
  (body as { type?: unknown }).type === 'error' &&
  typeof (body as { error?: { type?: unknown } }).error?.type === 'string' &&
  typeof (body as { error: { message?: unknown } }).error.message === 'string';

describe.each([
  ['OpenAI Chat', '/v1/chat/completions', openaiBody, isOpenAIError],
  ['Anthropic Messages', '/v1/messages', anthropicBody, isAnthropicError],
] as const)('%s bodies', (_format, path, bodies, isCallerError) => {
  it('never get a 5xx; every refusal is a 4xx in the caller format', async () => {
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const response = await fetch(`${fleet.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
          body,
        });
        const text = await response.text();
        expect(response.status, text).toBeLessThan(500);
        if (response.status >= 400) expect(isCallerError(JSON.parse(text)), text).toBe(true);
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS },
    );
    expect((await fetch(`${fleet.url}/health/live`)).status).toBe(200);
  }, 30_000);
});

const clientFrame = fc.oneof(
  fc.string({ maxLength: 100 }),
  json.map((value) => JSON.stringify(value)),
  fc
    .record({
      type: fc.constantFrom('chat', 'cancel', 'switch_provider', 'clear_history', 'ping', 'nope'),
      id: fc.oneof(fc.string({ maxLength: 8 }), json),
      content: fc.oneof(fc.string({ maxLength: 20 }), json),
      messages: fc.oneof(fc.array(message, { maxLength: 3 }), json),
      model: fc.oneof(fc.constant('gpt-4o-mini'), json),
      provider: json,
      ts: json,
    })
    .chain((frame) => fc.subarray(Object.keys(frame)).map((keys) => JSON.stringify(pick(frame, keys)))),
);

function pick(record: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, record[key]]));
}

/** Sends fuzzed frames on one socket; resolves with every reply and whether the socket stayed open. */
async function fuzzWebSocket() {
  const socket = new WebSocket(`${fleet.url.replace('http', 'ws')}/v1/ws`);
  const received: Array<{ type?: unknown; error?: { kind?: unknown; message?: unknown } }> = [];
  socket.on('message', (data) => received.push(JSON.parse(data.toString())));
  let closed = false;
  socket.on('close', () => {
    closed = true;
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  await fc.assert(
    fc.asyncProperty(clientFrame, async (frame) => {
      socket.send(frame);
      await new Promise((resolve) => setTimeout(resolve, 2));
      expect(closed).toBe(false);
    }),
    { numRuns: RUNS * 2, interruptAfterTimeLimit: TIME_LIMIT_MS },
  );
  // Still answering on the same socket once the fuzzing is over.
  socket.send(JSON.stringify({ type: 'ping', ts: 42 }));
  await expect.poll(() => received.some((reply) => reply.type === 'pong'), { timeout: 5_000 }).toBe(true);
  socket.close();
  return received;
}

describe('WebSocket frames', () => {
  it('never close the socket or crash; every error frame has a kind and a message', async () => {
    const received = await fuzzWebSocket();
    for (const reply of received.filter((item) => item.type === 'error')) {
      expect(typeof reply.error?.kind).toBe('string');
      expect(typeof reply.error?.message).toBe('string');
    }
    expect((await fetch(`${fleet.url}/health/live`)).status).toBe(200);
  }, 30_000);

  // The fuzzer's counterexamples from before WebSocket chats were validated as HTTP bodies are:
  // a malformed chat got kind `unknown` and a JavaScript error text
  // (`message.content.forEach is not a function`).
  it('answer a malformed chat with a typed error, never kind unknown', async () => {
    const socket = new WebSocket(`${fleet.url.replace('http', 'ws')}/v1/ws`);
    const errors: Array<{ kind?: unknown; message?: unknown }> = [];
    socket.on('message', (data) => {
      const reply = JSON.parse(data.toString()) as { type?: string; error?: { kind?: unknown } };
      if (reply.type === 'error' && reply.error) errors.push(reply.error);
    });
    await new Promise((resolve) => socket.once('open', resolve));
    const frames = [
      { type: 'chat', id: 'a', messages: [{ role: 'user', content: 5 }] },
      { type: 'chat', id: 'b', messages: [null] },
      { type: 'chat', id: 'c', messages: 'hi' },
    ];
    for (const frame of frames) socket.send(JSON.stringify(frame));
    await expect.poll(() => errors.length, { timeout: 5_000 }).toBe(frames.length);
    socket.close();
    expect(errors.filter((error) => error.kind === 'unknown')).toEqual([]);
  }, 30_000);
});
