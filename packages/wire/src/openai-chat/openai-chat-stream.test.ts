import {
  type ChatResponse,
  ChatStream,
  NetworkError,
  RateLimitError,
  responseToEvents,
  type StreamEvent,
  UpstreamServerError,
} from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { decodeStreamText, encodeStreamText } from '../test-support/stream-text.ts';
import { openaiChat } from './index.ts';

function decodeSse(text: string, provider = 'openai'): StreamEvent[] {
  return decodeStreamText(openaiChat, text, { provider });
}

function sse(chunks: unknown[], done = true): string {
  return (
    chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('') + (done ? 'data: [DONE]\n\n' : '')
  );
}

function chunk(delta: Record<string, unknown>, finishReason: string | null = null, usage: unknown = null) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4o',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    usage,
  };
}

const usageChunk = {
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'gpt-4o',
  choices: [],
  usage: {
    prompt_tokens: 50,
    completion_tokens: 20,
    total_tokens: 70,
    prompt_tokens_details: { cached_tokens: 10 },
    completion_tokens_details: { reasoning_tokens: 5 },
  },
};

/** OpenAI's parallel tool calls: id and name in the first fragment, then interleaved argument pieces. */
const parallelCalls = [
  chunk({ role: 'assistant', content: '' }),
  chunk({ content: 'Checking.' }),
  chunk({
    tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'weather', arguments: '' } }],
  }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"location":' } }] }),
  chunk({
    tool_calls: [
      { index: 1, id: 'call_b', type: 'function', function: { name: 'time', arguments: '{"tz"' } },
    ],
  }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: ' "Paris"}' } }] }),
  chunk({ tool_calls: [{ index: 1, function: { arguments: ':"CET"}' } }] }),
  chunk({}, 'tool_calls'),
  usageChunk,
];

