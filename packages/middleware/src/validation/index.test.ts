import { Bridge, type ChatRequest, InvalidRequestError } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import { call, modes } from '../test-support/bridge-call.ts';
import { chatRequestSchema, createValidationMiddleware, type ValidationOptions } from './index.ts';

const user = (content: string) => ({ role: 'user' as const, content });
const hello: ChatRequest = { messages: [user('Hello there')] };

function setup(options: ValidationOptions = {}) {
  const backend = new MockBackend();
  return { backend, bridge: new Bridge({ backend, middleware: [createValidationMiddleware(options)] }) };
}

async function refusal(promise: Promise<unknown>): Promise<InvalidRequestError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidRequestError);
  return error as InvalidRequestError;
}

const complete: ChatRequest = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in this picture?' },
        { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' }, detail: 'low' },
        { type: 'file', source: { kind: 'base64', data: 'JVBERi0=', mediaType: 'application/pdf' } },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'Look it up.', signature: 'sig' },
        { type: 'tool-call', toolCallId: 'call_1', toolName: 'lookup', arguments: '{"q":"cat"}' },
      ],
    },
    { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', content: 'a cat' }] },
  ],
  tools: [{ name: 'lookup', description: 'Look up', inputSchema: { type: 'object', properties: {} } }],
  toolChoice: { type: 'tool', name: 'lookup' },
  responseFormat: { type: 'json-schema', schema: { type: 'object' }, name: 'answer' },
  temperature: 0,
  topP: 1,
  topK: 40,
  frequencyPenalty: -2,
  presencePenalty: 2,
  maxOutputTokens: 100,
  seed: 7,
  stopSequences: ['END'],
  reasoning: { effort: 'low', budgetTokens: 0 },
  metadata: { userId: 'u1' },
  providerOptions: { openai: { store: false } },
};

const malformed: Array<[string, unknown, string, string]> = [
  ['no messages', { messages: [] }, 'messages', 'must hold at least one message'],
  ['an unknown role', { messages: [{ role: 'bot', content: 'hi' }] }, 'messages[0].role', "'user'"],
  [
    'a part the role may not hold',
    { messages: [{ role: 'user', content: [{ type: 'tool-call' }] }] },
    'messages[0].content[0].type',
    "one of 'text', 'image', 'file'",
  ],
  [
    'a text part without text',
    { messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text' }] }] },
    'messages[0].content[1].text',
    'expected string',
  ],
  [
    'content of the wrong type',
    { messages: [{ role: 'user', content: 5 }] },
    'messages[0].content',
    'a string or',
  ],
  [
    'a tool message without results',
    { messages: [{ role: 'tool', content: [] }] },
    'messages[0].content',
    'tool-result',
  ],
  ['temperature above 2', { ...hello, temperature: 2.5 }, 'temperature', 'from 0 to 2 (got 2.5)'],
  ['topP above 1', { ...hello, topP: 1.5 }, 'topP', 'from 0 to 1'],
  ['maxOutputTokens of 0', { ...hello, maxOutputTokens: 0 }, 'maxOutputTokens', 'greater than 0'],
  ['a fractional topK', { ...hello, topK: 2.5 }, 'topK', 'whole number'],
  [
    'a tool name with spaces',
    { ...hello, tools: [{ name: 'look up', inputSchema: {} }] },
    'tools[0].name',
    '1 to 128',
  ],
  [
    'a tool schema that is not an object',
    { ...hello, tools: [{ name: 'f', inputSchema: { type: 'string' } }] },
    'tools[0].inputSchema',
    "type 'object'",
  ],
  [
    'a tool choice naming no tool',
    { ...hello, tools: [{ name: 'f', inputSchema: {} }], toolChoice: { type: 'tool', name: 'g' } },
    'toolChoice.name',
    'not among',
  ],
  [
    'an unknown response format',
    { ...hello, responseFormat: { type: 'yaml' } },
    'responseFormat.type',
    "'json'",
  ],
];

describe.each(modes)('createValidationMiddleware (%s)', (mode) => {
  it('passes a well-formed request using every field', async () => {
    const { bridge, backend } = setup({ allowedModels: ['gpt-4o*'], maxMessages: 10, maxInputTokens: 1_000 });
    await call(bridge, mode, complete);
    expect(backend.calls).toHaveLength(1);
  });

  it.each(malformed)('refuses %s, naming the field', async (_name, request, param, message) => {
    const { bridge, backend } = setup();
    const error = await refusal(call(bridge, mode, request as ChatRequest));
    expect(error.param).toBe(param);
    expect(error.message).toContain(`${param}: `);
    expect(error.message).toContain(message);
    expect(error.status).toBe(400);
    expect(backend.calls).toHaveLength(0);
  });

  it('allows only the listed models, exactly or by glob', async () => {
    const { bridge } = setup({ allowedModels: ['gpt-4o-mini', 'anthropic/*', 'gemini-?.5-flash'] });
    await call(bridge, mode, { ...hello, model: 'gpt-4o-mini' });
    await call(bridge, mode, { ...hello, model: 'anthropic/claude-sonnet-4' });
    await call(bridge, mode, { ...hello, model: 'gemini-2.5-flash' });
    await call(bridge, mode, hello); // the backend's default model
    const error = await refusal(call(bridge, mode, { ...hello, model: 'gpt-4o' }));
    expect(error).toMatchObject({ param: 'model', code: 'model_not_allowed' });
    expect(error.message).toContain("'gpt-4o'");
    await refusal(call(bridge, mode, { ...hello, model: 'openai/anthropic/x' }));
  });

  it('requires a model when told to', async () => {
    const { bridge } = setup({ requireModel: true });
    expect(await refusal(call(bridge, mode, hello))).toMatchObject({
      param: 'model',
      code: 'model_required',
    });
    await call(bridge, mode, { ...hello, model: 'any' });
  });

  it('limits the number of messages and the estimated input tokens', async () => {
    const { bridge } = setup({ maxMessages: 2, maxInputTokens: 100 });
    const three = { messages: [user('a'), user('b'), user('c')] };
    expect(await refusal(call(bridge, mode, three))).toMatchObject({
      param: 'messages',
      code: 'too_many_messages',
    });
    const long = { messages: [user('x'.repeat(404))] }; // about 101 tokens
    const error = await refusal(call(bridge, mode, long));
    expect(error).toMatchObject({ param: 'messages', code: 'input_too_long' });
    expect(error.message).toContain('101 tokens');
    await call(bridge, mode, { messages: [user('x'.repeat(400))] });
  });
});

describe('chatRequestSchema', () => {
  it('accepts a complete request and keeps unknown fields out of the way', () => {
    expect(chatRequestSchema.safeParse(complete).success).toBe(true);
    expect(chatRequestSchema.safeParse({ ...hello, somethingNew: true }).success).toBe(true);
    expect(chatRequestSchema.safeParse({ messages: 'hi' }).success).toBe(false);
  });
});
