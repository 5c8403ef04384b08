/**
 * Every recorded Anthropic reply in `packages/fixtures/recorded/anthropic-messages` (see its README),
 * decoded: streams are framed as Anthropic sends them, split at awkward places, and read
 * through `SseParser` and the stream decoder.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import { type ChatRequest, type ChatResponse, collectStream, type StreamEvent } from 'ai.matey.core';
import { fixturesDir } from 'ai.matey.fixtures';
import { describe, expect, it } from 'vitest';
import type { DecodeContext } from '../codec.ts';
import { decodeStreamText } from '../test-support/stream-text.ts';
import { anthropicMessages } from './index.ts';

const FIXTURES = resolve(fixturesDir(), 'anthropic-messages');

function read(file: string): string {
  return readFileSync(join(FIXTURES, file), 'utf8');
}

function lines(file: string): string[] {
  return read(file)
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
}

/** The README's framing: `event: TYPE`, `data: LINE`, a blank line; no terminator. */
function frame(file: string): string {
  return lines(file)
    .map((line) => `event: ${(JSON.parse(line) as { type: string }).type}\ndata: ${line}\n\n`)
    .join('');
}

/** The stream's events, the SSE text fed in 37-character pieces (splitting lines and fields). */
function decodeStream(file: string, context: DecodeContext): StreamEvent[] {
  return decodeStreamText(anthropicMessages, frame(file), context, 37);
}

async function collect(
  file: string,
  context: DecodeContext = { provider: 'anthropic' },
): Promise<ChatResponse> {
  return collectStream(toAsync(decodeStream(file, context)));
}

async function* toAsync(events: StreamEvent[]): AsyncGenerator<StreamEvent> {
  yield* events;
}

function decodeJson(file: string, context: DecodeContext = { provider: 'anthropic' }): ChatResponse {
  return anthropicMessages.decodeResponse(JSON.parse(read(file)), context);
}

/** The same stream accumulated by the official SDK's `MessageStream` into a whole Message. */
async function sdkFinalMessage(file: string): Promise<unknown> {
  const bytes = new TextEncoder().encode(read(file));
  const stream = MessageStream.fromReadableStream(
    new ReadableStream({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    }),
  );
  return stream.finalMessage();
}

const jsonRequest: ChatRequest = {
  messages: [{ role: 'user', content: 'Weather as JSON' }],
  responseFormat: { type: 'json-schema', schema: { type: 'object' } },
};

const clearThinkingSignature =
  'EvQBCkYICxgCKkAxhD4NUKFzudtZ6NzbZdEiBACIScTzqjPViM596iWLZIk4EFKYYBj3B6Ptl3b0dcQv/VeJBNbejNWIWRBn+KPNEgz6HWtKx7p+QRgKsEoaDGjsiqfht7gTRFYHiyIwD1VSmNqHxv3wy8KEMP+LYb/TC4UH3H97tuoaADARFFcA0phdfxnzKQxFnc9lwY+dKlzUsaKSUAFeu1bDL5ikZJ1vL0Fkz6JjoFke0L/wOJRIUDUlDUOFJ1tZ3ea7g6LGE/5hwuvWgLwewdcm64d+43l7F57XrOmqNd6flI2K/oPr/4yzNgvi/EhT6Ca17BgB';

