import {
  type ChatResponse,
  ChatStream,
  RateLimitError,
  responseToEvents,
  type StreamEvent,
} from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { decodeStreamText, encodeStreamText } from '../test-support/stream-text.ts';
import { openaiChat } from './index.ts';

function decodeSse(text: string, provider = 'openai'): StreamEvent[] {
  return decodeStreamText(openaiChat, text, { provider });
}

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

describe('OpenAI chunk text', () => {
  it('is each chunk stringified whole, also when the model arrives after the first chunk', () => {
    const encoder = openaiChat.createStreamEncoder();
    const text = [
      encoder.encode({ type: 'text-delta', index: 0, delta: 'before "start"\n' }),
      encoder.encode({ type: 'start', id: 'chatcmpl-x', model: 'gpt-4o', provider: 'openai' }),
      encoder.encode({ type: 'text-delta', index: 0, delta: 'après ✓' }),
      encoder.encode({
        type: 'finish',
        finishReason: 'stop',
        usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 },
      }),
    ].join('');
    const chunks = text
      .split('\n\n')
      .filter(Boolean)
      .map((event) => {
        expect(event.startsWith('data: ')).toBe(true);
        expect(event.slice(6)).not.toContain('\n');
        return JSON.parse(event.slice(6));
      });
    // Key order and values as JSON.stringify of the whole chunk would give them.
    for (const chunk of chunks) {
      expect(Object.keys(chunk)).toEqual(['id', 'object', 'created', 'model', 'choices']);
      expect(Object.keys(chunk.choices[0])).toEqual(['index', 'delta', 'logprobs', 'finish_reason']);
    }
    expect(chunks.map((chunk) => chunk.model)).toEqual(['', 'gpt-4o', 'gpt-4o', 'gpt-4o']);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: 'before "start"\n' });
    expect(chunks[2].choices[0].delta).toEqual({ content: 'après ✓' });
    expect(chunks[3].choices[0].finish_reason).toBe('stop');
    expect(
      text
        .split('\n\n')
        .filter(Boolean)
        .map((event) => event.slice(6)),
    ).toEqual(chunks.map((chunk) => JSON.stringify(chunk)));
  });
});
