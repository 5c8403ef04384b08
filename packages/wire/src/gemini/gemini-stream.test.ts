import {
  type ChatResponse,
  collectStream,
  OverloadedError,
  RateLimitError,
  responseToEvents,
  type StreamEvent,
} from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { parseSse, SseParser } from '../sse/sse-parser.ts';
import { encodeStreamText } from '../test-support/stream-text.ts';
import { gemini } from './index.ts';

const context = { provider: 'google' };

const reply: ChatResponse = {
  id: 'resp-9',
  model: 'gemini-2.5-pro',
  provider: 'google',
  content: [
    {
      type: 'reasoning',
      text: 'Think first.',
      signature: 's1',
      providerMetadata: { gemini: { thoughtSignature: 's1' } },
    },
    { type: 'text', text: 'Two calls coming.', providerMetadata: { gemini: { thoughtSignature: 's2' } } },
    {
      type: 'tool-call',
      toolCallId: 'call_x',
      toolName: 'lookup',
      arguments: '{"q":"a"}',
      providerMetadata: { gemini: { thoughtSignature: 's3' } },
    },
    { type: 'tool-call', toolCallId: 'call_y', toolName: 'lookup', arguments: '{}' },
    { type: 'text', text: 'Done.' },
  ],
  finishReason: 'tool-calls',
  rawFinishReason: 'STOP',
  usage: { inputTokens: 10, outputTokens: 30, totalTokens: 40, reasoningTokens: 12 },
  warnings: [],
};

/** Spec events through the Gemini stream encoder, as SSE text. */
function encodeStream(events: StreamEvent[]): string {
  return encodeStreamText(gemini, events);
}

async function decodeText(text: string): Promise<StreamEvent[]> {
  const decoder = gemini.createStreamDecoder(context);
  const events: StreamEvent[] = [];
  for await (const sse of parseSse(fromText(text))) events.push(...decoder.push(sse));
  events.push(...decoder.end());
  return events;
}

async function* fromText(text: string): AsyncGenerator<string> {
  yield text;
}

async function collect(events: StreamEvent[]): Promise<ChatResponse> {
  return collectStream(
    (async function* () {
      yield* events;
    })(),
  );
}

describe('gemini stream encoder and decoder', () => {
  it('events → encoder → SSE → decoder → collect gives back the original response', async () => {
    const events = responseToEvents(reply);
    // Deltas in pieces, and usage reported midway, as a live stream would.
    events.splice(
      2,
      1,
      { type: 'text-delta', index: 1, delta: 'Two calls ' },
      {
        type: 'text-delta',
        index: 1,
        delta: 'coming.',
        providerMetadata: { gemini: { thoughtSignature: 's2' } },
      },
    );
    events.splice(1, 0, { type: 'usage', usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 } });
    const text = encodeStream(events);
    expect(text.endsWith('\n\n')).toBe(true);
    expect(text).not.toContain('[DONE]');
    expect(await collect(await decodeText(text))).toEqual(reply);
  });

  it('matches the non-streamed codec: the collected stream equals decodeResponse(encodeResponse(reply))', async () => {
    const streamed = await collect(await decodeText(encodeStream(responseToEvents(reply))));
    const whole = gemini.decodeResponse(gemini.encodeResponse(reply), context);
    expect(streamed).toEqual(whole);
  });

  it('writes every chunk as a GenerateContentResponse and a tool call as one whole functionCall part', () => {
    const text = encodeStream(responseToEvents(reply));
    const chunks = text
      .trim()
      .split('\n\n')
      .map((frame) => JSON.parse(frame.replace(/^data: /, '')));
    for (const chunk of chunks) {
      expect(chunk.responseId).toBe('resp-9');
      expect(chunk.modelVersion).toBe('gemini-2.5-pro');
    }
    const parts = chunks.flatMap((chunk) => chunk.candidates[0].content.parts);
    expect(parts).toContainEqual({
      functionCall: { id: 'call_x', name: 'lookup', args: { q: 'a' } },
      thoughtSignature: 's3',
    });
    expect(parts).toContainEqual({ text: 'Think first.', thought: true, thoughtSignature: 's1' });
    const last = chunks.at(-1);
    expect(last.candidates[0].finishReason).toBe('STOP');
    expect(last.usageMetadata).toEqual({
      promptTokenCount: 10,
      candidatesTokenCount: 18,
      thoughtsTokenCount: 12,
      totalTokenCount: 40,
    });
  });

  it('emits the finish only when the stream ends, since Gemini sends no end marker', () => {
    const decoder = gemini.createStreamDecoder(context);
    const events = decoder.push({
      data: JSON.stringify({ candidates: [{ content: { parts: [{ text: 'Hi' }] }, finishReason: 'STOP' }] }),
    });
    expect(events.map((event) => event.type)).toEqual(['start', 'text-delta']);
    expect(decoder.end()).toEqual([
      {
        type: 'finish',
        finishReason: 'stop',
        rawFinishReason: 'STOP',
        usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
      },
    ]);
  });

  it('an error after the stream started goes out as a Google error chunk and comes back typed', async () => {
    const encoder = gemini.createStreamEncoder();
    const text =
      encoder.encode({ type: 'start', id: 'r', model: 'm', provider: 'google' }) +
      encoder.encode({ type: 'text-delta', index: 0, delta: 'partial' }) +
      encoder.error(new RateLimitError({ message: 'slow down', retryAfterMs: 1500 }));
    expect(text).toContain('"status":"RESOURCE_EXHAUSTED"');
    const events = await decodeText(text);
    expect(events.map((event) => event.type)).toEqual(['start', 'text-delta', 'error']);
    const last = events.at(-1);
    expect(last?.type === 'error' && last.error).toBeInstanceOf(RateLimitError);
    expect(last?.type === 'error' && last.error.retryAfterMs).toBe(1500);
    await expect(collect(events)).rejects.toThrow('slow down');
  });

  it('reads an in-stream error object as an error event and nothing after it', () => {
    const decoder = gemini.createStreamDecoder(context);
    const parser = new SseParser();
    const [event] = parser.push(
      'data: {"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}\n\n',
    );
    if (!event) throw new Error('no event');
    const events = decoder.push(event);
    expect(events).toHaveLength(1);
    expect(events[0]?.type === 'error' && events[0].error).toBeInstanceOf(OverloadedError);
    expect(decoder.end()).toEqual([]);
  });

  it('streams a blocked prompt as a content-filter finish both ways', async () => {
    const events = await decodeText(
      `data: ${JSON.stringify({ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 3, totalTokenCount: 3 }, responseId: 'b' })}\n\n`,
    );
    const response = await collect(events);
    expect(response.finishReason).toBe('content-filter');
    expect(response.rawFinishReason).toBe('SAFETY');
    expect(response.content).toEqual([]);
    const again = await collect(await decodeText(encodeStream(events)));
    expect(again).toEqual(response);
  });

  it('an empty stream is an error, never a silent empty reply', () => {
    const decoder = gemini.createStreamDecoder(context);
    const [event] = decoder.end();
    expect(event?.type === 'error' && event.error.kind).toBe('network');
  });
});