/** What each recorded file must decode to. A new fixture fails the coverage test until added. */
const expectations: Record<string, () => Promise<void>> = {
  'anthropic-text.chunks.txt': async () => {
    const reply = await collect('anthropic-text.chunks.txt');
    expect(reply.id).toBe('msg_01QC4g3HwBThD4BaNtBckFDJ');
    expect(reply.model).toBe('claude-sonnet-4-5-20250929');
    expect(reply.content).toEqual([
      {
        type: 'text',
        text: "Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?",
      },
    ]);
    expect(reply.finishReason).toBe('stop');
    expect(reply.rawFinishReason).toBe('end_turn');
    expect(reply.usage).toEqual({
      inputTokens: 12,
      outputTokens: 30,
      totalTokens: 42,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
    });
  },
  'anthropic-text.json': async () => {
    const reply = decodeJson('anthropic-text.json');
    expect(reply.content).toEqual([
      {
        type: 'text',
        text: "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?",
      },
    ]);
    expect(reply.finishReason).toBe('stop');
    expect(reply.usage).toMatchObject({ inputTokens: 12, outputTokens: 29, totalTokens: 41 });
  },
  'anthropic-clear-thinking.1.chunks.txt': async () => {
    const reply = await collect('anthropic-clear-thinking.1.chunks.txt');
    expect(reply.content).toEqual([
      {
        type: 'reasoning',
        text: 'The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185',
        signature: clearThinkingSignature,
      },
      { type: 'text', text: '925 ÷ 5 = 185' },
    ]);
    expect(reply.usage).toMatchObject({ inputTokens: 69, outputTokens: 53 });
    expect(reply.finishReason).toBe('stop');
  },
  'anthropic-clear-thinking.1.json': async () => {
    const reply = decodeJson('anthropic-clear-thinking.1.json');
    const [thinking, text] = reply.content;
    expect(thinking).toMatchObject({ type: 'reasoning', text: '925 divided by 5 = 185' });
    expect(thinking?.type === 'reasoning' && thinking.signature).toMatch(/^Er4BCkYICxgC.*xRgB$/);
    expect(text).toEqual({ type: 'text', text: '925 ÷ 5 = 185' });
    expect(reply.usage).toMatchObject({ inputTokens: 69, outputTokens: 33 });
  },
  'anthropic-claude-opus-5-reasoning-high.1.json': async () => {
    const body = JSON.parse(read('anthropic-claude-opus-5-reasoning-high.1.json'));
    const reply = decodeJson('anthropic-claude-opus-5-reasoning-high.1.json');
    expect(reply.content.map((part) => part.type)).toEqual(['reasoning', 'text']);
    expect(reply.content[0]).toEqual({
      type: 'reasoning',
      text: body.content[0].thinking,
      signature: body.content[0].signature,
    });
    expect(reply.content[1]).toEqual({ type: 'text', text: body.content[1].text });
    expect(reply.usage).toEqual({
      inputTokens: 51,
      outputTokens: 1699,
      totalTokens: 1750,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 139,
    });
    expect(reply.finishReason).toBe('stop');
  },
  'anthropic-fallback.chunks.txt': async () => {
    const reply = await collect('anthropic-fallback.chunks.txt');
    // The fallback block takes no place in the content: the text is part 0.
    expect(reply.content).toEqual([
      { type: 'text', text: 'The printing press was invented by Johannes Gutenberg around 1440.' },
    ]);
    expect(reply.usage).toMatchObject({ inputTokens: 412, outputTokens: 264 });
    expect(reply.providerMetadata?.anthropic?.otherBlocks).toEqual([
      { type: 'fallback', from: { model: 'claude-fable-5' }, to: { model: 'claude-opus-4-8' } },
    ]);
  },
  'anthropic-fallback.json': async () => {
    const reply = decodeJson('anthropic-fallback.json');
    expect(reply.model).toBe('claude-opus-4-8');
    expect(reply.content).toEqual([
      { type: 'text', text: 'The printing press was invented by Johannes Gutenberg around 1440.' },
    ]);
    expect(reply.providerMetadata?.anthropic?.otherBlocks).toEqual([
      { type: 'fallback', from: { model: 'claude-fable-5' }, to: { model: 'claude-opus-4-8' } },
    ]);
  },
  'anthropic-json-tool.1.chunks.txt': async () => {
    const json = '{"elements":[{"location":"San Francisco","temperature":58,"condition":"sunny"}]}';
    const asText = await collect('anthropic-json-tool.1.chunks.txt', {
      provider: 'anthropic',
      request: jsonRequest,
    });
    expect(asText.content).toEqual([{ type: 'text', text: json }]);
    expect(asText.finishReason).toBe('stop');
    expect(asText.rawFinishReason).toBe('tool_use');
    // Without the JSON-mode request the same stream is an ordinary tool call.
    const asTool = await collect('anthropic-json-tool.1.chunks.txt');
    expect(asTool.content).toEqual([
      { type: 'tool-call', toolCallId: 'toolu_01KFbKqPYSuAKujiL6mTfzYA', toolName: 'json', arguments: json },
    ]);
    expect(asTool.finishReason).toBe('tool-calls');
  },
  'anthropic-json-tool.1.json': async () => {
    const reply = decodeJson('anthropic-json-tool.1.json', { provider: 'anthropic', request: jsonRequest });
    expect(reply.content).toHaveLength(1);
    const [part] = reply.content;
    expect(part?.type).toBe('text');
    expect(JSON.parse(part?.type === 'text' ? part.text : '')).toEqual(
      JSON.parse(read('anthropic-json-tool.1.json')).content[0].input,
    );
    expect(reply.finishReason).toBe('stop');
    expect(reply.usage).toMatchObject({ inputTokens: 1151, outputTokens: 87 });
  },
  'anthropic-message-delta-input-tokens.chunks.txt': async () => {
    const events = decodeStream('anthropic-message-delta-input-tokens.chunks.txt', { provider: 'anthropic' });
    const reply = await collectStream(toAsync(events));
    expect(reply.content).toEqual([{ type: 'text', text: 'pong' }]);
    // message_start said 43; the cumulative message_delta says 61, and the latest wins.
    expect(reply.usage).toEqual({ inputTokens: 61, outputTokens: 2, totalTokens: 63 });
    expect(events.find((event) => event.type === 'usage')).toEqual({ type: 'usage', usage: reply.usage });
  },
  'anthropic-refusal.chunks.txt': async () => {
    const reply = await collect('anthropic-refusal.chunks.txt');
    expect(reply.content).toEqual([]);
    expect(reply.finishReason).toBe('content-filter');
    expect(reply.rawFinishReason).toBe('refusal');
    expect(reply.providerMetadata?.anthropic?.stopDetails).toMatchObject({
      type: 'refusal',
      category: 'cyber',
    });
  },
  'anthropic-refusal.json': async () => {
    const reply = decodeJson('anthropic-refusal.json');
    expect(reply.content).toEqual([]);
    expect(reply.finishReason).toBe('content-filter');
    expect(reply.providerMetadata?.anthropic?.stopDetails).toMatchObject({ category: 'cyber' });
    expect(reply.usage).toMatchObject({ inputTokens: 18, outputTokens: 5 });
  },
  'anthropic-tool-no-args.chunks.txt': async () => {
    const reply = await collect('anthropic-tool-no-args.chunks.txt');
    expect(reply.content).toEqual([
      { type: 'text', text: "I'll update the issue list for you." },
      {
        type: 'tool-call',
        toolCallId: 'toolu_01QE1WLsSVp5hy5Q3GmGTmjP',
        toolName: 'updateIssueList',
        arguments: '{}',
      },
    ]);
    expect(reply.finishReason).toBe('tool-calls');
    expect(reply.usage).toMatchObject({ inputTokens: 565, outputTokens: 48 });
  },
  'anthropic-tool-no-args.json': async () => {
    const reply = decodeJson('anthropic-tool-no-args.json');
    expect(reply.content[1]).toEqual({
      type: 'tool-call',
      toolCallId: 'toolu_01LRmxn9vGM1d2DZSDBowdZ1',
      toolName: 'updateIssueList',
      arguments: '{}',
    });
    expect(reply.finishReason).toBe('tool-calls');
  },
  'duplicate-message-start.chunks.txt': async () => {
    const events = decodeStream('duplicate-message-start.chunks.txt', { provider: 'anthropic' });
    expect(events.filter((event) => event.type === 'start')).toHaveLength(1);
    const reply = await collectStream(toAsync(events));
    expect(reply.id).toBe('msg_dup');
    expect(reply.content).toEqual([{ type: 'text', text: 'Hello, World!' }]);
    // The repeat did not reset the input tokens of the first message_start.
    expect(reply.usage).toEqual({ inputTokens: 17, outputTokens: 227, totalTokens: 244 });
  },
};

