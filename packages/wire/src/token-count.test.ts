/**
 * The token-count codecs (Anthropic `count_tokens`, Gemini `:countTokens`, OpenAI Responses
 * `input_tokens`), both halves: what a
 * backend sends is what a server of the protocol reads back, and the counts survive the trip.
 */
import type { ChatRequest } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { anthropicMessages } from './anthropic-messages/index.ts';
import type { TokenCountCodec, WireCodec } from './codec.ts';
import { gemini } from './gemini/index.ts';
import { openaiChat } from './openai-chat/index.ts';
import { openaiResponses } from './openai-responses/index.ts';

const request: ChatRequest = {
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Weather in Oslo?' },
  ],
  tools: [
    {
      name: 'get_weather',
      description: 'Weather for a city',
      inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
    },
  ],
  maxOutputTokens: 300,
  temperature: 0.2,
};

const counting = [anthropicMessages, gemini, openaiResponses].map((codec) => ({
  protocol: codec.protocol,
  codec,
  counter: codec.tokenCount as TokenCountCodec,
}));

describe.each(counting)('the $protocol token count', ({ codec, counter }) => {
  it('reads back the path it calls, with the model', () => {
    const base = codec.endpoints.versionedPath('');
    const path = counter.path(base, 'some-model');
    const call = counter.parsePath(path);
    expect(call).toBeDefined();
    if (call?.model !== undefined) expect(call.model).toBe('some-model');
    // A count path is no chat call, and a chat path no count.
    expect(codec.endpoints.parseChatPath(path)).toBeUndefined();
    expect(counter.parsePath(codec.endpoints.chatPath(base, 'some-model', false))).toBeUndefined();
  });

  it('decodes the count call it encodes: messages, system and tools, no output settings', () => {
    const { body, warnings } = counter.encodeRequest(request, { model: 'some-model', stream: false });
    expect(warnings).toEqual([]);
    expect(JSON.stringify(body)).not.toMatch(/max_tokens|maxOutputTokens|temperature/);
    const decoded = counter.decodeRequest(JSON.parse(JSON.stringify(body)), { model: 'some-model' });
    expect(decoded.messages).toEqual(request.messages);
    expect(decoded.tools?.map((tool) => tool.name)).toEqual(['get_weather']);
    expect(decoded.model).toBe('some-model');
    expect(decoded.maxOutputTokens).toBeUndefined();
  });

  it('carries the count both ways, and refuses a reply that is not one', () => {
    expect(counter.decodeResponse(counter.encodeResponse({ inputTokens: 1234, exact: true }))).toBe(1234);
    expect(() => counter.decodeResponse('nope')).toThrow(TypeError);
  });
});

describe('Anthropic count_tokens', () => {
  it('refuses max_tokens as the API does, and a body that is not an object', () => {
    const body = { model: 'claude-haiku-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] };
    expect(() => anthropicMessages.tokenCount?.decodeRequest(body)).toThrow(/max_tokens/);
    expect(() => anthropicMessages.tokenCount?.decodeRequest([])).toThrow(/JSON object/);
  });
});

describe('Gemini countTokens', () => {
  const counter = gemini.tokenCount as TokenCountCodec;
  const contents = [{ role: 'user', parts: [{ text: 'hi' }] }];

  it('reads the contents form and the generateContentRequest form', () => {
    expect(counter.decodeRequest({ contents }, { model: 'm' })).toMatchObject({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
    });
    const whole = {
      generateContentRequest: {
        model: 'models/gemini-2.5-flash',
        contents,
        systemInstruction: { parts: [{ text: 'Be brief.' }] },
      },
    };
    expect(counter.decodeRequest(whole)).toMatchObject({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user' }],
    });
  });

  it('refuses both forms at once, an unknown field and malformed contents, naming them', () => {
    expect(() => counter.decodeRequest({ contents, generateContentRequest: { contents } })).toThrow(
      /not both/,
    );
    expect(() => counter.decodeRequest({ contents, bogus: 1 })).toThrow(/bogus/);
    expect(() => counter.decodeRequest({ contents: [{ parts: [{ nothing: 1 }] }] })).toThrow(/contents/);
  });

  it('reads a count of nothing (Gemini leaves totalTokens out) as 0', () => {
    expect(counter.decodeResponse({})).toBe(0);
  });
});

describe('a protocol without a count endpoint', () => {
  it('has no tokenCount', () => {
    const codec: WireCodec = openaiChat;
    expect(codec.tokenCount).toBeUndefined();
  });
});
