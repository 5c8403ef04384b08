import { InvalidRequestError } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import type { GeminiRequestBody } from './gemini-types.ts';
import { gemini } from './index.ts';

describe('gemini decodeRequest', () => {
  it('reads snake_case bodies, mints call ids and maps id-less responses back by name', () => {
    const request = gemini.decodeRequest({
      system_instruction: { parts: [{ text: 'Be brief.' }] },
      contents: [
        {
          role: 'user',
          parts: [{ text: 'Weather?' }, { inline_data: { mime_type: 'image/jpeg', data: 'AAAA' } }],
        },
        {
          role: 'model',
          parts: [
            { functionCall: { name: 'weather', args: { city: 'Oslo' } }, thought_signature: 'sig' },
            { functionCall: { name: 'weather', args: { city: 'Rome' } } },
          ],
        },
        {
          role: 'user',
          parts: [
            { function_response: { name: 'weather', response: { result: 'cold' } } },
            { function_response: { name: 'weather', response: { temperature: 30 } } },
          ],
        },
      ],
      generation_config: { max_output_tokens: 50, thinking_config: { thinking_budget: 0 } },
    });
    expect(request.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
    expect(request.messages[1]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'Weather?' },
        { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: 'AAAA' } },
      ],
    });
    const assistant = request.messages[2];
    const tool = request.messages[3];
    if (assistant?.role !== 'assistant' || typeof assistant.content === 'string' || tool?.role !== 'tool')
      throw new Error('unexpected shape');
    const ids = assistant.content.map((part) => (part.type === 'tool-call' ? part.toolCallId : ''));
    expect(ids[0]).toMatch(/^call_/);
    expect(ids[0]).not.toBe(ids[1]);
    expect(assistant.content[0]).toMatchObject({ providerMetadata: { gemini: { thoughtSignature: 'sig' } } });
    expect(tool.content).toEqual([
      { type: 'tool-result', toolCallId: ids[0], toolName: 'weather', content: 'cold' },
      { type: 'tool-result', toolCallId: ids[1], toolName: 'weather', content: '{"temperature":30}' },
    ]);
    expect(request.maxOutputTokens).toBe(50);
    expect(request.reasoning).toEqual({ budgetTokens: 0 });
  });

  it('names the field at fault in InvalidRequestError', () => {
    const cases: Array<[unknown, string]> = [
      [{ contents: [] }, 'contents'],
      [
        { contents: [{ role: 'user', parts: [{ functionCall: { args: {} } }] }] },
        'contents[0].parts[0].functionCall.name',
      ],
      [
        { contents: [{ role: 'user', parts: [{ text: 'x' }] }], generationConfig: { temperature: 'hot' } },
        'generationConfig.temperature',
      ],
      [
        { contents: [{ role: 'user', parts: [{ functionCall: { name: 'f' } }] }] },
        'contents[0].parts[0].functionCall',
      ],
    ];
    for (const [body, param] of cases) {
      let caught: unknown;
      try {
        gemini.decodeRequest(body);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidRequestError);
      expect((caught as InvalidRequestError).param).toBe(param);
    }
  });

  it('carries Gemini-only tools and settings in providerOptions.gemini', () => {
    const request = gemini.decodeRequest({
      contents: [{ parts: [{ text: 'Search the web' }] }],
      tools: [{ googleSearch: {} }],
      generationConfig: { candidateCount: 2, responseMimeType: 'text/x.enum' },
      safetySettings: [],
    });
    expect(request.messages).toEqual([{ role: 'user', content: 'Search the web' }]);
    expect(request.providerOptions).toEqual({
      gemini: {
        tools: [{ googleSearch: {} }],
        generationConfig: { candidateCount: 2, responseMimeType: 'text/x.enum' },
        safetySettings: [],
      },
    });
    const body = gemini.encodeRequest(request, { model: 'gemini-2.5-flash', stream: false })
      .body as GeminiRequestBody;
    expect(body.tools).toEqual([{ googleSearch: {} }]);
    expect(body.generationConfig).toEqual({ candidateCount: 2, responseMimeType: 'text/x.enum' });
  });
});
