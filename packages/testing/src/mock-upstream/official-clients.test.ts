/**
 * The official clients (`openai`, `@anthropic-ai/sdk`, `@google/genai`) pointed at the mock: they
 * are the strictest parsers of their own formats, so this proves the mock speaks them.
 */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { startMockUpstream } from './mock-upstream.ts';
import type { MockUpstreamReply } from './mock-upstream-reply.ts';

const toolReply: MockUpstreamReply = {
  text: 'Let me look that up.',
  toolCalls: [{ id: 'call_weather_1', name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } }],
  usage: { inputTokens: 21, outputTokens: 13 },
};
const reasoningReply: MockUpstreamReply = {
  reasoning: 'The user greets me. A short greeting back fits.',
  reasoningSignature: 'sig-123',
  text: 'Hello! How can I help you today?',
  usage: { inputTokens: 9, outputTokens: 30 },
  finishReason: 'stop',
};
const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('openai client', () => {
  it('reads text, tool calls and usage, plain and streamed', async () => {
    await using upstream = await startMockUpstream({ reply: toolReply });
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${upstream.url}/v1`, maxRetries: 0 });
    const params = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
      tools: [{ type: 'function' as const, function: weatherTool }],
    };
    const completion = await client.chat.completions.create(params);
    const message = completion.choices[0]?.message;
    expect(message?.content).toBe('Let me look that up.');
    expect(message?.tool_calls?.[0]).toMatchObject({
      id: 'call_weather_1',
      function: { name: 'get_weather' },
    });
    const call = message?.tool_calls?.[0];
    expect(JSON.parse(call?.type === 'function' ? call.function.arguments : '')).toEqual({
      city: 'Paris',
      unit: 'celsius',
    });
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.usage).toMatchObject({ prompt_tokens: 21, completion_tokens: 13, total_tokens: 34 });

    const stream = client.chat.completions.stream({ ...params, stream_options: { include_usage: true } });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('Let me look that up.');
    expect(final.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      id: 'call_weather_1',
      function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
    });
    expect(final.usage).toMatchObject({ prompt_tokens: 21, completion_tokens: 13 });
    expect(upstream.requests[1]?.request?.tools?.[0]?.name).toBe('get_weather');
  });

  it('streams the echo as many deltas, and lists models', async () => {
    await using upstream = await startMockUpstream({ defaults: { chunkCount: 12 }, models: ['m-1', 'm-2'] });
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${upstream.url}/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Count with me' }],
      stream: true,
    });
    const deltas: string[] = [];
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta.content;
      if (delta) deltas.push(delta);
    }
    expect(deltas).toHaveLength(12);
    expect(deltas.join('')).toMatch(/^Echo: Count with me /);
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toEqual(['m-1', 'm-2']);
  });

  it('is served on the Azure deployment path too', async () => {
    await using upstream = await startMockUpstream({ reply: { text: 'azure ok' } });
    const res = await fetch(
      `${upstream.url}/openai/deployments/my-gpt/chat/completions?api-version=2024-10-21`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'api-key': 'azure-secret' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
      },
    );
    const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]?.message.content).toBe('azure ok');
    expect(upstream.requests[0]?.model).toBe('my-gpt');
  });
});

describe('anthropic client', () => {
  it('reads thinking with its signature, text and usage, plain and streamed', async () => {
    await using upstream = await startMockUpstream({ reply: reasoningReply });
    const client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: upstream.url, maxRetries: 0 });
    const params = {
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      thinking: { type: 'enabled' as const, budget_tokens: 512 },
      messages: [{ role: 'user' as const, content: 'Hi!' }],
    };
    const message = await client.messages.create(params);
    expect(message.content).toEqual([
      { type: 'thinking', thinking: reasoningReply.reasoning, signature: 'sig-123' },
      expect.objectContaining({ type: 'text', text: reasoningReply.text }),
    ]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: 9, output_tokens: 30 });

    const final = await client.messages.stream(params).finalMessage();
    expect(final.content).toEqual(message.content);
    expect(final.usage).toMatchObject({ input_tokens: 9, output_tokens: 30 });
    expect(upstream.requests[0]?.request?.reasoning).toEqual({ budgetTokens: 512 });
  });

  it('reads tool use, plain and streamed, and lists models in Anthropic format', async () => {
    await using upstream = await startMockUpstream({ reply: toolReply, models: ['claude-a'] });
    const client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: upstream.url, maxRetries: 0 });
    const params = {
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      tools: [{ name: weatherTool.name, input_schema: { type: 'object' as const, properties: {} } }],
      messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
    };
    for (const message of [
      await client.messages.create(params),
      await client.messages.stream(params).finalMessage(),
    ]) {
      expect(message.stop_reason).toBe('tool_use');
      expect(message.content).toEqual([
        expect.objectContaining({ type: 'text', text: 'Let me look that up.' }),
        expect.objectContaining({
          type: 'tool_use',
          id: 'call_weather_1',
          name: 'get_weather',
          input: { city: 'Paris', unit: 'celsius' },
        }),
      ]);
    }
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toEqual(['claude-a']);
  });
});

describe('google genai client', () => {
  it('reads text, function calls and usage, plain and streamed', async () => {
    await using upstream = await startMockUpstream({ reply: toolReply });
    const client = new GoogleGenAI({
      apiKey: 'g-test',
      httpOptions: { baseUrl: upstream.url, apiVersion: 'v1beta' },
    });
    const request = { model: 'gemini-2.5-flash', contents: 'Weather in Paris?' };
    const response = await client.models.generateContent(request);
    expect(response.text).toBe('Let me look that up.');
    expect(response.functionCalls?.[0]).toMatchObject({
      name: 'get_weather',
      args: { city: 'Paris', unit: 'celsius' },
    });
    expect(response.usageMetadata).toMatchObject({ promptTokenCount: 21, totalTokenCount: 34 });
    expect(upstream.requests[0]?.model).toBe('gemini-2.5-flash');
    expect(upstream.requests[0]?.stream).toBe(false);

    let text = '';
    const calls: unknown[] = [];
    for await (const chunk of await client.models.generateContentStream(request)) {
      text += chunk.text ?? '';
      calls.push(...(chunk.functionCalls ?? []));
    }
    expect(text).toBe('Let me look that up.');
    expect(calls).toEqual([
      expect.objectContaining({ name: 'get_weather', args: { city: 'Paris', unit: 'celsius' } }),
    ]);
    expect(upstream.requests[1]?.stream).toBe(true);
  });

  it('reads thoughts and lists models in Gemini format', async () => {
    await using upstream = await startMockUpstream({ reply: reasoningReply, models: ['gemini-x'] });
    const client = new GoogleGenAI({ apiKey: 'g-test', httpOptions: { baseUrl: upstream.url } });
    const response = await client.models.generateContent({ model: 'gemini-2.5-pro', contents: 'Hi!' });
    const parts = response.candidates?.[0]?.content?.parts ?? [];
    expect(parts[0]).toMatchObject({ thought: true, text: reasoningReply.reasoning });
    expect(response.text).toBe(reasoningReply.text);
    const models = await client.models.list();
    const names: string[] = [];
    for await (const model of models) names.push(model.name ?? '');
    expect(names).toEqual(['models/gemini-x']);
  });
});
