import { type ChatRequest, InvalidRequestError } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { openaiChat } from './index.ts';

const weatherSchema = {
  type: 'object',
  properties: { location: { type: 'string' } },
  required: ['location'],
  additionalProperties: false,
};

/** Everything OpenAI Chat Completions can express, in one conversation. */
const fullRequest: ChatRequest = {
  model: 'deepseek-chat',
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'system', content: [{ type: 'text', text: 'Answer in English.' }] },
    { role: 'user', content: 'Hello', name: 'ada' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in these?' },
        { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' }, detail: 'low' },
        { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
        {
          type: 'file',
          source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0x' },
          filename: 'report.pdf',
        },
        { type: 'file', source: { kind: 'base64', mediaType: 'audio/wav', data: 'UklGRg==' } },
        { type: 'file', source: { kind: 'base64', mediaType: 'audio/mpeg', data: 'SUQz' } },
        {
          type: 'file',
          source: { kind: 'url', url: 'file-abc123' },
          filename: 'notes.pdf',
          providerMetadata: { openai: { fileId: 'file-abc123' } },
        },
      ],
    },
    { role: 'assistant', content: 'A cat, a report and two sounds.', name: 'bot' },
    { role: 'user', content: 'Weather in Paris and Rome?' },
    {
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'Two cities: two calls.' },
        { type: 'text', text: 'Checking both.' },
        { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', arguments: '{"location":"Paris"}' },
        { type: 'tool-call', toolCallId: 'call_2', toolName: 'weather', arguments: '{"location":"Rome"}' },
      ],
    },
    {
      role: 'tool',
      content: [
        { type: 'tool-result', toolCallId: 'call_1', toolName: 'weather', content: 'sunny' },
        {
          type: 'tool-result',
          toolCallId: 'call_2',
          toolName: 'weather',
          content: [
            { type: 'text', text: 'rain' },
            { type: 'text', text: ', 12°C' },
          ],
        },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'tool-call', toolCallId: 'call_3', toolName: 'weather', arguments: '{"location":"Oslo"}' },
      ],
    },
    {
      role: 'tool',
      content: [{ type: 'tool-result', toolCallId: 'call_3', toolName: 'weather', content: 'snow' }],
    },
  ],
  tools: [
    { name: 'weather', description: 'Current weather', inputSchema: weatherSchema, strict: true },
    { name: 'noop', inputSchema: { type: 'object', properties: {} } },
  ],
  toolChoice: { type: 'tool', name: 'weather' },
  parallelToolCalls: false,
  responseFormat: {
    type: 'json-schema',
    name: 'weather',
    description: 'A report',
    schema: weatherSchema,
    strict: true,
  },
  maxOutputTokens: 256,
  temperature: 0.3,
  topP: 0.9,
  frequencyPenalty: 0.1,
  presencePenalty: -0.2,
  seed: 42,
  stopSequences: ['END', 'STOP'],
  user: 'user-7',
  reasoning: { effort: 'low' },
};

describe('openai-chat request round trip', () => {
  it('decodes what it encodes, for everything OpenAI can express (DeepSeek, with reasoning in history)', () => {
    const { body, warnings } = openaiChat.encodeRequest(fullRequest, {
      model: 'deepseek-chat',
      stream: false,
      provider: 'deepseek',
    });
    expect(warnings).toEqual([]);
    expect(openaiChat.decodeRequest(JSON.parse(JSON.stringify(body)))).toEqual(fullRequest);
  });

  it('round-trips each tool choice and response format', () => {
    const choices: ChatRequest['toolChoice'][] = ['auto', 'none', 'required', { type: 'tool', name: 'noop' }];
    const formats: ChatRequest['responseFormat'][] = [
      { type: 'text' },
      { type: 'json' },
      { type: 'json-schema', name: 'x', schema: { type: 'object' } },
    ];
    for (const toolChoice of choices) {
      for (const responseFormat of formats) {
        const request: ChatRequest = {
          model: 'gpt-4o',
          messages: [{ role: 'user', content: 'hi' }],
          tools: [{ name: 'noop', inputSchema: { type: 'object', properties: {} } }],
          toolChoice,
          responseFormat,
        };
        const { body } = openaiChat.encodeRequest(request, {
          model: 'gpt-4o',
          stream: false,
          provider: 'openai',
        });
        expect(openaiChat.decodeRequest(body)).toEqual(request);
      }
    }
  });

  it('keeps OpenAI-only fields through an OpenAI-to-OpenAI passthrough', () => {
    const inbound = {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
      n: 2,
      logprobs: true,
      top_logprobs: 3,
      store: true,
      metadata: { team: 'search' },
      service_tier: 'flex',
      logit_bias: { '50256': -100 },
      reasoning_effort: 'xhigh',
      tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [] } },
    };
    const request = openaiChat.decodeRequest(inbound);
    const { body } = openaiChat.encodeRequest(request, {
      model: 'gpt-4o',
      stream: false,
      provider: 'openai',
    });
    expect(body).toEqual(inbound);
  });
});

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

