import { type ChatResponse, RateLimitError, UpstreamServerError } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { openaiChat } from './index.ts';

const context = { provider: 'openai' };

const fullResponse: ChatResponse = {
  id: 'chatcmpl-abc123',
  model: 'gpt-4o-2024-08-06',
  provider: 'openai',
  content: [
    { type: 'reasoning', text: 'Two cities, two calls.' },
    { type: 'text', text: 'Let me check both.' },
    { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', arguments: '{"location":"Paris"}' },
    { type: 'tool-call', toolCallId: 'call_2', toolName: 'weather', arguments: '{"location":"Rome"}' },
  ],
  finishReason: 'tool-calls',
  rawFinishReason: 'tool_calls',
  usage: { inputTokens: 120, outputTokens: 40, totalTokens: 160, cachedInputTokens: 64, reasoningTokens: 12 },
  warnings: [],
};

interface CompletionBody {
  choices: Array<{ index: number; message: Record<string, unknown>; finish_reason: string | null }>;
  [key: string]: unknown;
}

function completion(message: Record<string, unknown>, finishReason: string | null = 'stop'): CompletionBody {
  return {
    id: 'chatcmpl-x',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-4o',
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finishReason }],
    usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
  };
}

describe('openai-chat encodeResponse', () => {
  it('writes a chat.completion an OpenAI client reads', () => {
    const body = openaiChat.encodeResponse(fullResponse);
    expect(body).toMatchObject({
      id: 'chatcmpl-abc123',
      object: 'chat.completion',
      model: 'gpt-4o-2024-08-06',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Let me check both.',
            refusal: null,
            reasoning_content: 'Two cities, two calls.',
            tool_calls: [
              {
                id: 'call_1',
                type: 'function',
                function: { name: 'weather', arguments: '{"location":"Paris"}' },
              },
              {
                id: 'call_2',
                type: 'function',
                function: { name: 'weather', arguments: '{"location":"Rome"}' },
              },
            ],
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: {
        prompt_tokens: 120,
        completion_tokens: 40,
        total_tokens: 160,
        prompt_tokens_details: { cached_tokens: 64 },
        completion_tokens_details: { reasoning_tokens: 12 },
      },
    });
    expect(typeof body.created).toBe('number');
  });

  it('round-trips through decodeResponse', () => {
    expect(openaiChat.decodeResponse(openaiChat.encodeResponse(fullResponse), context)).toEqual(fullResponse);
    const plain: ChatResponse = {
      id: 'msg_01',
      model: 'claude-sonnet-4',
      provider: 'openai',
      content: [{ type: 'text', text: 'Hi.' }],
      finishReason: 'length',
      rawFinishReason: 'length',
      usage: { inputTokens: 3, outputTokens: 1, totalTokens: 4 },
      warnings: [],
    };
    expect(openaiChat.decodeResponse(openaiChat.encodeResponse(plain), context)).toEqual(plain);
  });

  it('mints a chatcmpl id when the response has none', () => {
    const body = openaiChat.encodeResponse({ ...fullResponse, id: '' });
    expect(body.id).toMatch(/^chatcmpl-[A-Za-z0-9]{24}$/);
  });
});

describe('openai-chat decodeResponse', () => {
  it('reads a refusal as marked text and a content-filter finish, and encodes it back as a refusal', () => {
    const response = openaiChat.decodeResponse(
      completion({ content: null, refusal: "I can't help with that." }),
      context,
    );
    expect(response.content).toEqual([
      { type: 'text', text: "I can't help with that.", providerMetadata: { openai: { refusal: true } } },
    ]);
    expect(response.finishReason).toBe('content-filter');
    expect(response.rawFinishReason).toBe('stop');
    const body = openaiChat.encodeResponse(response) as {
      choices: Array<{ message: Record<string, unknown> }>;
    };
    expect(body.choices[0]?.message).toMatchObject({ content: null, refusal: "I can't help with that." });
  });

  it('maps every finish reason', () => {
    const cases: Array<[string | null, ChatResponse['finishReason']]> = [
      ['stop', 'stop'],
      ['length', 'length'],
      ['tool_calls', 'tool-calls'],
      ['function_call', 'tool-calls'],
      ['content_filter', 'content-filter'],
      ['model_length', 'length'],
      ['error', 'error'],
      ['something_new', 'other'],
      [null, 'other'],
    ];
    for (const [raw, expected] of cases) {
      expect(
        openaiChat.decodeResponse(completion({ content: 'x' }, raw), context).finishReason,
        String(raw),
      ).toBe(expected);
    }
  });

  it('canonicalises tool arguments and keeps invalid JSON as it came', () => {
    const response = openaiChat.decodeResponse(
      completion(
        {
          content: null,
          tool_calls: [
            { id: 'a', type: 'function', function: { name: 'f', arguments: '{ "x" : 1 }' } },
            { id: 'b', type: 'function', function: { name: 'g', arguments: '{"x": ' } },
            { id: 'c', type: 'function', function: { name: 'h', arguments: '' } },
          ],
        },
        'tool_calls',
      ),
      context,
    );
    expect(response.content.map((part) => (part.type === 'tool-call' ? part.arguments : ''))).toEqual([
      '{"x":1}',
      '{"x": ',
      '{}',
    ]);
  });

  it('keeps only the first of several choices and says so', () => {
    const body = completion({ content: 'first' });
    body.choices.push({ index: 1, message: { role: 'assistant', content: 'second' }, finish_reason: 'stop' });
    const response = openaiChat.decodeResponse(body, context);
    expect(response.content).toEqual([{ type: 'text', text: 'first' }]);
    expect(response.warnings).toEqual([
      expect.objectContaining({ type: 'unsupported-setting', setting: 'n' }),
    ]);
  });

  it('warns about a Mistral content part it cannot map', () => {
    const response = openaiChat.decodeResponse(
      completion({
        content: [
          { type: 'reference', reference_ids: [1] },
          { type: 'text', text: 'See [1].' },
        ],
      }),
      { provider: 'mistral' },
    );
    expect(response.content).toEqual([{ type: 'text', text: 'See [1].' }]);
    expect(response.warnings).toEqual([expect.objectContaining({ type: 'unsupported-content' })]);
  });

  it('reads the `reasoning` field some servers use instead of reasoning_content', () => {
    const response = openaiChat.decodeResponse(
      completion({ content: 'Paris.', reasoning: 'Capital of France.' }),
      {
        provider: 'vllm',
      },
    );
    expect(response.content).toEqual([
      { type: 'reasoning', text: 'Capital of France.' },
      { type: 'text', text: 'Paris.' },
    ]);
  });

  it('throws the typed error for an error body sent with a 200', () => {
    expect(() =>
      openaiChat.decodeResponse(
        { error: { message: 'Slow down', type: 'rate_limit_error', code: 'rate_limit_exceeded' } },
        context,
      ),
    ).toThrow(RateLimitError);
  });

  it('throws UpstreamServerError for a body that is not a completion', () => {
    for (const body of ['<html>', null, { object: 'list' }]) {
      let thrown: unknown;
      try {
        openaiChat.decodeResponse(body, context);
      } catch (error) {
        thrown = error;
      }
      expect(UpstreamServerError.isInstance(thrown) && (thrown as UpstreamServerError).code).toBe(
        'malformed_response',
      );
    }
  });
});
