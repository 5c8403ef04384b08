/**
 * The `openai` SDK pointed at the gateway, each call served once by an OpenAI-protocol upstream
 * and once by an Anthropic-protocol one (the translation lane): the SDK is the judge of the format.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LANES, startTestFleet, type TestFleet, UPSTREAM_KEY } from './test-gateway.ts';

let fleet: TestFleet;
let client: OpenAI;
beforeAll(async () => {
  fleet = await startTestFleet();
  client = new OpenAI({ apiKey: 'unused', baseURL: `${fleet.url}/v1`, maxRetries: 0 });
});
afterAll(() => fleet.close());
beforeEach(() => {
  fleet.upstreams.openai.reset();
  fleet.upstreams.anthropic.reset();
});

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

describe.each(LANES)('openai client, $lane upstream', ({ lane, model, upstreamModel }) => {
  const upstream = () => fleet.upstreams[lane];

  it('creates a completion with text, usage and the upstream model', async () => {
    upstream().setReply({ text: 'Bonjour!', usage: { inputTokens: 11, outputTokens: 3 } });
    const { data, response } = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'Say hi in French' }] })
      .withResponse();
    expect(data.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'Bonjour!' });
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 });
    expect(response.headers.get('x-matey-provider')).toBe(lane);
    const sent = upstream().requests.at(-1);
    expect(sent?.model).toBe(upstreamModel);
    expect(JSON.stringify(sent?.request?.messages.at(-1)?.content)).toContain('Say hi in French');
  });

  it('streams text deltas and a final usage chunk with include_usage', async () => {
    upstream().setReply({
      text: 'one two three four',
      chunkCount: 4,
      usage: { inputTokens: 7, outputTokens: 4 },
    });
    const stream = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'count' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      const delta = chunk.choices[0]?.delta.content;
      if (delta) deltas.push(delta);
    }
    expect(deltas.length).toBeGreaterThanOrEqual(2);
    expect(deltas.join('')).toBe('one two three four');
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 4, total_tokens: 11 });
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('assembles streamed tool-call arguments with finalChatCompletion', async () => {
    upstream().setReply({
      toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } }],
      finishReason: 'tool-calls',
      usage: { inputTokens: 20, outputTokens: 9 },
    });
    const final = await client.chat.completions
      .stream({
        model,
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
        tools: [weatherTool],
        stream_options: { include_usage: true },
      })
      .finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    expect(call?.type === 'function' ? call.function.name : '').toBe('get_weather');
    expect(JSON.parse(call?.type === 'function' ? call.function.arguments : '{}')).toEqual({
      city: 'Paris',
      unit: 'celsius',
    });
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(final.usage).toMatchObject({ prompt_tokens: 20, completion_tokens: 9 });
    expect(upstream().requests.at(-1)?.request?.tools?.[0]?.name).toBe('get_weather');
  });

  it('passes a JSON schema response_format through and returns parseable JSON', async () => {
    // Anthropic has no JSON mode: the codec forces a `json` tool, whose input is the answer.
    upstream().setReply(
      lane === 'openai'
        ? { text: '{"city":"Paris","temperature":21}' }
        : { toolCalls: [{ name: 'json', arguments: { city: 'Paris', temperature: 21 } }] },
    );
    const completion = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Weather as JSON' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'weather',
          strict: true,
          schema: {
            type: 'object',
            properties: { city: { type: 'string' }, temperature: { type: 'number' } },
            required: ['city', 'temperature'],
            additionalProperties: false,
          },
        },
      },
    });
    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({
      city: 'Paris',
      temperature: 21,
    });
    const sent = upstream().requests.at(-1)?.body as Record<string, unknown>;
    if (lane === 'openai') expect(sent.response_format).toMatchObject({ type: 'json_schema' });
    else expect(sent.tool_choice).toEqual({ type: 'tool', name: 'json' });
  });

  it('reports an upstream 429 as RateLimitError with retry-after preserved', async () => {
    upstream().setReply({ error: 'rate-limited', retryAfter: 7 });
    const error = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(429);
    expect((error as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after')).toBe('7');
    expect(JSON.stringify(error)).not.toContain(UPSTREAM_KEY);
  });

  it('keeps an overloaded upstream distinguishable from a plain server error', async () => {
    upstream().setReply({ error: 'overloaded' });
    const overloaded = (await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(overloaded).toBeInstanceOf(OpenAI.APIError);
    expect(overloaded.status).toBe(lane === 'anthropic' ? 529 : 503);
    expect(overloaded.code ?? overloaded.type).toMatch(/overloaded/);

    upstream().setReply({ error: 'upstream-server' });
    const broken = (await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(broken).toBeInstanceOf(OpenAI.InternalServerError);
    expect(broken.status).toBe(500);
    expect(broken.code ?? '').not.toMatch(/overloaded/);
  });
});

describe('openai client, gateway errors', () => {
  it('answers a bad request with 400 BadRequestError naming the field', async () => {
    const error = (await client.chat.completions
      // @ts-expect-error: messages must be an array, and the gateway must say so
      .create({ model: 'openai/gpt-4o-mini', messages: 'hello' })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.message).toMatch(/messages/);
    expect(fleet.upstreams.openai.requests).toHaveLength(0);
  });

  it('answers an unknown model with 404 NotFoundError', async () => {
    const error = (await client.chat.completions
      .create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.message).toMatch(/no-such-model/);
  });

  it('answers a bad gateway key with 401 AuthenticationError', async () => {
    await using keyed = await startTestFleet({ gateway: { keys: [{ id: 'team-a', key: 'gw-key-good' }] } });
    const bad = new OpenAI({ apiKey: 'gw-key-wrong', baseURL: `${keyed.url}/v1`, maxRetries: 0 });
    const error = await bad.chat.completions
      .create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(JSON.stringify(error)).not.toContain('gw-key-wrong');
    const good = new OpenAI({ apiKey: 'gw-key-good', baseURL: `${keyed.url}/v1`, maxRetries: 0 });
    const ok = await good.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(ok.choices[0]?.message.content).toMatch(/hi/);
  });
});
