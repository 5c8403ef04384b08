import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ChatResponse,
  collectStream,
  OverloadedError,
  RateLimitError,
  responseToEvents,
  type StreamEvent,
} from 'ai.matey.core';
import { fixturesDir } from 'ai.matey.fixtures';
import { describe, expect, it } from 'vitest';
import { decodeStreamText, encodeStreamText } from '../test-support/stream-text.ts';
import { anthropicMessages } from './index.ts';

async function* toAsync(events: StreamEvent[]): AsyncGenerator<StreamEvent> {
  yield* events;
}

function encodeAll(events: StreamEvent[]): string {
  return encodeStreamText(anthropicMessages, events);
}

function decodeSse(sse: string, provider = 'anthropic'): StreamEvent[] {
  return decodeStreamText(anthropicMessages, sse, { provider });
}

function decodeLines(payloads: unknown[]): StreamEvent[] {
  return decodeSse(
    payloads
      .map((payload) => `event: ${(payload as { type: string }).type}\ndata: ${JSON.stringify(payload)}\n\n`)
      .join(''),
  );
}

const start = {
  type: 'message_start',
  message: { id: 'msg_s', model: 'claude-x', content: [], usage: { input_tokens: 9, output_tokens: 1 } },
};

const richResponse: ChatResponse = {
  id: 'msg_01Rich',
  model: 'claude-sonnet-4-5',
  provider: 'anthropic',
  content: [
    { type: 'reasoning', text: 'Two cities, two calls.', signature: 'EvQBCkYICxgCKkAx+/=' },
    { type: 'reasoning', text: '', redactedData: 'EmwKAhgBEgy3va3pzix/LafPsn4a' },
    { type: 'text', text: 'Checking the weather.' },
    { type: 'tool-call', toolCallId: 'toolu_1', toolName: 'weather', arguments: '{"city":"Paris"}' },
    { type: 'tool-call', toolCallId: 'toolu_2', toolName: 'weather', arguments: '{}' },
  ],
  finishReason: 'tool-calls',
  rawFinishReason: 'tool_use',
  usage: {
    inputTokens: 150,
    outputTokens: 60,
    totalTokens: 210,
    cachedInputTokens: 100,
    cacheWriteTokens: 20,
  },
  warnings: [],
};

describe('anthropic-messages stream encoder', () => {
  it('writes exact Anthropic SSE, one whole signature per thinking block', () => {
    const sse = encodeAll([
      { type: 'start', id: 'msg_1', model: 'claude-x', provider: 'anthropic' },
      { type: 'reasoning-delta', index: 0, delta: 'Hm' },
      { type: 'reasoning-delta', index: 0, delta: '', signature: 'AB' },
      { type: 'reasoning-delta', index: 0, delta: '', signature: 'CD' },
      { type: 'text-delta', index: 1, delta: 'Hi' },
      { type: 'tool-call-start', index: 2, toolCallId: 'toolu_1', toolName: 'f' },
      { type: 'tool-call-delta', index: 2, toolCallId: 'toolu_1', argumentsDelta: '{"a":' },
      { type: 'tool-call-delta', index: 2, toolCallId: 'toolu_1', argumentsDelta: '1}' },
      { type: 'tool-call-end', index: 2, toolCallId: 'toolu_1', toolName: 'f', arguments: '{"a":1}' },
      { type: 'usage', usage: { inputTokens: 5, outputTokens: 1, totalTokens: 6 } },
      {
        type: 'finish',
        finishReason: 'tool-calls',
        usage: { inputTokens: 10, outputTokens: 7, totalTokens: 17 },
      },
    ]);
    const usage = '"cache_creation_input_tokens":null,"cache_read_input_tokens":null';
    expect(sse).toBe(
      [
        `event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0,${usage}}}}\n\n`,
        'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}\n\n',
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Hm"}}\n\n',
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"ABCD"}}\n\n',
        'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n',
        'event: content_block_start\ndata: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}\n\n',
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hi"}}\n\n',
        'event: content_block_stop\ndata: {"type":"content_block_stop","index":1}\n\n',
        'event: content_block_start\ndata: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_1","name":"f","input":{}}}\n\n',
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\\"a\\":"}}\n\n',
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"1}"}}\n\n',
        'event: content_block_stop\ndata: {"type":"content_block_stop","index":2}\n\n',
        `event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":10,"output_tokens":7,${usage}}}\n\n`,
        'event: message_stop\ndata: {"type":"message_stop"}\n\n',
      ].join(''),
    );
  });

  it('round-trips spec events through Anthropic SSE and back', async () => {
    const original = responseToEvents(richResponse);
    const decoded = decodeSse(encodeAll(original));
    expect(await collectStream(toAsync(decoded))).toEqual(await collectStream(toAsync(original)));
    expect(await collectStream(toAsync(decoded))).toEqual(richResponse);
  });

  it('sends a whole tool call that came without a start or deltas (an upstream that sends calls whole)', async () => {
    const decoded = decodeSse(
      encodeAll([
        { type: 'start', id: 'chatcmpl-9', model: 'gpt-x', provider: 'openai' },
        { type: 'tool-call-end', index: 0, toolCallId: 'call_1', toolName: 'f', arguments: '{"q":"x"}' },
        {
          type: 'finish',
          finishReason: 'tool-calls',
          usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 },
        },
      ]),
    );
    const reply = await collectStream(toAsync(decoded));
    expect(reply.id).toBe('msg_chatcmpl-9');
    expect(reply.content).toEqual([
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'f', arguments: '{"q":"x"}' },
    ]);
  });

  it('reports an error after the start as an Anthropic error event, and end() adds nothing', () => {
    const encoder = anthropicMessages.createStreamEncoder();
    encoder.encode({ type: 'start', id: 'msg_1', model: 'm', provider: 'anthropic' });
    const error = encoder.error(new OverloadedError({ message: 'Overloaded' }));
    expect(error).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
    );
    expect(encoder.end()).toBe('');
  });
});

