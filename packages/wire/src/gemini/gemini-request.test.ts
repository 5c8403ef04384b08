import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { type ChatRequest, InvalidRequestError } from 'ai.matey.core';
import { fixturesDir } from 'ai.matey.fixtures';
import { describe, expect, it } from 'vitest';
import { SKIP_THOUGHT_SIGNATURE } from './gemini-request.ts';
import type { GeminiRequestBody } from './gemini-types.ts';
import { gemini } from './index.ts';

const fixtures = pathToFileURL(`${fixturesDir()}/gemini/`);

const conversation: ChatRequest = {
  messages: [
    { role: 'system', content: 'You are terse.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in this picture, and the weather in Paris?' },
        { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
        {
          type: 'file',
          source: { kind: 'url', url: 'https://example.com/report.pdf', mediaType: 'application/pdf' },
        },
      ],
    },
    {
      role: 'assistant',
      content: [
        {
          type: 'reasoning',
          text: 'Look at the picture, then call the tool.',
          signature: 'sig-thought',
          providerMetadata: { gemini: { thoughtSignature: 'sig-thought' } },
        },
        { type: 'text', text: 'A cat.' },
        {
          type: 'tool-call',
          toolCallId: 'call_1',
          toolName: 'weather',
          arguments: '{"city":"Paris"}',
          providerMetadata: { gemini: { thoughtSignature: 'sig-call' } },
        },
      ],
    },
    {
      role: 'tool',
      content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'weather', content: '18C' }],
    },
    { role: 'user', content: 'Thanks' },
  ],
  tools: [
    {
      name: 'weather',
      description: 'Weather for a city',
      inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  ],
  toolChoice: { type: 'tool', name: 'weather' },
  responseFormat: {
    type: 'json-schema',
    schema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] },
  },
  temperature: 0.5,
  topP: 0.9,
  topK: 40,
  maxOutputTokens: 256,
  stopSequences: ['END'],
  seed: 7,
  presencePenalty: 0.1,
  frequencyPenalty: 0.2,
  reasoning: { budgetTokens: 1024 },
  providerOptions: {
    gemini: { safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }] },
  },
};

function encode(request: ChatRequest, model = 'gemini-2.5-flash') {
  const { body, warnings } = gemini.encodeRequest(request, { model, stream: false, provider: 'google' });
  return { body: body as GeminiRequestBody, warnings };
}

