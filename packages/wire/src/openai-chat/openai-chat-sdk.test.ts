/**
 * The official `openai` client as judge of the server half: a real HTTP server on 127.0.0.1
 * answers with decodeRequest → encodeResponse / the stream encoder / encodeError, and the SDK,
 * the strictest parser of its own format, must read it.
 */
import {
  type ChatRequest,
  type ChatResponse,
  ModelNotFoundError,
  RateLimitError,
  type StreamEvent,
} from 'ai.matey.core';
import OpenAI, { type APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendEncodedError, startTestServer, type TestServer } from '../test-support/test-server.ts';
import { openaiChat } from './index.ts';

const toolReply: ChatResponse = {
  id: 'chatcmpl-sdk-tools',
  model: 'gpt-4o-mini',
  provider: 'openai',
  content: [
    { type: 'text', text: 'Checking the weather.' },
    { type: 'tool-call', toolCallId: 'call_paris', toolName: 'weather', arguments: '{"location":"Paris"}' },
    {
      type: 'tool-call',
      toolCallId: 'call_rome',
      toolName: 'weather',
      arguments: '{"location":"Rome","unit":"C"}',
    },
  ],
  finishReason: 'tool-calls',
  usage: { inputTokens: 42, outputTokens: 17, totalTokens: 59, cachedInputTokens: 8 },
  warnings: [],
};

/** The reply streamed in small pieces, the second call's arguments split across three deltas. */
function streamedEvents(): StreamEvent[] {
  return [
    { type: 'start', id: 'chatcmpl-sdk-stream', model: 'gpt-4o-mini', provider: 'openai' },
    { type: 'text-delta', index: 0, delta: 'Checking ' },
    { type: 'text-delta', index: 0, delta: 'the weather.' },
    { type: 'tool-call-start', index: 1, toolCallId: 'call_paris', toolName: 'weather' },
    { type: 'tool-call-delta', index: 1, toolCallId: 'call_paris', argumentsDelta: '{"location":"Paris"}' },
    { type: 'tool-call-start', index: 2, toolCallId: 'call_rome', toolName: 'weather' },
    { type: 'tool-call-delta', index: 2, toolCallId: 'call_rome', argumentsDelta: '{"location":' },
    { type: 'tool-call-delta', index: 2, toolCallId: 'call_rome', argumentsDelta: '"Rome",' },
    { type: 'tool-call-delta', index: 2, toolCallId: 'call_rome', argumentsDelta: '"unit":"C"}' },
    {
      type: 'tool-call-end',
      index: 1,
      toolCallId: 'call_paris',
      toolName: 'weather',
      arguments: '{"location":"Paris"}',
    },
    {
      type: 'tool-call-end',
      index: 2,
      toolCallId: 'call_rome',
      toolName: 'weather',
      arguments: '{"location":"Rome","unit":"C"}',
    },
    { type: 'finish', finishReason: 'tool-calls', usage: toolReply.usage },
  ];
}

let server: TestServer;
let client: OpenAI;
const received: ChatRequest[] = [];

beforeAll(async () => {
  server = await startTestServer((_request, text, response) => {
    const body = JSON.parse(text) as {
      stream?: boolean;
      stream_options?: { include_usage?: boolean };
    };
    const decoded = openaiChat.decodeRequest(body);
    received.push(decoded);
    const fail = (error: Parameters<typeof openaiChat.encodeError>[0]) =>
      sendEncodedError(response, openaiChat.encodeError(error));
    if (decoded.model === 'limited')
      return fail(new RateLimitError({ message: 'Slow down', retryAfterMs: 1200 }));
    if (decoded.model === 'missing')
      return fail(new ModelNotFoundError({ message: 'No such model: missing' }));
    if (decoded.model === 'fails-mid-stream') {
      const encoder = openaiChat.createStreamEncoder({ includeUsage: true });
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(encoder.encode({ type: 'start', id: 'chatcmpl-x', model: 'm', provider: 'openai' }));
      response.write(encoder.encode({ type: 'text-delta', index: 0, delta: 'Hel' }));
      response.end(encoder.error(new RateLimitError({ message: 'Upstream rate limited mid-stream' })));
      return;
    }
    if (body.stream) {
      const encoder = openaiChat.createStreamEncoder({
        includeUsage: body.stream_options?.include_usage === true,
      });
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const event of streamedEvents()) response.write(encoder.encode(event));
      response.end(encoder.end());
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(openaiChat.encodeResponse(toolReply)));
  });
  client = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: 'test', maxRetries: 0 });
});

