/**
 * The recorded Bedrock Converse replies in packages/fixtures/recorded/bedrock-converse (recorded
 * by the Vercel AI SDK, Apache 2.0), decoded as the backend does: JSON bodies through
 * `decodeResponse`; streams framed as Bedrock sends them (one binary event-stream frame per
 * line), cut at awkward byte offsets, through the frame reader and the stream decoder.
 */
import {
  type ChatRequest,
  type ChatResponse,
  collectStream,
  RateLimitError,
  type StreamEvent,
} from 'ai.matey.core';
import { readFixture } from 'ai.matey.fixtures';
import { describe, expect, it } from 'vitest';
import { eventStreamFraming } from '../event-stream/event-stream-framing.ts';
import { bedrockConverse } from './index.ts';

const context = { provider: 'bedrock' };

function frames(name: string): Uint8Array {
  const chunks = readFixture('bedrock-converse', name).chunks ?? [];
  return eventStreamFraming.frame(chunks.map((line) => `data: ${line}\n\n`).join(''));
}

function decodeBytes(bytes: Uint8Array, splitEvery: number, request?: ChatRequest): StreamEvent[] {
  const reader = eventStreamFraming.createReader();
  const decoder = bedrockConverse.createStreamDecoder(request ? { ...context, request } : context);
  const events: StreamEvent[] = [];
  for (let at = 0; at < bytes.length; at += splitEvery)
    for (const event of reader.push(bytes.subarray(at, at + splitEvery))) events.push(...decoder.push(event));
  for (const event of reader.end()) events.push(...decoder.push(event));
  events.push(...decoder.end());
  return events;
}

async function collect(events: StreamEvent[]): Promise<ChatResponse> {
  return collectStream(
    (async function* () {
      yield* events;
    })(),
  );
}

describe('bedrock-converse fixtures: whole replies', () => {
  it('amazon-bedrock-text.json: text, end_turn, usage with the zero cache counters', () => {
    const reply = bedrockConverse.decodeResponse(
      readFixture('bedrock-converse', 'amazon-bedrock-text').json,
      context,
    );
    expect(reply.content).toEqual([
      {
        type: 'text',
        text: 'Let me count the "r"s in "strawberry":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** "r"s in "strawberry."',
      },
    ]);
    expect(reply.finishReason).toBe('stop');
    expect(reply.rawFinishReason).toBe('end_turn');
    expect(reply.usage).toEqual({
      inputTokens: 22,
      outputTokens: 57,
      totalTokens: 79,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
    });
    expect(reply.providerMetadata?.bedrock?.metrics).toEqual({ latencyMs: 1864 });
  });

  it('amazon-bedrock-reasoning.json: reasoning with its signature, then text', () => {
    const reply = bedrockConverse.decodeResponse(
      readFixture('bedrock-converse', 'amazon-bedrock-reasoning').json,
      context,
    );
    expect(reply.content[0]).toMatchObject({
      type: 'reasoning',
      text: expect.stringContaining('s-t-r-a-w-b-e-r-r-y'),
      signature: expect.stringMatching(/^EvYBCkgICxAB/),
    });
    expect(reply.content[1]).toMatchObject({
      type: 'text',
      text: expect.stringContaining('There are **3**'),
    });
    expect(reply.usage.outputTokens).toBe(78);
  });

  it('amazon-bedrock-tool-call.1.json: a tool call with its input as JSON text', () => {
    const reply = bedrockConverse.decodeResponse(
      readFixture('bedrock-converse', 'amazon-bedrock-tool-call.1').json,
      context,
    );
    expect(reply.content).toEqual([
      { type: 'tool-call', toolCallId: 'tool-use-id', toolName: 'bash', arguments: '{"command":"ls -l"}' },
    ]);
    expect(reply.finishReason).toBe('tool-calls');
  });

  it('amazon-bedrock-json-tool.1.json: in JSON mode the json tool is the text answer, finishing as stop', () => {
    const request: ChatRequest = {
      messages: [{ role: 'user', content: 'weather' }],
      responseFormat: { type: 'json' },
    };
    const reply = bedrockConverse.decodeResponse(
      readFixture('bedrock-converse', 'amazon-bedrock-json-tool.1').json,
      { ...context, request },
    );
    expect(reply.content).toHaveLength(1);
    expect(JSON.parse((reply.content[0] as { text: string }).text).elements[1].location).toBe('London');
    expect(reply.finishReason).toBe('stop');
  });

  it('a spec response encodes back to the recorded body and decodes to itself', () => {
    const reply = bedrockConverse.decodeResponse(
      readFixture('bedrock-converse', 'amazon-bedrock-reasoning').json,
      context,
    );
    const again = bedrockConverse.decodeResponse(bedrockConverse.encodeResponse(reply), context);
    expect({ ...again, id: '' }).toEqual({ ...reply, id: '' });
  });
});

