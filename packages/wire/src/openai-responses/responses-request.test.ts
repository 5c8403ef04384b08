import { type ChatRequest, UnsupportedFeatureError } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { openaiResponses } from './index.ts';

const { decodeCall, encodeRequest } = openaiResponses;

describe('openai-responses request, server side (decodeCall)', () => {
  it('reads instructions, items, tools, format, reasoning and the call settings', () => {
    const { request, stream, options } = decodeCall({
      model: 'gpt-5',
      instructions: 'Be brief.',
      input: [
        { role: 'developer', content: 'Use metric units.' },
        { role: 'user', content: [{ type: 'input_text', text: 'Weather?' }] },
        { type: 'function_call', call_id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '21C' },
      ],
      tools: [
        { type: 'function', name: 'weather', parameters: { type: 'object' }, strict: true },
        { type: 'web_search' },
      ],
      tool_choice: { type: 'function', name: 'weather' },
      parallel_tool_calls: false,
      text: {
        format: { type: 'json_schema', name: 'w', schema: { type: 'object' }, strict: true },
        verbosity: 'low',
      },
      reasoning: { effort: 'high', summary: 'auto' },
      max_output_tokens: 500,
      store: false,
      metadata: { team: 'a' },
      previous_response_id: 'resp_1',
      stream: true,
    });
    expect(stream).toBe(true);
    expect(request.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'system', content: 'Use metric units.' },
      { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
      {
        role: 'assistant',
        content: [expect.objectContaining({ type: 'tool-call', toolCallId: 'call_1', toolName: 'weather' })],
      },
      {
        role: 'tool',
        content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'weather', content: '21C' }],
      },
    ]);
    expect(request.tools).toEqual([{ name: 'weather', inputSchema: { type: 'object' }, strict: true }]);
    expect(request.toolChoice).toEqual({ type: 'tool', name: 'weather' });
    expect(request.parallelToolCalls).toBe(false);
    expect(request.responseFormat).toEqual({
      type: 'json-schema',
      name: 'w',
      schema: { type: 'object' },
      strict: true,
    });
    expect(request.reasoning).toEqual({ effort: 'high' });
    expect(request.maxOutputTokens).toBe(500);
    // What a reply repeats of the request, as sent (and in metadata, for the response store).
    const echo = {
      instructions: 'Be brief.',
      parallel_tool_calls: false,
      previous_response_id: 'resp_1',
      metadata: { team: 'a' },
      store: false,
      max_output_tokens: 500,
      reasoning: { effort: 'high', summary: 'auto' },
      text: {
        format: { type: 'json_schema', name: 'w', schema: { type: 'object' }, strict: true },
        verbosity: 'low',
      },
      tool_choice: { type: 'function', name: 'weather' },
    };
    expect(options.echo).toMatchObject(echo);
    expect(options.echo).toHaveProperty('tools', expect.arrayContaining([{ type: 'web_search' }]));
    expect(options.echo).not.toHaveProperty('input');
    expect(options.echo).not.toHaveProperty('stream');
    expect(request.metadata).toEqual({
      storeResponse: false,
      instructionMessages: 1,
      previousResponseId: 'resp_1',
      replyEcho: options.echo,
    });
    expect(request.providerOptions?.['openai-responses']).toEqual({
      tools: [{ type: 'web_search' }],
      text: { verbosity: 'low' },
      reasoning: { summary: 'auto' },
      store: false,
      metadata: { team: 'a' },
    });
  });

  it('brings another provider’s reasoning back whole from its encrypted_content', () => {
    const reply = openaiResponses.encodeResponse({
      id: 'msg_1',
      model: 'claude',
      provider: 'anthropic',
      content: [
        { type: 'reasoning', text: '925 / 5 = 185', signature: 'sig-abc' },
        { type: 'text', text: '185' },
      ],
      finishReason: 'stop',
      usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 },
      warnings: [],
    });
    const output = reply.output as Array<Record<string, unknown>>;
    expect(output[0]).toMatchObject({
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: '925 / 5 = 185' }],
    });
    const { request } = decodeCall({
      input: [{ role: 'user', content: 'q' }, ...output, { role: 'user', content: 'next' }],
    });
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'reasoning', text: '925 / 5 = 185', signature: 'sig-abc' },
        expect.objectContaining({ type: 'text', text: '185' }),
      ],
    });
  });
});

describe('openai-responses request, client side (encodeRequest)', () => {
  const request: ChatRequest = {
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'weather', arguments: '{}' }],
      },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', content: '21C' }] },
    ],
    tools: [{ name: 'weather', inputSchema: { type: 'object' } }],
    maxOutputTokens: 100,
    reasoning: { effort: 'low', budgetTokens: 1000 },
    topK: 5,
    seed: 1,
    providerOptions: { openai: { store: false, logprobs: true } },
  };

  it('writes instructions, input items and flat function tools, and warns for what it cannot send', () => {
    const { body, warnings } = encodeRequest(request, { model: 'gpt-5', stream: true, provider: 'openai' });
    expect(body).toMatchObject({
      model: 'gpt-5',
      instructions: 'Be brief.',
      input: [
        { type: 'message', role: 'user', content: 'Weather in Paris?' },
        { type: 'function_call', call_id: 'c1', name: 'weather', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: '21C' },
      ],
      tools: [{ type: 'function', name: 'weather', parameters: { type: 'object' }, strict: false }],
      max_output_tokens: 100,
      reasoning: { effort: 'low' },
      store: false,
      stream: true,
    });
    expect(body).not.toHaveProperty('logprobs');
    expect(warnings.map((warning) => warning.setting).sort()).toEqual(
      ['logprobs', 'reasoning.budgetTokens', 'seed', 'topK'].sort(),
    );
  });

  it('reads back the conversation it writes', () => {
    const { body } = encodeRequest(request, { model: 'gpt-5', stream: false });
    const { request: decoded } = decodeCall(body);
    expect(decoded.messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'tool']);
  });
});

describe('openai-responses forOtherProtocol', () => {
  it('refuses a hosted tool, drops a search record with a warning and keeps the rest', () => {
    const hosted = decodeCall({ input: 'hi', tools: [{ type: 'local_shell' }] }).request;
    expect(() => openaiResponses.forOtherProtocol?.(hosted)).toThrow(UnsupportedFeatureError);
    const searched = decodeCall({
      input: [
        { role: 'user', content: 'news?' },
        { type: 'web_search_call', id: 'ws_1', status: 'completed' },
        { role: 'assistant', content: 'The news.' },
      ],
      truncation: 'auto',
    }).request;
    const fitted = openaiResponses.forOtherProtocol?.(searched);
    expect(fitted?.request.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(fitted?.request.providerOptions).toBeUndefined();
    expect(fitted?.warnings.map((warning) => warning.setting)).toEqual(['truncation', 'messages[1]']);
  });
});
