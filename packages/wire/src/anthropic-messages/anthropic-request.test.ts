import type { ChatRequest } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { anthropicMessages } from './index.ts';

const encode = (request: ChatRequest, stream = false) =>
  anthropicMessages.encodeRequest(request, { model: 'claude-sonnet-4-5', stream, provider: 'anthropic' });

const cache = { anthropic: { cacheControl: { type: 'ephemeral' } } };

describe('anthropic-messages encodeRequest', () => {
  it('maps every part of a conversation onto Anthropic blocks and merges same-role turns', () => {
    const { body, warnings } = encode({
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'system', content: [{ type: 'text', text: 'Long shared context', providerMetadata: cache }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look:' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
            { type: 'image', source: { kind: 'url', url: 'data:image/jpeg;base64,/9j/4AAQ' } },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' } },
            {
              type: 'file',
              source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0' },
              filename: 'a.pdf',
            },
            { type: 'file', source: { kind: 'url', url: 'https://example.com/b.pdf' } },
            { type: 'file', source: { kind: 'base64', mediaType: 'text/plain', data: btoa('plain words') } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'Think', signature: 'sig-1' },
            { type: 'reasoning', text: '', redactedData: 'opaque' },
            { type: 'text', text: 'Checking both.' },
            { type: 'tool-call', toolCallId: 'toolu_1', toolName: 'weather', arguments: '{"city":"Paris"}' },
            { type: 'tool-call', toolCallId: 'toolu_2', toolName: 'weather', arguments: '{"city":"Oslo"}' },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'toolu_1', toolName: 'weather', content: 'sunny' },
            {
              type: 'tool-result',
              toolCallId: 'toolu_2',
              content: [{ type: 'text', text: 'station down' }],
              isError: true,
            },
          ],
        },
        { role: 'user', content: 'And tomorrow?' },
      ],
    });
    expect(warnings).toEqual([]);
    expect(body.system).toEqual([
      { type: 'text', text: 'You are terse.' },
      { type: 'text', text: 'Long shared context', cache_control: { type: 'ephemeral' } },
    ]);
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look:' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
          { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
          {
            type: 'document',
            source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0' },
            title: 'a.pdf',
          },
          { type: 'document', source: { type: 'url', url: 'https://example.com/b.pdf' } },
          { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain words' } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Think', signature: 'sig-1' },
          { type: 'redacted_thinking', data: 'opaque' },
          { type: 'text', text: 'Checking both.' },
          { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'weather', input: { city: 'Oslo' } },
        ],
      },
      {
        // Both results and the next question in one user turn, results first.
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' },
          {
            type: 'tool_result',
            tool_use_id: 'toolu_2',
            content: [{ type: 'text', text: 'station down' }],
            is_error: true,
          },
          { type: 'text', text: 'And tomorrow?' },
        ],
      },
    ]);
    expect(body.max_tokens).toBe(4096);
  });

  it('keeps a lone plain system prompt a string and maps the sampling settings', () => {
    const { body, warnings } = encode(
      {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ],
        maxOutputTokens: 300,
        temperature: 0.2,
        topP: 0.9,
        topK: 40,
        stopSequences: ['END'],
        user: 'user-42',
        seed: 7,
        frequencyPenalty: 0.5,
        presencePenalty: 0.1,
        tools: [{ name: 'lookup', description: 'Look up', inputSchema: { type: 'object' } }],
        toolChoice: 'required',
        parallelToolCalls: false,
        providerOptions: { anthropic: { service_tier: 'auto', top_k: 10 } },
      },
      true,
    );
    expect(body).toEqual({
      model: 'claude-sonnet-4-5',
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 300,
      temperature: 0.2,
      top_p: 0.9,
      // providerOptions.anthropic is merged last, as-is.
      top_k: 10,
      stop_sequences: ['END'],
      metadata: { user_id: 'user-42' },
      tools: [{ name: 'lookup', description: 'Look up', input_schema: { type: 'object' } }],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      stream: true,
      service_tier: 'auto',
    });
    expect(warnings.map((warning) => warning.setting)).toEqual([
      'seed',
      'frequencyPenalty',
      'presencePenalty',
    ]);
  });

  it.each([
    ['auto', { type: 'auto' }],
    ['none', { type: 'none' }],
    ['required', { type: 'any' }],
    [
      { type: 'tool', name: 'lookup' },
      { type: 'tool', name: 'lookup' },
    ],
  ] as const)('maps toolChoice %j', (toolChoice, expected) => {
    const { body } = encode({
      messages: [{ role: 'user', content: 'x' }],
      tools: [{ name: 'lookup', inputSchema: { type: 'object' } }],
      toolChoice,
    });
    expect(body.tool_choice).toEqual(expected);
  });

  it('forces a json tool for JSON mode', () => {
    const schema = { type: 'object', properties: { answer: { type: 'number' } } };
    const { body } = encode({
      messages: [{ role: 'user', content: '2+2?' }],
      responseFormat: { type: 'json-schema', schema, description: 'The answer' },
    });
    expect(body.tools).toEqual([{ name: 'json', description: 'The answer', input_schema: schema }]);
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'json' });
    const plain = encode({
      messages: [{ role: 'user', content: 'x' }],
      responseFormat: { type: 'json' },
    }).body;
    expect(plain.tools).toEqual([
      expect.objectContaining({ name: 'json', input_schema: { type: 'object' } }),
    ]);
  });

  it('turns a reasoning budget or effort into thinking that fits inside max_tokens', () => {
    const budget = encode({ messages: [{ role: 'user', content: 'x' }], reasoning: { budgetTokens: 2000 } });
    expect(budget.body.thinking).toEqual({ type: 'enabled', budget_tokens: 2000 });
    expect(budget.body.max_tokens).toBe(4096);
    const effort = encode({ messages: [{ role: 'user', content: 'x' }], reasoning: { effort: 'high' } });
    expect(effort.body.thinking).toEqual({ type: 'enabled', budget_tokens: 24_576 });
    expect(effort.body.max_tokens).toBeGreaterThan(24_576);
    const tight = encode({
      messages: [{ role: 'user', content: 'x' }],
      reasoning: { budgetTokens: 2000 },
      maxOutputTokens: 1000,
    });
    expect(tight.body.max_tokens).toBe(3000);
    expect(tight.warnings.map((warning) => warning.setting)).toEqual(['maxOutputTokens']);
  });

  it('leaves out reasoning Anthropic would reject (no signature), saying so', () => {
    const { body, warnings } = encode({
      messages: [
        { role: 'user', content: 'x' },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'from another provider' },
            { type: 'text', text: 'answer' },
          ],
        },
        { role: 'user', content: 'y' },
      ],
    });
    expect((body.messages as Array<{ content: unknown }>)[1]?.content).toEqual([
      { type: 'text', text: 'answer' },
    ]);
    expect(warnings).toEqual([expect.objectContaining({ type: 'unsupported-content' })]);
  });
});
