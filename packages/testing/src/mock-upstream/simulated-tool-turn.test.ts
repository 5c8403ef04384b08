import type { ChatRequest, ToolDefinition } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { schemaExample } from './schema-example.ts';
import { simulatedToolTurn } from './simulated-tool-turn.ts';

const read: ToolDefinition = {
  name: 'Read',
  inputSchema: {
    type: 'object',
    properties: { file_path: { type: 'string' }, limit: { type: 'integer', minimum: 5 } },
    required: ['file_path'],
  },
};
const write: ToolDefinition = {
  name: 'Write',
  inputSchema: {
    type: 'object',
    properties: { file_path: { type: 'string' }, content: { type: 'string' } },
    required: ['file_path', 'content'],
  },
};
const tools = [read, write];

describe('schemaExample', () => {
  it('gives a value of each schema kind that the schema accepts', () => {
    expect(schemaExample(read.inputSchema)).toEqual({ file_path: 'example' });
    expect(
      schemaExample({
        type: 'object',
        required: ['mode', 'count', 'tags', 'flag', 'nested', 'either', 'fixed', 'short'],
        properties: {
          mode: { type: 'string', enum: ['fast', 'slow'] },
          count: { type: 'integer', minimum: 3, maximum: 9 },
          tags: { type: 'array', items: { type: 'string' }, minItems: 2 },
          flag: { type: 'boolean' },
          nested: { properties: { id: { type: ['null', 'number'], maximum: 0 } }, required: ['id'] },
          either: { anyOf: [{ type: 'number', exclusiveMinimum: 4 }, { type: 'string' }] },
          fixed: { const: 'v1' },
          short: { type: 'string', minLength: 10 },
        },
      }),
    ).toEqual({
      mode: 'fast',
      count: 3,
      tags: ['example', 'example'],
      flag: false,
      nested: { id: 0 },
      either: 5,
      fixed: 'v1',
      short: 'exampleeee',
    });
  });
});

describe('simulatedToolTurn', () => {
  const ask = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
    messages: [{ role: 'user', content: text }],
    tools,
    ...extra,
  });

  it('answers as usual when no tool is offered or tools are off', () => {
    expect(simulatedToolTurn({ messages: [{ role: 'user', content: 'hi' }] })).toBeUndefined();
    expect(simulatedToolTurn(ask('hi', { toolChoice: 'none' }))).toBeUndefined();
  });

  it('calls the tool the user names, with the JSON object the user wrote', () => {
    expect(
      simulatedToolTurn(ask('Please use Write with {"file_path":"/tmp/a.txt","content":"hi {x}"} now')),
    ).toEqual({
      toolCalls: [{ name: 'Write', arguments: { file_path: '/tmp/a.txt', content: 'hi {x}' } }],
    });
  });

  it('calls the first tool, or the one toolChoice names, with schema-valid arguments', () => {
    expect(simulatedToolTurn(ask('do something'))).toEqual({
      toolCalls: [{ name: 'Read', arguments: { file_path: 'example' } }],
    });
    expect(simulatedToolTurn(ask('do something', { toolChoice: { type: 'tool', name: 'Write' } }))).toEqual({
      toolCalls: [{ name: 'Write', arguments: { file_path: 'example', content: 'example' } }],
    });
  });

  it('reads the latest user words first (an agent puts its reminders before the prompt)', () => {
    const request: ChatRequest = {
      tools,
      messages: [
        { role: 'system', content: 'You may Read files.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: '<reminder>Read before you Write. {"file_path":"/etc/passwd"}</reminder>' },
            { type: 'text', text: 'Use Write: {"file_path":"/tmp/b","content":"x"}' },
          ],
        },
        { role: 'system', content: 'Environment: linux' },
      ],
    };
    expect(simulatedToolTurn(request)?.toolCalls).toEqual([
      { name: 'Write', arguments: { file_path: '/tmp/b', content: 'x' } },
    ]);
  });

  it('answers in text quoting the results once they come back, even with more user text beside them', () => {
    const request = ask('Use Read');
    request.messages.push(
      {
        role: 'assistant',
        content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'Read', arguments: '{"file_path":"a"}' }],
      },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', content: 'secret-content-42' }] },
      { role: 'user', content: '<system-reminder>carry on</system-reminder>' },
    );
    expect(simulatedToolTurn(request)).toEqual({ text: 'Done. Read returned: secret-content-42' });
    request.messages.push(
      { role: 'assistant', content: 'Done.' },
      { role: 'user', content: 'Use Write again' },
    );
    expect(simulatedToolTurn(request)?.toolCalls?.[0]?.name).toBe('Write');
  });
});