describe('openai-chat decodeRequest', () => {
  it('reads what the OpenAI SDK sends', () => {
    const request = openaiChat.decodeRequest({
      model: 'anthropic/claude-sonnet-4',
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'a', type: 'function', function: { name: 'weather', arguments: '{"location":"Paris"}' } },
            { id: 'b', type: 'function', function: { name: 'time', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'a', content: 'sunny' },
        { role: 'tool', tool_call_id: 'b', content: '12:00' },
      ],
      max_tokens: 100,
      stop: 'END',
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(request).toEqual({
      model: 'anthropic/claude-sonnet-4',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: [
            { type: 'tool-call', toolCallId: 'a', toolName: 'weather', arguments: '{"location":"Paris"}' },
            { type: 'tool-call', toolCallId: 'b', toolName: 'time', arguments: '{}' },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'a', toolName: 'weather', content: 'sunny' },
            { type: 'tool-result', toolCallId: 'b', toolName: 'time', content: '12:00' },
          ],
        },
      ],
      maxOutputTokens: 100,
      stopSequences: ['END'],
    });
  });

  it('reads a bare-base64 file and a data-URL image', () => {
    const request = openaiChat.decodeRequest({
      model: 'gpt-4o',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'file', file: { file_data: 'JVBERi0x', filename: 'a.pdf' } },
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ', detail: 'high' } },
          ],
        },
      ],
    });
    expect(request.messages[0]?.content).toEqual([
      {
        type: 'file',
        source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0x' },
        filename: 'a.pdf',
      },
      {
        type: 'image',
        source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/4AAQ' },
        detail: 'high',
      },
    ]);
  });

  const invalid: Array<[string, unknown, string | undefined]> = [
    ['a non-object body', 'hello', undefined],
    ['missing messages', { model: 'gpt-4o' }, 'messages'],
    ['messages not an array', { model: 'gpt-4o', messages: 'hi' }, 'messages'],
    [
      'content of the wrong type',
      {
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: 'x' },
          { role: 'user', content: 'y' },
          { role: 'user', content: 42 },
        ],
      },
      'messages[2].content',
    ],
    [
      'a text part whose text is not a string',
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'ok' },
              { type: 'text', text: 7 },
            ],
          },
        ],
      },
      'messages[0].content[1].text',
    ],
    [
      'an unknown content part type',
      { messages: [{ role: 'user', content: [{ type: 'video', url: 'x' }] }] },
      'messages[0].content[0].type',
    ],
    [
      'an unknown role',
      {
        messages: [
          { role: 'user', content: 'a' },
          { role: 'robot', content: 'b' },
        ],
      },
      'messages[1].role',
    ],
    [
      'a tool message without its call id',
      { messages: [{ role: 'tool', content: 'x' }] },
      'messages[0].tool_call_id',
    ],
    [
      'a string temperature',
      { messages: [{ role: 'user', content: 'a' }], temperature: 'hot' },
      'temperature',
    ],
    [
      'a tool without a name',
      {
        messages: [{ role: 'user', content: 'a' }],
        tools: [{ type: 'function', function: { parameters: {} } }],
      },
      'tools[0].function.name',
    ],
    [
      'tool call arguments as an object',
      {
        messages: [
          {
            role: 'assistant',
            tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: { x: 1 } } }],
          },
        ],
      },
      'messages[0].tool_calls[0].function.arguments',
    ],
  ];

  for (const [what, body, param] of invalid) {
    it(`rejects ${what} with InvalidRequestError naming ${param ?? 'no field'}`, () => {
      let thrown: unknown;
      try {
        openaiChat.decodeRequest(body);
      } catch (error) {
        thrown = error;
      }
      expect(InvalidRequestError.isInstance(thrown)).toBe(true);
      const error = thrown as InvalidRequestError;
      expect(error.kind).toBe('invalid-request');
      expect(error.status).toBe(400);
      expect(error.param).toBe(param);
      if (param) expect(error.message).toContain(param);
    });
  }
});