describe('bedrock-converse fixtures: streams as binary event-stream frames', () => {
  it.each([1, 7, 64, 4096])(
    'amazon-bedrock-text (split every %i bytes) collects to the recorded text',
    async (split) => {
      const reply = await collect(decodeBytes(frames('amazon-bedrock-text'), split));
      expect(reply.content).toEqual([
        {
          type: 'text',
          text: 'Let me count the "r"s in "strawberry":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** r\'s in "strawberry."',
        },
      ]);
      expect(reply.finishReason).toBe('stop');
      expect(reply.usage).toEqual({ inputTokens: 22, outputTokens: 55, totalTokens: 77 });
    },
  );

  it('amazon-bedrock-reasoning: reasoning deltas then the signature, then text', async () => {
    const events = decodeBytes(frames('amazon-bedrock-reasoning'), 33);
    const signed = events.filter(
      (event) => event.type === 'reasoning-delta' && event.signature !== undefined,
    );
    expect(signed).toHaveLength(1);
    const reply = await collect(events);
    expect(reply.content[0]).toMatchObject({
      type: 'reasoning',
      text: 'Let me count the r\'s in "strawberry":\n\ns-t-r-a-w-b-e-r-r-y\n\nr appears at positions 3, 8, and 9.\n\nSo there are 3 r\'s.',
      signature: expect.stringMatching(/^Ep0CCkgICxAB.*GAE=$/),
    });
    expect(reply.content[1]).toMatchObject({
      type: 'text',
      text: 'There are **3** r\'s in "strawberry":\n\n1. st**r**awbe**r****r**y',
    });
    expect(reply.usage.outputTokens).toBe(94);
  });

  it('amazon-bedrock-tool-call.1: arguments streamed in pieces; metadata before messageStop', async () => {
    const events = decodeBytes(frames('amazon-bedrock-tool-call.1'), 5);
    expect(
      events
        .filter((event) => event.type === 'tool-call-delta')
        .map((event) => (event as { argumentsDelta: string }).argumentsDelta),
    ).toEqual(['{"value":', '"Sparkle Day"}']);
    const reply = await collect(events);
    expect(reply.content).toEqual([
      {
        type: 'tool-call',
        toolCallId: 'tool-use-id',
        toolName: 'test-tool',
        arguments: '{"value":"Sparkle Day"}',
      },
    ]);
    expect(reply.finishReason).toBe('tool-calls');
    expect(reply.usage).toEqual({ inputTokens: 125, outputTokens: 45, totalTokens: 170 });
  });

  it('amazon-bedrock-tool-no-args: text then a call whose empty input is {}', async () => {
    const reply = await collect(decodeBytes(frames('amazon-bedrock-tool-no-args'), 100));
    expect(reply.content).toEqual([
      { type: 'text', text: "I'll update the issue list for you." },
      { type: 'tool-call', toolCallId: 'tool-use-id', toolName: 'updateIssueList', arguments: '{}' },
    ]);
  });

  it('amazon-bedrock-json-only-text-first.1: in JSON mode, text then the json tool as text', async () => {
    const request: ChatRequest = {
      messages: [{ role: 'user', content: 'x' }],
      responseFormat: { type: 'json' },
    };
    const reply = await collect(decodeBytes(frames('amazon-bedrock-json-only-text-first.1'), 9, request));
    expect(reply.content).toEqual([
      { type: 'text', text: 'Here is your data:' },
      { type: 'text', text: '{"name":"John"}' },
    ]);
    expect(reply.finishReason).toBe('stop');
  });

  it('a stream cut before messageStop ends with a NetworkError', () => {
    const lines = (readFixture('bedrock-converse', 'amazon-bedrock-text').chunks ?? []).slice(0, 5);
    const events = decodeBytes(
      eventStreamFraming.frame(lines.map((line) => `data: ${line}\n\n`).join('')),
      50,
    );
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { kind: 'network' } });
  });

  it('an exception frame (throttlingException) ends the stream with a retryable RateLimitError', () => {
    const bytes = eventStreamFraming.frame(
      'data: {"messageStart":{"role":"assistant"}}\n\ndata: {"throttlingException":{"message":"Too many tokens, please wait before trying again."}}\n\n',
    );
    const events = decodeBytes(bytes, 11);
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    const error = (last as { error: unknown }).error;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({
      isRetryable: true,
      code: 'ThrottlingException',
      message: 'Too many tokens, please wait before trying again.',
    });
  });

  it('a frame with a broken checksum is refused as a malformed stream', () => {
    const bytes = frames('amazon-bedrock-text');
    bytes[20] = (bytes[20] ?? 0) ^ 0xff;
    expect(() => decodeBytes(bytes, 4096)).toThrow(/does not decode/);
  });
});