afterAll(() => server.close());

const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'weather',
      description: 'Weather for a city',
      parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
    },
  },
];

describe('the openai SDK against our server half', () => {
  it('reads a plain completion with text, tool calls and usage', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris and Rome?' },
      ],
      tools,
      tool_choice: 'auto',
      temperature: 0.2,
      max_completion_tokens: 100,
    });
    const message = completion.choices[0]?.message;
    expect(message?.content).toBe('Checking the weather.');
    expect(message?.tool_calls).toEqual([
      {
        id: 'call_paris',
        type: 'function',
        function: { name: 'weather', arguments: '{"location":"Paris"}' },
      },
      {
        id: 'call_rome',
        type: 'function',
        function: { name: 'weather', arguments: '{"location":"Rome","unit":"C"}' },
      },
    ]);
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.usage).toMatchObject({
      prompt_tokens: 42,
      completion_tokens: 17,
      total_tokens: 59,
      prompt_tokens_details: { cached_tokens: 8 },
    });
    expect(received.at(-1)).toMatchObject({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris and Rome?' },
      ],
      toolChoice: 'auto',
      temperature: 0.2,
      maxOutputTokens: 100,
      tools: [{ name: 'weather', description: 'Weather for a city' }],
    });
  });

  it('reads a stream chunk by chunk: text, tool calls with streamed arguments, usage', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const calls: Array<{ id?: string; name?: string; arguments: string }> = [];
    let finishReason: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      expect(chunk.id).toBe('chatcmpl-sdk-stream');
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (!choice) continue;
      text += choice.delta.content ?? '';
      for (const fragment of choice.delta.tool_calls ?? []) {
        const call = calls[fragment.index] ?? { arguments: '' };
        calls[fragment.index] = call;
        if (fragment.id) call.id = fragment.id;
        if (fragment.function?.name) call.name = fragment.function.name;
        call.arguments += fragment.function?.arguments ?? '';
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
    expect(text).toBe('Checking the weather.');
    expect(calls).toEqual([
      { id: 'call_paris', name: 'weather', arguments: '{"location":"Paris"}' },
      { id: 'call_rome', name: 'weather', arguments: '{"location":"Rome","unit":"C"}' },
    ]);
    expect(finishReason).toBe('tool_calls');
    expect(usage).toMatchObject({ prompt_tokens: 42, completion_tokens: 17, total_tokens: 59 });
  });

  it('satisfies the SDK stream helper, which rebuilds the whole completion', async () => {
    const stream = client.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools,
      stream_options: { include_usage: true },
    });
    const completion = await stream.finalChatCompletion();
    expect(completion.choices[0]?.message.content).toBe('Checking the weather.');
    expect(
      completion.choices[0]?.message.tool_calls?.map((call) => call.type === 'function' && call.function),
    ).toEqual([
      { name: 'weather', arguments: '{"location":"Paris"}' },
      { name: 'weather', arguments: '{"location":"Rome","unit":"C"}' },
    ]);
    expect(completion.usage?.total_tokens).toBe(59);
  });

  it('surfaces encodeError replies as the SDK APIError with the right status', async () => {
    const limited = await client.chat.completions
      .create({ model: 'limited', messages: [{ role: 'user', content: 'hi' }] })
      .catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect(limited).toMatchObject({ status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded' });
    expect((limited as APIError).headers?.get('retry-after')).toBe('2');

    const missing = await client.chat.completions
      .create({ model: 'missing', messages: [{ role: 'user', content: 'hi' }] })
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect(missing).toMatchObject({
      status: 404,
      code: 'model_not_found',
      message: expect.stringContaining('No such model'),
    });
  });

  it('surfaces an in-stream error as an APIError while iterating', async () => {
    const stream = await client.chat.completions.create({
      model: 'fails-mid-stream',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    let text = '';
    const error = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((caught: unknown) => caught);
    expect(text).toBe('Hel');
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as APIError).message).toContain('Upstream rate limited mid-stream');
  });
});