describe('openai-chat stream decoder', () => {
  it('reassembles interleaved parallel tool calls by index, after the text', async () => {
    const events = decodeSse(sse(parallelCalls));
    expect(events.map((event) => `${event.type}${'index' in event ? `:${event.index}` : ''}`)).toEqual([
      'start',
      'text-delta:0',
      'tool-call-start:1',
      'tool-call-delta:1',
      'tool-call-start:2',
      'tool-call-delta:2',
      'tool-call-delta:1',
      'tool-call-delta:2',
      'tool-call-end:1',
      'tool-call-end:2',
      'finish',
    ]);
    const response = await ChatStream.from(events).collect();
    expect(response.content).toEqual([
      { type: 'text', text: 'Checking.' },
      { type: 'tool-call', toolCallId: 'call_a', toolName: 'weather', arguments: '{"location":"Paris"}' },
      { type: 'tool-call', toolCallId: 'call_b', toolName: 'time', arguments: '{"tz":"CET"}' },
    ]);
    expect(response.finishReason).toBe('tool-calls');
    expect(response.usage).toEqual({
      inputTokens: 50,
      outputTokens: 20,
      totalTokens: 70,
      cachedInputTokens: 10,
      reasoningTokens: 5,
    });
  });

  it('finishes at end() when a finish reason came but [DONE] did not', () => {
    const events = decodeSse(sse([chunk({ content: 'Hi' }), chunk({}, 'stop')], false));
    expect(events.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' });
  });

  it('reports a stream cut off before any finish as a NetworkError', () => {
    const events = decodeSse(sse([chunk({ content: 'Hi' })], false));
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    if (last?.type !== 'error') return;
    expect(NetworkError.isInstance(last.error) && last.error.kind).toBe('network');
    expect(last.error.message).toMatch(/stream ended before it completed/i);
    expect(events.some((event) => event.type === 'finish')).toBe(false);
  });

  it('turns an in-stream error payload into a typed error event and stops there', () => {
    const text =
      sse([chunk({ content: 'Hi' })], false) +
      'data: {"error":{"message":"Rate limit reached","type":"rate_limit_error","param":null,"code":"rate_limit_exceeded"}}\n\n' +
      sse([chunk({ content: 'ignored' }, 'stop')]);
    const events = decodeSse(text);
    expect(events.map((event) => event.type)).toEqual(['start', 'text-delta', 'error']);
    const error = events[2]?.type === 'error' ? events[2].error : undefined;
    expect(RateLimitError.isInstance(error) && error.kind === 'rate-limited').toBe(true);
    expect(error?.code).toBe('rate_limit_exceeded');
  });

  it('reports malformed JSON as UpstreamServerError malformed_stream', () => {
    const events = decodeSse(`${sse([chunk({ content: 'Hi' })], false)}data: {"id": oops\n\n`);
    const last = events.at(-1);
    expect(last?.type === 'error' && UpstreamServerError.isInstance(last.error) && last.error.code).toBe(
      'malformed_stream',
    );
  });

  it('streams a refusal as marked text with a content-filter finish', async () => {
    const events = decodeSse(
      sse([
        chunk({ role: 'assistant', refusal: "I can't" }),
        chunk({ refusal: ' help.' }),
        chunk({}, 'stop'),
      ]),
    );
    const response = await ChatStream.from(events).collect();
    expect(response.content).toEqual([
      { type: 'text', text: "I can't help.", providerMetadata: { openai: { refusal: true } } },
    ]);
    expect(response.finishReason).toBe('content-filter');
  });
});

/** A reply with every kind of part, streamed as a provider would: several deltas per part. */
const reply: ChatResponse = {
  id: 'chatcmpl-roundtrip',
  model: 'gpt-4o',
  provider: 'openai',
  content: [
    { type: 'reasoning', text: 'Paris and Rome need two calls.' },
    { type: 'text', text: 'Checking both cities.' },
    { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', arguments: '{"location":"Paris"}' },
    { type: 'tool-call', toolCallId: 'call_2', toolName: 'weather', arguments: '{"location":"Rome"}' },
  ],
  finishReason: 'tool-calls',
  rawFinishReason: 'tool_calls',
  usage: { inputTokens: 30, outputTokens: 25, totalTokens: 55, cachedInputTokens: 0, reasoningTokens: 7 },
  warnings: [],
};

const replyEvents: StreamEvent[] = [
  { type: 'start', id: 'chatcmpl-roundtrip', model: 'gpt-4o', provider: 'openai' },
  { type: 'reasoning-delta', index: 0, delta: 'Paris and Rome ' },
  { type: 'reasoning-delta', index: 0, delta: 'need two calls.' },
  { type: 'text-delta', index: 1, delta: 'Checking ' },
  { type: 'text-delta', index: 1, delta: 'both cities.' },
  { type: 'tool-call-start', index: 2, toolCallId: 'call_1', toolName: 'weather' },
  { type: 'tool-call-delta', index: 2, toolCallId: 'call_1', argumentsDelta: '{"location":' },
  { type: 'tool-call-start', index: 3, toolCallId: 'call_2', toolName: 'weather' },
  { type: 'tool-call-delta', index: 3, toolCallId: 'call_2', argumentsDelta: '{"location":"Rome"}' },
  { type: 'tool-call-delta', index: 2, toolCallId: 'call_1', argumentsDelta: '"Paris"}' },
  {
    type: 'tool-call-end',
    index: 2,
    toolCallId: 'call_1',
    toolName: 'weather',
    arguments: '{"location":"Paris"}',
  },
  {
    type: 'tool-call-end',
    index: 3,
    toolCallId: 'call_2',
    toolName: 'weather',
    arguments: '{"location":"Rome"}',
  },
  { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls', usage: reply.usage },
];

function encodeAll(events: StreamEvent[], includeUsage: boolean): string {
  return encodeStreamText(openaiChat, events, { includeUsage });
}

function dataLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n\n')
    .filter((frame) => frame !== '' && frame !== 'data: [DONE]')
    .map((frame) => JSON.parse(frame.slice('data: '.length)) as Record<string, unknown>);
}

describe('openai-chat stream encoder', () => {
  it('writes OpenAI chunk framing: role first, per-call tool indexes, finish, usage, [DONE]', () => {
    const text = encodeAll(replyEvents, true);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    for (const frame of text.split('\n\n').filter(Boolean)) expect(frame).toMatch(/^data: /);
    const chunks = dataLines(text);
    for (const each of chunks) {
      expect(each).toMatchObject({
        id: 'chatcmpl-roundtrip',
        object: 'chat.completion.chunk',
        model: 'gpt-4o',
      });
      expect(typeof each.created).toBe('number');
    }
    const deltas = chunks.map(
      (each) => (each.choices as Array<{ delta: Record<string, unknown> }>)[0]?.delta,
    );
    expect(deltas[0]).toEqual({ role: 'assistant', content: '' });
    expect(deltas.slice(1).every((delta) => delta === undefined || !('role' in delta))).toBe(true);
    expect(deltas[1]).toEqual({ reasoning_content: 'Paris and Rome ' });
    expect(deltas[3]).toEqual({ content: 'Checking ' });
    expect(deltas[5]).toEqual({
      tool_calls: [
        { index: 0, id: 'call_1', type: 'function', function: { name: 'weather', arguments: '' } },
      ],
    });
    expect(deltas[7]).toEqual({
      tool_calls: [
        { index: 1, id: 'call_2', type: 'function', function: { name: 'weather', arguments: '' } },
      ],
    });
    expect(deltas[8]).toEqual({ tool_calls: [{ index: 1, function: { arguments: '{"location":"Rome"}' } }] });
    const finishChunk = chunks.at(-2) as { choices: Array<{ finish_reason: string; delta: unknown }> };
    expect(finishChunk.choices[0]).toMatchObject({ delta: {}, finish_reason: 'tool_calls' });
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: 30,
        completion_tokens: 25,
        total_tokens: 55,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 7 },
      },
    });
  });

  it('sends no usage chunk unless asked to', () => {
    const chunks = dataLines(encodeAll(replyEvents, false));
    expect(chunks.every((each) => (each.choices as unknown[]).length === 1 && !('usage' in each))).toBe(true);
  });

  it('round-trips: events → SSE → parser → decoder → the original response', async () => {
    const events = decodeSse(encodeAll(replyEvents, true));
    expect(await ChatStream.from(events).collect()).toEqual(reply);
  });

  it('round-trips a refusal and a plain text reply', async () => {
    const refusal: ChatResponse = {
      id: 'chatcmpl-r',
      model: 'gpt-4o',
      provider: 'openai',
      content: [{ type: 'text', text: 'No.', providerMetadata: { openai: { refusal: true } } }],
      finishReason: 'content-filter',
      rawFinishReason: 'content_filter',
      usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
      warnings: [],
    };
    const decoded = await ChatStream.from(decodeSse(encodeAll(responseToEvents(refusal), true))).collect();
    expect(decoded).toEqual(refusal);
  });

  it('sends a tool call that arrives whole (no start, no deltas)', async () => {
    const events: StreamEvent[] = [
      { type: 'start', id: 'chatcmpl-w', model: 'm', provider: 'openai' },
      { type: 'tool-call-end', index: 0, toolCallId: 'c', toolName: 'f', arguments: '{"a":1}' },
      {
        type: 'finish',
        finishReason: 'tool-calls',
        usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
      },
    ];
    const response = await ChatStream.from(decodeSse(encodeAll(events, true))).collect();
    expect(response.content).toEqual([
      { type: 'tool-call', toolCallId: 'c', toolName: 'f', arguments: '{"a":1}' },
    ]);
  });

  it('reports an error as an OpenAI error payload with no [DONE]', () => {
    const encoder = openaiChat.createStreamEncoder();
    const text = encoder.error(
      new RateLimitError({ message: 'Too many requests', code: 'rate_limit_exceeded', retryAfterMs: 1500 }),
    );
    expect(text).toBe(
      'data: {"error":{"message":"Too many requests","type":"rate_limit_error","param":null,"code":"rate_limit_exceeded"}}\n\n',
    );
    const decoded = decodeSse(text, 'openai');
    expect(decoded).toHaveLength(1);
    expect(decoded[0]?.type === 'error' && decoded[0].error.kind).toBe('rate-limited');
  });
});
