import {
  ChatStream,
  NetworkError,
  RateLimitError,
  type StreamEvent,
  UpstreamServerError,
} from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { decodeStreamText } from '../test-support/stream-text.ts';
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
