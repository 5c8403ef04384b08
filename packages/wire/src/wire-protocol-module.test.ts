import type { ChatRequest } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { anthropicMessages } from './anthropic-messages/index.ts';
import type { WireCodec } from './codec.ts';
import { cohere } from './cohere/index.ts';
import { gemini } from './gemini/index.ts';
import { openaiChat } from './openai-chat/index.ts';
import { openaiResponses } from './openai-responses/index.ts';

const hello: ChatRequest = { messages: [{ role: 'user', content: 'ping' }] };
const codecs: WireCodec[] = [openaiChat, anthropicMessages, gemini, cohere, openaiResponses];

describe.each(codecs)('the $protocol module', (codec) => {
  it('reads back the model list it writes', () => {
    const listed = [
      { id: 'model-a', contextWindow: 8192, maxOutputTokens: 1024 },
      { id: 'model-b', contextWindow: 4096, maxOutputTokens: 512 },
    ];
    const decoded = codec.endpoints.decodeModelList(codec.encodeModelList(listed));
    expect(decoded?.map((model) => model.id)).toEqual(['model-a', 'model-b']);
    // Only Gemini's list carries token limits; what a list carries survives the round trip.
    for (const model of decoded ?? []) {
      const source = listed.find((entry) => entry.id === model.id);
      if (model.contextWindow !== undefined) expect(model.contextWindow).toBe(source?.contextWindow);
    }
  });

  it.each([false, true])('reads the chat path it calls back into the call (stream: %s)', (stream) => {
    const base = codec.endpoints.versionedPath('/api');
    const path = codec.endpoints.chatPath(base, 'some-model', stream).replace(/\?.*$/, '');
    const call = codec.endpoints.parseChatPath(path);
    expect(call).toBeDefined();
    // Where the path names the model or the streaming (Gemini), it says what was asked.
    if (call?.model !== undefined) expect(call.model).toBe('some-model');
    if (call?.stream !== undefined) expect(call.stream).toBe(stream);
    expect(codec.endpoints.parseChatPath(`${base}/not-a-call`)).toBeUndefined();
  });

  it('decodes the call it encodes, streaming as the path says', () => {
    const body = codec.encodeRequest(hello, { model: 'body-model', stream: false }).body;
    const call = codec.decodeCall(body);
    expect(call.request.messages).toEqual(hello.messages);
    expect(call.stream).toBe(false);
    expect(codec.decodeCall(body, { stream: true }).stream).toBe(true);
  });
});

// Azure (OpenAI Chat) and Gemini name the model in the path; their bodies may leave it out.
describe.each([openaiChat, gemini])('$protocol with the model in the path', (codec) => {
  it('takes the path model when the body names none', () => {
    const { model: _model, ...body } = codec.encodeRequest(hello, { model: 'x', stream: false }).body;
    expect(codec.decodeCall(body, { model: 'path-model' }).request.model).toBe('path-model');
  });
});

describe('decodeCall', () => {
  it('reads OpenAI streaming and the usage chunk request from the body', () => {
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'ping' }] };
    expect(openaiChat.decodeCall(body)).toMatchObject({ stream: false, options: { includeUsage: false } });
    expect(
      openaiChat.decodeCall({ ...body, stream: true, stream_options: { include_usage: true } }),
    ).toMatchObject({ request: { model: 'gpt-4o-mini' }, stream: true, options: { includeUsage: true } });
    expect(() => openaiChat.decodeCall({ ...body, stream: 'yes' })).toThrow(/'stream'/);
  });

  it('reads Anthropic streaming from the body and throws as decodeRequest does', () => {
    const body = { model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'ping' }] };
    expect(anthropicMessages.decodeCall({ ...body, stream: true }).stream).toBe(true);
    expect(() => anthropicMessages.decodeCall({ ...body, messages: 'nope' })).toThrow(/messages/);
  });
});

describe('the list-models call a server sees', () => {
  it('is Anthropic or Gemini when a header or path says so, else possibly OpenAI', () => {
    const anthropicHeaders = { 'anthropic-version': '2023-06-01' };
    expect(anthropicMessages.endpoints.matchModelsCall('/v1/models', anthropicHeaders)).toBe('certain');
    expect(anthropicMessages.endpoints.matchModelsCall('/v1/models', {})).toBeUndefined();
    expect(gemini.endpoints.matchModelsCall('/v1beta/models', {})).toBe('certain');
    expect(gemini.endpoints.matchModelsCall('/v1/models', { 'x-goog-api-key': 'k' })).toBe('certain');
    expect(openaiChat.endpoints.matchModelsCall('/openai/v1/models', {})).toBe('possible');
    expect(openaiChat.endpoints.matchModelsCall('/v1/chat/completions', {})).toBeUndefined();
  });

  it('reads an Azure deployment as the model', () => {
    expect(openaiChat.endpoints.parseChatPath('/openai/deployments/my%20gpt/chat/completions')).toEqual({
      model: 'my gpt',
    });
  });
});
