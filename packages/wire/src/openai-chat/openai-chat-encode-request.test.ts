import type { ChatRequest } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { fullRequest, weatherSchema } from '../test-support/openai-chat-full-request.ts';
import { openaiChat } from './index.ts';

describe('openai-chat encodeRequest', () => {
  it('writes the wire shapes OpenAI expects', () => {
    const { body } = openaiChat.encodeRequest(fullRequest, {
      model: 'gpt-4o',
      stream: false,
      provider: 'openai',
    });
    const messages = body.messages as Array<Record<string, unknown>>;
    expect(messages.map((message) => message.role)).toEqual([
      'system',
      'system',
      'user',
      'user',
      'assistant',
      'user',
      'assistant',
      'tool',
      'tool',
      'assistant',
      'tool',
    ]);
    expect(messages[3]?.content).toEqual([
      { type: 'text', text: 'What is in these?' },
      { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0x', filename: 'report.pdf' } },
      { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
      { type: 'input_audio', input_audio: { data: 'SUQz', format: 'mp3' } },
      { type: 'file', file: { file_id: 'file-abc123', filename: 'notes.pdf' } },
    ]);
    expect(messages[6]).toEqual({
      role: 'assistant',
      content: 'Checking both.',
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"location":"Paris"}' } },
        { id: 'call_2', type: 'function', function: { name: 'weather', arguments: '{"location":"Rome"}' } },
      ],
    });
    expect(messages[7]).toEqual({ role: 'tool', tool_call_id: 'call_1', content: 'sunny' });
    expect(messages[8]).toEqual({
      role: 'tool',
      tool_call_id: 'call_2',
      content: [
        { type: 'text', text: 'rain' },
        { type: 'text', text: ', 12°C' },
      ],
    });
    expect(messages[9]).toMatchObject({ role: 'assistant', content: null });
    expect(body.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'weather',
          description: 'Current weather',
          parameters: weatherSchema,
          strict: true,
        },
      },
      { type: 'function', function: { name: 'noop', parameters: { type: 'object', properties: {} } } },
    ]);
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'weather' } });
    expect(body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'weather', description: 'A report', schema: weatherSchema, strict: true },
    });
    expect(body).toMatchObject({
      model: 'gpt-4o',
      parallel_tool_calls: false,
      max_completion_tokens: 256,
      temperature: 0.3,
      top_p: 0.9,
      frequency_penalty: 0.1,
      presence_penalty: -0.2,
      seed: 42,
      stop: ['END', 'STOP'],
      user: 'user-7',
      reasoning_effort: 'low',
    });
    expect(body).not.toHaveProperty('stream');
    expect(body).not.toHaveProperty('stream_options');
  });

  it('asks for usage in every stream', () => {
    const { body } = openaiChat.encodeRequest(
      { messages: [{ role: 'user', content: 'hi' }] },
      { model: 'llama', stream: true, provider: 'groq' },
    );
    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
  });

  it('warns about what it cannot send instead of dropping it silently', () => {
    const request: ChatRequest = {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'file', source: { kind: 'url', url: 'https://example.com/a.pdf' }, filename: 'a.pdf' },
            { type: 'file', source: { kind: 'base64', mediaType: 'audio/ogg', data: 'T2dn' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'hmm' },
            { type: 'tool-call', toolCallId: 'c1', toolName: 'look', arguments: '{}' },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'c1',
              isError: true,
              content: [
                { type: 'text', text: 'failed' },
                { type: 'image', source: { kind: 'url', url: 'https://example.com/x.png' } },
              ],
            },
          ],
        },
      ],
      topK: 40,
      reasoning: { budgetTokens: 1000 },
    };
    const { body, warnings } = openaiChat.encodeRequest(request, {
      model: 'gpt-4o',
      stream: false,
      provider: 'openai',
    });
    expect(warnings.map((warning) => [warning.type, warning.setting])).toEqual([
      ['unsupported-content', 'messages[0].content[0]'],
      ['unsupported-content', 'messages[0].content[1]'],
      ['unsupported-content', 'messages[1].content'],
      ['unsupported-content', 'messages[2].content'],
      ['unsupported-setting', 'messages[2].content'],
      ['unsupported-setting', 'reasoning.budgetTokens'],
      ['unsupported-setting', 'topK'],
    ]);
    expect(body).not.toHaveProperty('top_k');
    const messages = body.messages as Array<Record<string, unknown>>;
    expect(messages[0]?.content).toEqual([]);
    expect(messages[1]).not.toHaveProperty('reasoning_content');
    expect(messages[2]?.content).toEqual([{ type: 'text', text: 'failed' }]);
  });

  it('sends reasoning history as reasoning_content to DeepSeek', () => {
    const request: ChatRequest = {
      messages: [
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'thought' },
            { type: 'text', text: 'ok' },
          ],
        },
      ],
    };
    const { body, warnings } = openaiChat.encodeRequest(request, {
      model: 'deepseek-reasoner',
      stream: false,
      provider: 'deepseek',
    });
    expect(warnings).toEqual([]);
    expect(body.messages).toEqual([{ role: 'assistant', content: 'ok', reasoning_content: 'thought' }]);
  });

  it('merges providerOptions.openai and the provider own options into the body as given', () => {
    const request: ChatRequest = {
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 1,
      metadata: { user: 'from-metadata', trace: 'never-sent' },
      providerOptions: {
        openai: { logprobs: true, temperature: 0.5 },
        together: { top_k: 40, repetition_penalty: 1.1 },
        anthropic: { thinking: { type: 'enabled' } },
      },
    };
    const { body } = openaiChat.encodeRequest(request, { model: 'm', stream: false, provider: 'together' });
    expect(body).toEqual({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.5,
      user: 'from-metadata',
      logprobs: true,
      top_k: 40,
      repetition_penalty: 1.1,
    });
  });
});
