import type { ChatRequest } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { anthropicMessages } from './index.ts';

const encode = (request: ChatRequest, stream = false) =>
  anthropicMessages.encodeRequest(request, { model: 'claude-sonnet-4-5', stream, provider: 'anthropic' });

const cache = { anthropic: { cacheControl: { type: 'ephemeral' } } };

describe('anthropic-messages decodeRequest', () => {
  const anthropicBody = {
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [{ type: 'text', text: 'Shared context', cache_control: { type: 'ephemeral' } }],
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
          { type: 'document', source: { type: 'url', url: 'https://example.com/x.pdf' }, title: 'x.pdf' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'hmm', signature: 'sig' },
          { type: 'tool_use', id: 'toolu_9', name: 'ocr', input: { page: 1 } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_9', content: 'Invoice', is_error: false },
          { type: 'text', text: 'Summarise.' },
        ],
      },
    ],
    tools: [{ name: 'ocr', description: 'Reads pages', input_schema: { type: 'object' } }],
    tool_choice: { type: 'auto', disable_parallel_tool_use: true },
    thinking: { type: 'enabled', budget_tokens: 512 },
    temperature: 1,
    metadata: { user_id: 'u-1' },
    stream: true,
    service_tier: 'standard_only',
  };

  it('reads an Anthropic SDK body into the spec, unknown fields into providerOptions', () => {
    const request = anthropicMessages.decodeRequest(anthropicBody);
    expect(request).toEqual({
      model: 'claude-sonnet-4-5',
      maxOutputTokens: 1024,
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Shared context', providerMetadata: cache }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these?' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
            { type: 'file', source: { kind: 'url', url: 'https://example.com/x.pdf' }, filename: 'x.pdf' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'hmm', signature: 'sig' },
            { type: 'tool-call', toolCallId: 'toolu_9', toolName: 'ocr', arguments: '{"page":1}' },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'toolu_9',
              toolName: 'ocr',
              content: 'Invoice',
              isError: false,
            },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: 'Summarise.' }] },
      ],
      tools: [{ name: 'ocr', description: 'Reads pages', inputSchema: { type: 'object' } }],
      toolChoice: 'auto',
      parallelToolCalls: false,
      reasoning: { budgetTokens: 512 },
      temperature: 1,
      user: 'u-1',
      providerOptions: { anthropic: { service_tier: 'standard_only' } },
    });
  });

  it('encodes a decoded body back to the same body (what the gateway forwards to Anthropic)', () => {
    const { stream: _stream, ...withoutStream } = anthropicBody;
    const request = anthropicMessages.decodeRequest(withoutStream);
    const { body, warnings } = encode(request);
    expect(warnings).toEqual([]);
    expect(body).toEqual({ ...withoutStream, model: 'claude-sonnet-4-5' });
  });

  it('round-trips a spec request through Anthropic and back', () => {
    const request: ChatRequest = {
      model: 'claude-sonnet-4-5',
      maxOutputTokens: 2048,
      messages: [
        { role: 'system', content: 'Be exact.' },
        { role: 'user', content: 'Weather in Paris and Oslo?' },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'Two cities.', signature: 'c2lnbmF0dXJl' },
            { type: 'tool-call', toolCallId: 'toolu_a', toolName: 'weather', arguments: '{"city":"Paris"}' },
            { type: 'tool-call', toolCallId: 'toolu_b', toolName: 'weather', arguments: '{"city":"Oslo"}' },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'toolu_a', toolName: 'weather', content: '18C' },
            {
              type: 'tool-result',
              toolCallId: 'toolu_b',
              toolName: 'weather',
              content: [
                { type: 'text', text: 'see chart' },
                { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } },
              ],
              isError: true,
            },
          ],
        },
      ],
      tools: [{ name: 'weather', description: 'Forecast', inputSchema: { type: 'object' }, strict: true }],
      toolChoice: { type: 'tool', name: 'weather' },
      temperature: 0.5,
      topP: 0.8,
      topK: 20,
      stopSequences: ['###'],
      user: 'u-7',
      providerOptions: { anthropic: { service_tier: 'auto' } },
    };
    const { body } = encode(request);
    expect(anthropicMessages.decodeRequest(body)).toEqual(request);
  });

  it.each([
    [{ model: 'm', max_tokens: 'many', messages: [{ role: 'user', content: 'x' }] }, 'max_tokens'],
    [{ model: 'm', messages: [{ role: 'user', content: 'x' }] }, 'max_tokens'],
    [{ model: 'm', max_tokens: 5, messages: [{ role: 'robot', content: 'x' }] }, 'messages.0.role'],
    [
      {
        model: 'm',
        max_tokens: 5,
        messages: [
          {
            role: 'user',
            content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 3 } }],
          },
        ],
      },
      'messages.0.content.0.source.data',
    ],
    [
      { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'video', url: 'x' }] }] },
      'messages.0.content.0.type',
    ],
    [
      {
        model: 'm',
        max_tokens: 5,
        messages: [
          { role: 'user', content: 'x' },
          { role: 'assistant', content: [{ type: 'tool_result', tool_use_id: 't', content: 'x' }] },
        ],
      },
      'messages.1.content.0.type',
    ],
    [
      { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }], tools: [{ name: 'a' }] },
      'tools.0.input_schema',
    ],
  ])('rejects %j naming %s', (body, param) => {
    let thrown: unknown;
    try {
      anthropicMessages.decodeRequest(body);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ kind: 'invalid-request', status: 400, param });
    expect((thrown as Error).message).toContain(param);
  });
});
