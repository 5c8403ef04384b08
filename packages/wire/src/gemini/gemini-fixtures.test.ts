/**
 * Every recorded Gemini reply in packages/fixtures/recorded/gemini (recorded by the Vercel AI SDK, Apache
 * 2.0), decoded as a backend would: JSON bodies through `decodeResponse`, streams replayed as
 * Gemini frames them (`data: LINE` and a blank line, no `[DONE]`) in awkward byte splits through
 * the SSE parser and the stream decoder.
 */

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  AiMateyError,
  type ChatResponse,
  collectStream,
  RateLimitError,
  type StreamEvent,
} from 'ai.matey.core';
import { fixturesDir } from 'ai.matey.fixtures';
import { describe, expect, it } from 'vitest';
import { decodeStreamBatches } from '../test-support/stream-text.ts';
import { gemini } from './index.ts';

const fixtures = pathToFileURL(`${fixturesDir()}/gemini/`);
const context = { provider: 'google' };

function json(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, fixtures), 'utf8'));
}

function lines(name: string): string[] {
  return readFileSync(new URL(name, fixtures), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** Replays chunk lines as Gemini's SSE, cut into `splitEvery`-byte pieces, and decodes them. */
function replay(chunkLines: string[], splitEvery = 53): StreamEvent[][] {
  const text = chunkLines.map((line) => `data: ${line}\n\n`).join('');
  return decodeStreamBatches(gemini, text, context, splitEvery);
}

async function collect(events: StreamEvent[]): Promise<ChatResponse> {
  return collectStream(
    (async function* () {
      yield* events;
    })(),
  );
}

async function decodeStream(name: string, splitEvery?: number): Promise<ChatResponse> {
  return collect(replay(lines(name), splitEvery).flat());
}

function signatureOf(part: { providerMetadata?: Record<string, Record<string, unknown>> } | undefined) {
  return part?.providerMetadata?.gemini?.thoughtSignature;
}

describe('gemini fixtures: whole responses', () => {
  it('google-text.json: text with its thought signature, usage counting thoughts as output', () => {
    const response = gemini.decodeResponse(json('google-text.json'), context);
    expect(response.id).toBe('Un6LacrVMcjUxs0PmJfWoQc');
    expect(response.model).toBe('gemini-3-pro-preview');
    expect(response.provider).toBe('google');
    expect(response.content).toHaveLength(1);
    expect(response.content[0]).toMatchObject({
      type: 'text',
      text: "There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.",
    });
    expect(signatureOf(response.content[0])).toMatch(/^EtoFCtcFAb4/);
    expect(response.finishReason).toBe('stop');
    expect(response.rawFinishReason).toBe('STOP');
    expect(response.usage).toEqual({
      inputTokens: 9,
      outputTokens: 28 + 244,
      totalTokens: 281,
      reasoningTokens: 244,
    });
    expect(response.warnings).toEqual([]);
  });

  it('google-reasoning.json: text and signature, reasoning tokens', () => {
    const response = gemini.decodeResponse(json('google-reasoning.json'), context);
    expect(response.content).toEqual([
      {
        type: 'text',
        text: 'There are **3** "r"s in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.',
        providerMetadata: { gemini: { thoughtSignature: expect.stringMatching(/^EvsFCvgFAb4/) } },
      },
    ]);
    expect(response.usage).toEqual({
      inputTokens: 9,
      outputTokens: 311,
      totalTokens: 320,
      reasoningTokens: 282,
    });
  });

  it('google-tool-call.json: a function call with a minted id and its signature finishes with tool-calls', () => {
    const response = gemini.decodeResponse(json('google-tool-call.json'), context);
    const [call] = response.content;
    expect(call).toMatchObject({
      type: 'tool-call',
      toolName: 'weather',
      arguments: '{"location":"San Francisco"}',
    });
    expect(call?.type === 'tool-call' && call.toolCallId).toMatch(/^call_[A-Za-z0-9]{24}$/);
    expect(signatureOf(call)).toMatch(/^EskgCsYgAb4/);
    expect(response.finishReason).toBe('tool-calls');
    expect(response.rawFinishReason).toBe('STOP');
    expect(response.providerMetadata).toEqual({
      gemini: { finishMessage: 'Model generated function call(s).' },
    });
    expect(response.usage.outputTokens).toBe(15 + 893);
  });

  it('google-429-retry-info.json: a RateLimitError waiting as long as RetryInfo says', () => {
    const error = gemini.decodeError(
      429,
      json('google-429-retry-info.json'),
      { 'retry-after': '99' },
      context,
    );
    expect(error).toBeInstanceOf(RateLimitError);
    expect(AiMateyError.isInstance(error)).toBe(true);
    expect(error.retryAfterMs).toBe(34_400);
    expect(error.isRetryable).toBe(true);
    expect(error.status).toBe(429);
    expect(error.message).toBe('You exceeded your current quota, please check your plan.');
    expect(error.code).toBe('RESOURCE_EXHAUSTED');
  });
});

describe('gemini fixtures: streams', () => {
  it('google-text.chunks.txt: one text part, the trailing empty signature piece lands on it', async () => {
    const response = await decodeStream('google-text.chunks.txt');
    expect(response.id).toBe('bH6LaZW8Fp_3nsEPqtaSwQ4');
    expect(response.model).toBe('gemini-3-pro-preview');
    expect(response.content).toHaveLength(1);
    expect(response.content[0]).toMatchObject({
      type: 'text',
      text: 'There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y',
    });
    expect(signatureOf(response.content[0])).toMatch(/^EqsFCqgFAb4/);
    expect(response.finishReason).toBe('stop');
    expect(response.usage).toEqual({
      inputTokens: 9,
      outputTokens: 23 + 185,
      totalTokens: 217,
      reasoningTokens: 185,
    });
  });

  it('google-reasoning.chunks.txt collects to what google-reasoning.json decodes to (signature, id and usage aside)', async () => {
    const streamed = await decodeStream('google-reasoning.chunks.txt', 7);
    const whole = gemini.decodeResponse(json('google-reasoning.json'), context);
    const strip = (response: ChatResponse) => ({
      ...response,
      id: '',
      usage: undefined,
      content: response.content.map((part) => ({
        ...part,
        providerMetadata: { gemini: { thoughtSignature: 'x' } },
      })),
    });
    expect(strip(streamed)).toEqual(strip(whole));
    expect(signatureOf(streamed.content[0])).toMatch(/^Eo0HCooHAb4/);
    expect(streamed.usage).toEqual({
      inputTokens: 9,
      outputTokens: 29 + 256,
      totalTokens: 294,
      reasoningTokens: 256,
    });
  });

  it('google-tool-call.chunks.txt: the whole call arrives as start, delta and end together', async () => {
    const batches = replay(lines('google-tool-call.chunks.txt'));
    const callBatch = batches.find((batch) => batch.some((event) => event.type === 'tool-call-start'));
    expect(callBatch?.map((event) => event.type)).toEqual([
      'start',
      'tool-call-start',
      'tool-call-delta',
      'tool-call-end',
      'usage',
    ]);
    const response = await collect(batches.flat());
    expect(response.content).toHaveLength(1);
    expect(response.content[0]).toMatchObject({
      type: 'tool-call',
      toolName: 'weather',
      arguments: '{"location":"San Francisco"}',
      toolCallId: expect.stringMatching(/^call_/),
    });
    expect(signatureOf(response.content[0])).toMatch(/^EqUCCqICAb4/);
    expect(response.finishReason).toBe('tool-calls');
    expect(response.usage).toEqual({
      inputTokens: 29,
      outputTokens: 60,
      totalTokens: 89,
      reasoningTokens: 45,
    });
  });

  it('google-stream-tool-call-arguments.chunks.txt: streamed partialArgs assemble into two calls', async () => {
    const response = await decodeStream('google-stream-tool-call-arguments.chunks.txt', 11);
    const calls = response.content.filter((part) => part.type === 'tool-call');
    expect(calls.map((call) => [call.toolName, call.arguments])).toEqual([
      ['getWeather', '{"location":"Boston"}'],
      ['getWeather', '{"location":"San Francisco"}'],
    ]);
    expect(response.content).toHaveLength(2);
    expect(new Set(calls.map((call) => call.toolCallId)).size).toBe(2);
    expect(signatureOf(calls[0])).toMatch(/^CiMBjz1rX25K/);
    expect(signatureOf(calls[1])).toBeUndefined();
    expect(response.finishReason).toBe('tool-calls');
    expect(response.usage).toEqual({
      inputTokens: 26,
      outputTokens: 23 + 132,
      totalTokens: 181,
      reasoningTokens: 132,
    });
  });

  it('google-stream-no-args-tool-call.chunks.txt: a thought, an argument-less call and three streamed calls', async () => {
    const response = await decodeStream('google-stream-no-args-tool-call.chunks.txt');
    const [thought, ...calls] = response.content;
    expect(thought).toMatchObject({ type: 'reasoning' });
    expect(thought?.type === 'reasoning' && thought.text).toMatch(
      /^\*\*Processing User Requests\*\*\n\nI've started/,
    );
    expect(calls.map((call) => call.type === 'tool-call' && [call.toolName, call.arguments])).toEqual([
      ['read_theme', '{}'],
      ['read_screen', '{"id":"A"}'],
      ['read_screen', '{"id":"B"}'],
      ['read_screen', '{"id":"C"}'],
    ]);
    expect(signatureOf(calls[0])).toMatch(/^AY89a18a8/);
    expect(response.finishReason).toBe('tool-calls');
    expect(response.model).toBe('gemini-3-flash-preview');
    expect(response.usage).toEqual({
      inputTokens: 249,
      outputTokens: 58 + 183,
      totalTokens: 490,
      reasoningTokens: 183,
    });
  });

  it('decodes the same whatever the byte splits', async () => {
    for (const name of ['google-stream-no-args-tool-call.chunks.txt', 'google-text.chunks.txt']) {
      const a = await decodeStream(name, 1);
      const b = await decodeStream(name, 4096);
      const ids = (response: ChatResponse) =>
        response.content.map((part) => (part.type === 'tool-call' ? { ...part, toolCallId: '' } : part));
      expect(ids(a)).toEqual(ids(b));
    }
  });

  it('a stream cut off before its finish reason ends with a NetworkError, not a silent finish', () => {
    const cut = lines('google-stream-tool-call-arguments.chunks.txt').slice(0, -1);
    const events = replay(cut).flat();
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    expect(last?.type === 'error' && last.error.kind).toBe('network');
    expect(last?.type === 'error' && last.error.message).toBe('stream ended before it completed');
    expect(events.some((event) => event.type === 'finish')).toBe(false);
  });
});