describe('gemini encodeRequest', () => {
  it('writes system, turns, media, signatures, tool results, tools and settings in Gemini shape', () => {
    const { body, warnings } = encode(conversation);
    expect(warnings).toEqual([]);
    expect(body.model).toBeUndefined();
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'You are terse.' }] });
    expect(body.contents.map((content) => content.role)).toEqual(['user', 'model', 'user', 'user']);
    expect(body.contents[0]?.parts).toEqual([
      { text: 'What is in this picture, and the weather in Paris?' },
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
      { fileData: { fileUri: 'https://example.com/report.pdf', mimeType: 'application/pdf' } },
    ]);
    expect(body.contents[1]?.parts).toEqual([
      { text: 'Look at the picture, then call the tool.', thought: true, thoughtSignature: 'sig-thought' },
      { text: 'A cat.' },
      {
        functionCall: { id: 'call_1', name: 'weather', args: { city: 'Paris' } },
        thoughtSignature: 'sig-call',
      },
    ]);
    expect(body.contents[2]?.parts).toEqual([
      { functionResponse: { id: 'call_1', name: 'weather', response: { result: '18C' } } },
    ]);
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'weather',
            description: 'Weather for a city',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
        ],
      },
    ]);
    expect(body.toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['weather'] },
    });
    expect(body.generationConfig).toEqual({
      temperature: 0.5,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 256,
      stopSequences: ['END'],
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      responseMimeType: 'application/json',
      responseSchema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] },
      thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
    });
    expect(body.safetySettings).toEqual([{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }]);
  });

  it('round-trips through decodeRequest to the same spec request', () => {
    const { body } = encode(conversation);
    expect(gemini.decodeRequest(JSON.parse(JSON.stringify(body)))).toEqual(conversation);
  });

  it('sends a decoded reply back with its signature and names the function of a result by its call id', () => {
    const reply = gemini.decodeResponse(
      JSON.parse(readFileSync(new URL('google-tool-call.json', fixtures), 'utf8')),
      { provider: 'google' },
    );
    const call = reply.content[0];
    if (call?.type !== 'tool-call') throw new Error('expected a tool call');
    const { body, warnings } = encode(
      {
        messages: [
          { role: 'user', content: 'Weather in San Francisco?' },
          { role: 'assistant', content: reply.content },
          // No toolName: Gemini needs the name, found through the call id.
          {
            role: 'tool',
            content: [{ type: 'tool-result', toolCallId: call.toolCallId, content: 'Sunny, 20C' }],
          },
        ],
      },
      'gemini-3-pro-preview',
    );
    expect(warnings).toEqual([]);
    expect(body.contents[1]).toEqual({
      role: 'model',
      parts: [
        {
          functionCall: { id: call.toolCallId, name: 'weather', args: { location: 'San Francisco' } },
          thoughtSignature: expect.stringMatching(/^EskgCsYgAb4/),
        },
      ],
    });
    expect(body.contents[2]).toEqual({
      role: 'user',
      parts: [
        { functionResponse: { id: call.toolCallId, name: 'weather', response: { result: 'Sunny, 20C' } } },
      ],
    });
  });

  it('wraps an error result as {error} and merges parallel results into one turn', () => {
    const { body } = encode({
      messages: [
        {
          role: 'assistant',
          content: [
            { type: 'tool-call', toolCallId: 'a', toolName: 'one', arguments: '{}' },
            { type: 'tool-call', toolCallId: 'b', toolName: 'two', arguments: '' },
          ],
        },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'a', content: 'boom', isError: true }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'b', content: 'ok' }] },
      ],
    });
    expect(body.contents).toHaveLength(2);
    expect(body.contents[1]?.parts?.map((part) => part.functionResponse)).toEqual([
      { id: 'a', name: 'one', response: { error: 'boom' } },
      { id: 'b', name: 'two', response: { result: 'ok' } },
    ]);
  });

  it('refuses a tool result whose function name cannot be known', () => {
    const attempt = () =>
      encode({
        messages: [{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'nowhere', content: 'x' }] }],
      });
    expect(attempt).toThrow(InvalidRequestError);
    try {
      attempt();
    } catch (error) {
      expect((error as InvalidRequestError).param).toBe('messages[0].content[0].toolName');
    }
  });

  it("gives Gemini 3 Google's skip marker for a replayed call without a signature, and says so", () => {
    const request: ChatRequest = {
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: [
            { type: 'tool-call', toolCallId: 'a', toolName: 'one', arguments: '{}' },
            { type: 'tool-call', toolCallId: 'b', toolName: 'two', arguments: '{}' },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'a', content: '1' },
            { type: 'tool-result', toolCallId: 'b', content: '2' },
          ],
        },
      ],
    };
    const three = encode(request, 'gemini-3-flash-preview');
    expect(three.body.contents[1]?.parts?.map((part) => part.thoughtSignature)).toEqual([
      SKIP_THOUGHT_SIGNATURE,
      undefined,
    ]);
    expect(three.warnings).toHaveLength(1);
    expect(three.warnings[0]?.message).toContain('one');
    const older = encode(request, 'gemini-2.5-flash');
    expect(older.body.contents[1]?.parts?.some((part) => part.thoughtSignature)).toBe(false);
    expect(older.warnings).toEqual([]);
  });

  it('guesses the media type of an image URL from its extension, and warns when it cannot', () => {
    const { body, warnings } = encode({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.PNG?size=2' } },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/render' } },
            { type: 'image', source: { kind: 'url', url: 'data:image/webp;base64,UklGRg==' } },
          ],
        },
      ],
    });
    expect(body.contents[0]?.parts).toEqual([
      { fileData: { fileUri: 'https://example.com/cat.PNG?size=2', mimeType: 'image/png' } },
      { fileData: { fileUri: 'https://example.com/render' } },
      { inlineData: { mimeType: 'image/webp', data: 'UklGRg==' } },
    ]);
    expect(warnings).toEqual([expect.objectContaining({ type: 'unsupported-content', setting: 'image' })]);
  });

  it('maps tool choices, json mode, effort and merges provider options into generationConfig', () => {
    const tools = [{ name: 'noop', inputSchema: { type: 'object', properties: {} } }];
    expect(encode({ messages: [], tools, toolChoice: 'required' }).body.toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY' },
    });
    expect(encode({ messages: [], tools, toolChoice: 'none' }).body.toolConfig).toEqual({
      functionCallingConfig: { mode: 'NONE' },
    });
    // A tool with no input sends no parameters: Gemini rejects an object without properties.
    expect(encode({ messages: [], tools }).body.tools).toEqual([
      { functionDeclarations: [{ name: 'noop' }] },
    ]);
    const { body } = encode(
      {
        messages: [],
        responseFormat: { type: 'json' },
        reasoning: { effort: 'low' },
        providerOptions: {
          google: { thinkingConfig: { includeThoughts: false }, cachedContent: 'cachedContents/1' },
        },
      },
      'gemini-3-pro-preview',
    );
    expect(body.generationConfig).toEqual({
      responseMimeType: 'application/json',
      thinkingConfig: { thinkingLevel: 'low', includeThoughts: false },
    });
    expect(body.cachedContent).toBe('cachedContents/1');
    expect(
      encode({ messages: [], reasoning: { effort: 'high' } }).body.generationConfig?.thinkingConfig,
    ).toEqual({
      thinkingBudget: 24576,
      includeThoughts: true,
    });
  });

  it('warns about settings Gemini has no field for instead of dropping them silently', () => {
    const { warnings } = encode({
      messages: [{ role: 'user', content: 'hi', name: 'ann' }],
      parallelToolCalls: false,
      user: 'user-1',
    });
    expect(warnings.map((warning) => warning.setting)).toEqual([
      'messages[0].name',
      'parallelToolCalls',
      'user',
    ]);
  });
});
