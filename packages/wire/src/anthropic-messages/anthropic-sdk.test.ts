/**
 * The official `@anthropic-ai/sdk` as judge of the server half: a real HTTP server on an
 * ephemeral port answers with this codec's encodeResponse, stream encoder and encodeError,
 * and reads the SDK's requests with decodeRequest.
 */
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import {
  type AiMateyError,
  AuthenticationError,
  type ChatRequest,
  type ChatResponse,
  OverloadedError,
  RateLimitError,
  type StreamEvent,
} from 'ai.matey.core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendEncodedError, startTestServer, type TestServer } from '../test-support/test-server.ts';
import { anthropicMessages } from './index.ts';

type Plan =
  | { kind: 'json'; response: ChatResponse }
  | { kind: 'stream'; events: StreamEvent[]; error?: AiMateyError }
  | { kind: 'error'; error: AiMateyError };

let plan: Plan;
let received: ChatRequest[] = [];
/** Whether each request asked to stream (decodeRequest accepts `stream`; the HTTP layer reads it). */
let streamed: boolean[] = [];
let server: TestServer;
let client: Anthropic;

beforeAll(async () => {
  server = await startTestServer((_req, text, res) => {
    const body = JSON.parse(text) as { stream?: boolean };
    received.push(anthropicMessages.decodeRequest(body));
    streamed.push(body.stream === true);
    if (plan.kind === 'error') {
      sendEncodedError(res, anthropicMessages.encodeError(plan.error));
    } else if (plan.kind === 'stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const encoder = anthropicMessages.createStreamEncoder();
      for (const event of plan.events) res.write(encoder.encode(event));
      if (plan.error) res.write(encoder.error(plan.error));
      res.end(encoder.end());
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(anthropicMessages.encodeResponse(plan.response)));
    }
  });
  client = new Anthropic({ baseURL: server.baseUrl, apiKey: 'test', maxRetries: 0 });
});

afterAll(() => server.close());

beforeEach(() => {
  received = [];
  streamed = [];
});

const base = { id: 'msg_sdk', model: 'claude-test', provider: 'mock', warnings: [] };
const usage = { inputTokens: 11, outputTokens: 7, totalTokens: 18 };
const signature = 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds+/==';