describe('anthropic-messages stream decoder', () => {
  it('joins a signature split over several signature_delta events', async () => {
    const events = decodeLines([
      start,
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me see.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'first-half/' } },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'signature_delta', signature: 'second-half==' },
      },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'redacted_thinking', data: 'secret' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'some_future_event', detail: 1 },
      { type: 'ping' },
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: 4 },
      },
      { type: 'message_stop' },
    ]);
    const reply = await collectStream(toAsync(events));
    expect(reply.content).toEqual([
      { type: 'reasoning', text: 'Let me see.', signature: 'first-half/second-half==' },
      { type: 'reasoning', text: '', redactedData: 'secret' },
    ]);
    expect(reply.usage).toEqual({ inputTokens: 9, outputTokens: 4, totalTokens: 13 });
  });

  it('turns an in-stream overloaded error into an OverloadedError event and stops there', () => {
    const events = decodeLines([
      start,
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      { type: 'message_stop' },
    ]);
    expect(events.map((event) => event.type)).toEqual(['start', 'error']);
    const error = events[1]?.type === 'error' ? events[1].error : undefined;
    expect(OverloadedError.isInstance(error) && error.kind).toBe('overloaded');
    expect(error).toMatchObject({ status: 529, isRetryable: true, message: 'Overloaded' });
    expect(
      decodeLines([start, { type: 'error', error: { type: 'rate_limit_error', message: 'slow' } }])[1],
    ).toEqual({
      type: 'error',
      error: expect.any(RateLimitError),
    });
  });

  it('keeps a matched stop sequence, and encodes it back as stop_sequence', async () => {
    const events = decodeLines([
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'a b' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'stop_sequence', stop_sequence: '###' },
        usage: { output_tokens: 2 },
      },
      { type: 'message_stop' },
    ]);
    const reply = await collectStream(toAsync(events));
    expect(reply.finishReason).toBe('stop');
    expect(reply.providerMetadata).toEqual({ anthropic: { stopSequence: '###' } });
    expect(anthropicMessages.encodeResponse(reply)).toMatchObject({
      stop_reason: 'stop_sequence',
      stop_sequence: '###',
    });
  });
});

describe('anthropic-messages responses', () => {
  it('round-trips a response through encodeResponse and decodeResponse', () => {
    const body = anthropicMessages.encodeResponse(richResponse);
    expect(body).toMatchObject({
      id: 'msg_01Rich',
      type: 'message',
      role: 'assistant',
      stop_reason: 'tool_use',
      usage: {
        input_tokens: 30,
        output_tokens: 60,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 20,
      },
    });
    expect(anthropicMessages.decodeResponse(body, { provider: 'anthropic' })).toEqual(richResponse);
  });

  it('answers a JSON-mode reply from another provider with end_turn, not tool_use', () => {
    const body = anthropicMessages.encodeResponse({
      ...richResponse,
      content: [{ type: 'text', text: '{"a":1}' }],
      finishReason: 'stop',
      rawFinishReason: 'tool_use',
    });
    expect(body.stop_reason).toBe('end_turn');
  });

  it('sends thinking back with its signature on the next turn (multi-turn thinking)', async () => {
    const fixture = join(fixturesDir(), 'anthropic-messages', 'anthropic-clear-thinking.1.json');
    const recorded = JSON.parse(readFileSync(fixture, 'utf8'));
    const reply = anthropicMessages.decodeResponse(recorded, { provider: 'anthropic' });
    const streamed = await collectStream(
      toAsync(
        decodeLines([
          start,
          {
            type: 'content_block_start',
            index: 0,
            content_block: { type: 'thinking', thinking: '', signature: '' },
          },
          { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'More.' } },
          { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'Zm9v' } },
          { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'YmFy' } },
          { type: 'content_block_stop', index: 0 },
          { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } },
          { type: 'message_stop' },
        ]),
      ),
    );
    const { body, warnings } = anthropicMessages.encodeRequest(
      {
        messages: [
          { role: 'user', content: 'What is 925 / 5?' },
          { role: 'assistant', content: reply.content },
          { role: 'user', content: 'And again?' },
          { role: 'assistant', content: streamed.content },
          { role: 'user', content: 'Thanks.' },
        ],
        reasoning: { budgetTokens: 1024 },
      },
      { model: 'claude-sonnet-4-5', stream: false },
    );
    expect(warnings).toEqual([]);
    const messages = body.messages as Array<{ content: unknown }>;
    expect(messages[1]?.content).toEqual([
      { type: 'thinking', thinking: recorded.content[0].thinking, signature: recorded.content[0].signature },
      { type: 'text', text: '925 ÷ 5 = 185' },
    ]);
    expect(messages[3]?.content).toEqual([{ type: 'thinking', thinking: 'More.', signature: 'Zm9vYmFy' }]);
  });
});
