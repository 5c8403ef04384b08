import { InvalidRequestError } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { openaiChat } from './index.ts';

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
