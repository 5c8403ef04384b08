import { type ChatRequest, collectStream, responseText } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { ADAPTER_FAMILIES } from '../test-support/adapter-families.ts';
import { drain, useMockUpstream } from '../test-support/upstream-harness.ts';

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe.each(ADAPTER_FAMILIES)('$label adapter against the mock upstream', (family) => {
  const mock = useMockUpstream();
  const backend = () => family.make(mock.upstream.url, { transport: mock.transport });
  const ask = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
    model: family.model,
    messages: [{ role: 'user', content: text }],
    ...extra,
  });

  it('answers a JSON call on the provider path, authenticated with its own header', async () => {
    mock.upstream.enqueue({ text: 'Bonjour!', usage: { inputTokens: 12, outputTokens: 3 } });
    const reply = await backend().execute(ask('Say hello in French'));
    expect(responseText(reply)).toBe('Bonjour!');
    expect(reply.provider).toBe(family.provider);
    expect(reply.usage).toMatchObject({ inputTokens: 12, outputTokens: 3 });
    const [call] = mock.upstream.requests;
    expect(call?.path).toBe(family.chatPath(false));
    expect(call?.headers[family.authHeader]).toBe('[REDACTED]');
    if (family.protocol === 'anthropic-messages')
      expect(call?.headers['anthropic-version']).toBe('2023-06-01');
    expect(call?.request?.messages).toEqual([{ role: 'user', content: 'Say hello in French' }]);
  });

  it('streams a reply as spec events that collect to the same answer', async () => {
    mock.upstream.enqueue({
      text: 'one two three four',
      chunkCount: 4,
      usage: { inputTokens: 5, outputTokens: 4 },
    });
    const seen = await drain(backend().stream(ask('Count')));
    expect(seen[0]?.type).toBe('start');
    expect(seen.filter((event) => event.type === 'text-delta').length).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1)?.type).toBe('finish');
    const collected = await collectStream(
      (async function* () {
        yield* seen;
      })(),
    );
    expect(responseText(collected)).toBe('one two three four');
    expect(mock.upstream.requests[0]?.path).toBe(family.chatPath(true));
    expect(mock.upstream.requests[0]?.stream).toBe(true);
  });

  it('completes a tool round trip: tool call, tool result, final answer', async () => {
    mock.upstream.enqueue(
      { toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] },
      { text: 'It is sunny in Paris.' },
    );
    const request = ask('Weather in Paris?', { tools: [weatherTool] });
    const first = await backend().execute(request);
    expect(first.finishReason).toBe('tool-calls');
    const call = first.content.find((part) => part.type === 'tool-call');
    expect(call).toMatchObject({ toolName: 'get_weather' });
    if (call?.type !== 'tool-call') throw new Error('no tool call');
    expect(JSON.parse(call.arguments)).toEqual({ city: 'Paris' });

    const followUp: ChatRequest = {
      ...request,
      messages: [
        ...request.messages,
        { role: 'assistant', content: first.content },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: call.toolCallId,
              toolName: 'get_weather',
              content: '22C, sunny',
            },
          ],
        },
      ],
    };
    const final = await backend().execute(followUp);
    expect(responseText(final)).toBe('It is sunny in Paris.');
    const sent = mock.upstream.requests[1]?.request?.messages.at(-1);
    expect(sent?.role).toBe('tool');
    expect(JSON.stringify(sent)).toContain('22C, sunny');
  });

  it('streams a tool call with its arguments', async () => {
    mock.upstream.enqueue({
      toolCalls: [{ id: 'call_9', name: 'get_weather', arguments: { city: 'Oslo' } }],
    });
    const seen = await drain(backend().stream(ask('Weather in Oslo?', { tools: [weatherTool] })));
    const end = seen.find((event) => event.type === 'tool-call-end');
    expect(end).toMatchObject({ toolName: 'get_weather' });
    if (end?.type === 'tool-call-end') expect(JSON.parse(end.arguments)).toEqual({ city: 'Oslo' });
    expect(seen.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
  });

  it('surfaces the provider rate-limit headers as response.rateLimit', async () => {
    const headers: Record<string, string> =
      family.protocol === 'anthropic-messages'
        ? { 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-remaining': '7' }
        : {
            'x-ratelimit-limit-requests': '50',
            'x-ratelimit-remaining-requests': '7',
            'x-ratelimit-reset-requests': '2s',
          };
    mock.upstream.enqueue({ text: 'ok', headers });
    const reply = await backend().execute(ask('Hi'));
    expect(reply.rateLimit).toMatchObject({ limitRequests: 50, remainingRequests: 7 });
  });

  it('lists the provider models, completed from the catalog', async () => {
    if (family.provider === 'azure-openai') {
      expect((await backend().listModels()).length).toBeGreaterThan(0);
      expect(mock.upstream.requests).toHaveLength(0);
      return;
    }
    const models = await backend().listModels();
    expect(models.length).toBeGreaterThan(0);
    expect(models.every((model) => model.provider === family.provider)).toBe(true);
    expect(mock.upstream.requests[0]?.method).toBe('GET');
    const health = await backend().healthCheck();
    expect(health.healthy).toBe(true);
  });
});