describe('anthropic-messages fixtures', () => {
  it('has an expectation for every recorded file', () => {
    expect(Object.keys(expectations).sort()).toEqual(readdirSync(FIXTURES).sort());
  });

  for (const [file, check] of Object.entries(expectations)) it(`decodes ${file}`, check);

  const streams = readdirSync(FIXTURES).filter(
    // The SDK refuses a repeated message_start, so that one has no SDK-built counterpart.
    (file) => file.endsWith('.chunks.txt') && file !== 'duplicate-message-start.chunks.txt',
  );
  for (const file of streams)
    it(`collects ${file} into what decodeResponse makes of the same reply, as the SDK assembles it`, async () => {
      const context = file.startsWith('anthropic-json-tool')
        ? { provider: 'anthropic', request: jsonRequest }
        : { provider: 'anthropic' };
      const whole = anthropicMessages.decodeResponse(await sdkFinalMessage(file), context);
      expect(await collect(file, context)).toEqual(whole);
    });

  it('ends a stream cut before message_stop with a NetworkError event', () => {
    const decoder = anthropicMessages.createStreamDecoder({ provider: 'anthropic' });
    const cut = lines('anthropic-text.chunks.txt').slice(0, 5);
    const events = cut.flatMap((line) => decoder.push({ data: line }));
    expect(events.some((event) => event.type === 'finish')).toBe(false);
    const [last, ...rest] = decoder.end();
    expect(rest).toEqual([]);
    expect(last?.type).toBe('error');
    expect(last?.type === 'error' && last.error.kind).toBe('network');
    expect(last?.type === 'error' && last.error.message).toBe('stream ended before it completed');
  });
});