describe('anthropic-messages served to the official Anthropic SDK', () => {
  it('messages.create reads text and usage', async () => {
    plan = {
      kind: 'json',
      response: { ...base, content: [{ type: 'text', text: 'Hello there' }], finishReason: 'stop', usage },
    };
    const message = await client.messages.create({
      model: 'claude-test',
      max_tokens: 64,
      system: 'Be kind.',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(message.content).toEqual([{ type: 'text', text: 'Hello there' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: 11, output_tokens: 7 });
    expect(received[0]).toMatchObject({
      model: 'claude-test',
      maxOutputTokens: 64,
      messages: [
        { role: 'system', content: 'Be kind.' },
        { role: 'user', content: 'Hi' },
      ],
    });
  });

  it('messages.create reads a tool call as a tool_use block with an input object', async () => {
    plan = {
      kind: 'json',
      response: {
        ...base,
        content: [
          { type: 'tool-call', toolCallId: 'call_7', toolName: 'weather', arguments: '{"city":"Paris"}' },
        ],
        finishReason: 'tool-calls',
        usage,
      },
    };
    const message = await client.messages.create({
      model: 'claude-test',
      max_tokens: 64,
      tools: [
        { name: 'weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
      ],
      messages: [{ role: 'user', content: 'Weather?' }],
    });
    expect(message.content).toEqual([
      { type: 'tool_use', id: 'call_7', name: 'weather', input: { city: 'Paris' } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
  });

  it('messages.create reads thinking with its signature, and the SDK can send it back', async () => {
    plan = {
      kind: 'json',
      response: {
        ...base,
        content: [
          { type: 'reasoning', text: 'Let me think.', signature },
          { type: 'text', text: '42' },
        ],
        finishReason: 'stop',
        usage,
      },
    };
    const params = {
      model: 'claude-test',
      max_tokens: 2048,
      thinking: { type: 'enabled' as const, budget_tokens: 1024 },
      messages: [{ role: 'user' as const, content: 'Answer?' }],
    };
    const first = await client.messages.create(params);
    expect(first.content[0]).toEqual({ type: 'thinking', thinking: 'Let me think.', signature });
    await client.messages.create({
      ...params,
      messages: [
        ...params.messages,
        { role: 'assistant', content: first.content },
        { role: 'user', content: 'Why?' },
      ],
    });
    expect(received[1]?.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'Let me think.', signature },
        { type: 'text', text: '42' },
      ],
    });
    expect(received[1]?.reasoning).toEqual({ budgetTokens: 1024 });
  });

  it('messages.stream assembles the final message, with input tokens that arrived only at the end', async () => {
    plan = {
      kind: 'stream',
      events: [
        { type: 'start', id: 'chatcmpl-abc', model: 'gpt-upstream', provider: 'openai' },
        { type: 'reasoning-delta', index: 0, delta: 'Plan: ' },
        { type: 'reasoning-delta', index: 0, delta: 'call the tool.' },
        { type: 'reasoning-delta', index: 0, delta: '', signature: signature.slice(0, 20) },
        { type: 'reasoning-delta', index: 0, delta: '', signature: signature.slice(20) },
        { type: 'text-delta', index: 1, delta: 'Checking ' },
        { type: 'text-delta', index: 1, delta: 'now.' },
        { type: 'tool-call-start', index: 2, toolCallId: 'call_1', toolName: 'weather' },
        { type: 'tool-call-delta', index: 2, toolCallId: 'call_1', argumentsDelta: '{"city": ' },
        { type: 'tool-call-delta', index: 2, toolCallId: 'call_1', argumentsDelta: '"Oslo"}' },
        {
          type: 'tool-call-end',
          index: 2,
          toolCallId: 'call_1',
          toolName: 'weather',
          arguments: '{"city":"Oslo"}',
        },
        {
          type: 'finish',
          finishReason: 'tool-calls',
          rawFinishReason: 'tool_calls',
          usage: { inputTokens: 77, outputTokens: 23, totalTokens: 100 },
        },
      ],
    };
    const stream = client.messages.stream({
      model: 'claude-test',
      max_tokens: 256,
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
    });
    let text = '';
    stream.on('text', (delta) => {
      text += delta;
    });
    const message = await stream.finalMessage();
    expect(streamed).toEqual([true]);
    expect(text).toBe('Checking now.');
    expect(message.id).toBe('msg_chatcmpl-abc');
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Plan: call the tool.', signature },
      { type: 'text', text: 'Checking now.' },
      { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Oslo' } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({ input_tokens: 77, output_tokens: 23 });
  });

  it('an error after the stream started reaches the SDK as an APIError of that type', async () => {
    plan = {
      kind: 'stream',
      events: [
        { type: 'start', id: 'msg_x', model: 'claude-test', provider: 'anthropic' },
        { type: 'text-delta', index: 0, delta: 'Partial' },
      ],
      error: new OverloadedError({ message: 'Overloaded' }),
    };
    const stream = client.messages.stream({
      model: 'claude-test',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'x' }],
    });
    const error = await stream.finalMessage().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).type).toBe('overloaded_error');
    expect((error as APIError).message).toContain('Overloaded');
  });

  it.each([
    [new OverloadedError({ message: 'Overloaded' }), 529, 'overloaded_error', Anthropic.OverloadedError],
    [
      new RateLimitError({ message: 'Slow down', retryAfterMs: 3000 }),
      429,
      'rate_limit_error',
      Anthropic.RateLimitError,
    ],
    [
      new AuthenticationError({ message: 'invalid x-api-key' }),
      401,
      'authentication_error',
      Anthropic.AuthenticationError,
    ],
  ])('encodeError %s surfaces as the SDK error with status %i', async (error, status, type, sdkClass) => {
    plan = { kind: 'error', error };
    const caught = await client.messages
      .create({ model: 'claude-test', max_tokens: 16, messages: [{ role: 'user', content: 'x' }] })
      .catch((thrown: unknown) => thrown);
    expect(caught).toBeInstanceOf(sdkClass);
    expect((caught as APIError).status).toBe(status);
    expect((caught as APIError).type).toBe(type);
    expect((caught as APIError).message).toContain(error.message);
    if (status === 429) expect((caught as APIError).headers?.get('retry-after')).toBe('3');
  });
});
