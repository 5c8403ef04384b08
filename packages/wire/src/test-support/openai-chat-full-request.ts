import type { ChatRequest } from 'ai.matey.core';

/** A JSON schema for a weather tool, as OpenAI's strict mode takes it. */
export const weatherSchema = {
  type: 'object',
  properties: { location: { type: 'string' } },
  required: ['location'],
  additionalProperties: false,
};

/** Everything OpenAI Chat Completions can express, in one conversation. */
export const fullRequest: ChatRequest = {
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
