/**
 * The Gemini codec as a gateway serves it: paths whose model holds a slash (`provider/model`),
 * the query that picks SSE or Google's JSON-array stream, and the model a get-model call answers.
 */
import { OverloadedError, responseToEvents } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { gemini } from './index.ts';

const reply = {
  id: 'r-1',
  model: 'claude-haiku-4-5',
  provider: 'anthropic',
  content: [{ type: 'text' as const, text: 'Hello there' }],
  finishReason: 'stop' as const,
  usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 },
  warnings: [],
};

describe('gemini inbound paths', () => {
  it('reads a provider/model with a slash, escaped or not, on any API version', () => {
    for (const path of [
      '/v1beta/models/anthropic/claude-haiku-4-5:generateContent',
      '/v1/models/anthropic%2Fclaude-haiku-4-5:generateContent',
    ])
      expect(gemini.endpoints.parseChatPath(path)).toEqual({
        model: 'anthropic/claude-haiku-4-5',
        stream: false,
      });
    expect(gemini.endpoints.parseChatPath('/v1beta/models/gemini-2.5-flash:streamGenerateContent')).toEqual({
      model: 'gemini-2.5-flash',
      stream: true,
    });
    expect(gemini.tokenCount?.parsePath('/v1beta/models/openai/gpt-4o:countTokens')).toEqual({
      model: 'openai/gpt-4o',
    });
    expect(gemini.endpoints.parseChatPath('/v1beta/models/x:countTokens')).toBeUndefined();
    expect(gemini.endpoints.parseChatPath('/v1beta/models/x%E0:generateContent')).toBeUndefined();
  });

  it('asks for SSE with alt=sse or with no query given, for the JSON array otherwise', () => {
    const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };
    const path = { model: 'm', stream: true };
    expect(gemini.decodeCall(body, path).options).toEqual({});
    expect(gemini.decodeCall(body, { ...path, query: new URLSearchParams('alt=sse') }).options).toEqual({});
    expect(gemini.decodeCall(body, { ...path, query: new URLSearchParams('') }).options).toEqual({
      framing: 'json-array',
    });
  });
});

describe('the JSON-array stream', () => {
  it('is one JSON array of the chunks the SSE stream carries, application/json', () => {
    const sse = gemini.createStreamEncoder();
    const array = gemini.createStreamEncoder({ framing: 'json-array' });
    expect(sse.contentType).toBeUndefined();
    expect(array.contentType).toMatch(/^application\/json/);
    const events = responseToEvents(reply);
    const sseText = events.map((event) => sse.encode(event)).join('') + sse.end();
    const arrayText = events.map((event) => array.encode(event)).join('') + array.end();
    const fromSse = sseText
      .split('\n\n')
      .filter((frame) => frame.startsWith('data: '))
      .map((frame) => JSON.parse(frame.slice('data: '.length)));
    expect(JSON.parse(arrayText)).toEqual(fromSse);
    expect(fromSse.length).toBeGreaterThanOrEqual(2);
  });

  it('is an empty array when nothing was sent, and ends with the error as its last element', () => {
    const empty = gemini.createStreamEncoder({ framing: 'json-array' });
    expect(JSON.parse(empty.end())).toEqual([]);
    const failing = gemini.createStreamEncoder({ framing: 'json-array' });
    const [start, text] = responseToEvents(reply);
    const head = (start ? failing.encode(start) : '') + (text ? failing.encode(text) : '');
    const parsed = JSON.parse(head + failing.error(new OverloadedError({ message: 'busy' })));
    expect(parsed.at(-1)).toMatchObject({ error: { code: 503, status: 'UNAVAILABLE', message: 'busy' } });
  });
});

describe('a get-model reply', () => {
  it('is the list entry alone', () => {
    const model = { id: 'anthropic/claude-haiku-4-5', displayName: 'claude-haiku-4-5' };
    expect(gemini.encodeModel?.(model)).toEqual((gemini.encodeModelList([model]).models as unknown[])[0]);
  });
});
