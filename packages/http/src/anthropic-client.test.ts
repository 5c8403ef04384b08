/**
 * `@anthropic-ai/sdk` pointed at the gateway, each call served once by an Anthropic-protocol
 * upstream and once by an OpenAI-protocol one (the translation lane).
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LANES, startTestFleet, type TestFleet, UPSTREAM_KEY } from './test-gateway.ts';

let fleet: TestFleet;
let client: Anthropic;
beforeAll(async () => {
  fleet = await startTestFleet();
  client = new Anthropic({ apiKey: 'unused', baseURL: fleet.url, maxRetries: 0 });
});
afterAll(() => fleet.close());
beforeEach(() => {
  fleet.upstreams.openai.reset();
  fleet.upstreams.anthropic.reset();
});

const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: {
    type: 'object' as const,
    properties: { city: { type: 'string' } },
    required: ['city'],
  },
};

// The Anthropic lanes first: that is this client's own protocol.
describe.each([...LANES].reverse())('anthropic client, $lane upstream', ({ lane, model }) => {
  const upstream = () => fleet.upstreams[lane];

  it('creates a message with text, stop reason and usage', async () => {
    upstream().setReply({ text: 'Hello there!', usage: { inputTokens: 12, outputTokens: 4 } });
    const { data, response } = await client.messages
      .create({
        model,
        max_tokens: 256,
        system: 'Be brief.',
        messages: [{ role: 'user', content: 'Greet me' }],
      })
      .withResponse();
    expect(data.type).toBe('message');
    expect(data.role).toBe('assistant');
    expect(data.content).toEqual([expect.objectContaining({ type: 'text', text: 'Hello there!' })]);
    expect(data.stop_reason).toBe('end_turn');
    expect(data.usage).toMatchObject({ input_tokens: 12, output_tokens: 4 });
    expect(response.headers.get('x-matey-provider')).toBe(lane);
    const sent = upstream().requests.at(-1)?.request;
    expect(sent?.messages[0]).toMatchObject({ role: 'system' });
    expect(sent?.maxOutputTokens).toBe(256);
  });

  it('streams with messages.stream() and finalMessage() has content and usage', async () => {
    upstream().setReply({
      text: 'alpha beta gamma delta',
      chunkCount: 4,
      usage: { inputTokens: 15, outputTokens: 6 },
    });
    const stream = client.messages.stream({
      model,
      max_tokens: 256,
      messages: [{ role: 'user', content: 'Four words' }],
    });
    const deltas: string[] = [];
    stream.on('text', (text) => deltas.push(text));
    const final = await stream.finalMessage();
    expect(deltas.length).toBeGreaterThanOrEqual(2);
    expect(deltas.join('')).toBe('alpha beta gamma delta');
    expect(final.content).toEqual([
      expect.objectContaining({ type: 'text', text: 'alpha beta gamma delta' }),
    ]);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.input_tokens).toBe(15);
    expect(final.usage.output_tokens).toBe(6);
  });

  it('returns tool_use blocks with an input object, plain and streamed', async () => {
    upstream().setReply({
      text: 'Checking.',
      toolCalls: [{ id: 'toolu_1', name: 'get_weather', arguments: { city: 'Oslo' } }],
      finishReason: 'tool-calls',
      usage: { inputTokens: 30, outputTokens: 12 },
    });
    const params = {
      model,
      max_tokens: 256,
      tools: [weatherTool],
      messages: [{ role: 'user' as const, content: 'Weather in Oslo?' }],
    };
    const message = await client.messages.create(params);
    const toolUse = message.content.find((block) => block.type === 'tool_use');
    expect(toolUse).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'Oslo' } });
    expect(message.stop_reason).toBe('tool_use');

    const final = await client.messages.stream(params).finalMessage();
    expect(final.content.find((block) => block.type === 'tool_use')).toMatchObject({
      name: 'get_weather',
      input: { city: 'Oslo' },
    });
    expect(final.stop_reason).toBe('tool_use');
    expect(upstream().requests.at(-1)?.request?.tools?.[0]?.name).toBe('get_weather');
  });

  it('returns thinking blocks from an upstream that reasons', async () => {
    upstream().setReply({
      reasoning: 'The user wants a number. 6 times 7 is 42.',
      reasoningSignature: 'sig-abc',
      text: '42',
      usage: { inputTokens: 10, outputTokens: 20 },
    });
    const params = {
      model,
      max_tokens: 2048,
      thinking: { type: 'enabled' as const, budget_tokens: 1024 },
      messages: [{ role: 'user' as const, content: 'What is 6 x 7?' }],
    };
    const message = await client.messages.create(params);
    expect(message.content[0]).toMatchObject({
      type: 'thinking',
      thinking: 'The user wants a number. 6 times 7 is 42.',
    });
    expect(message.content.at(-1)).toMatchObject({ type: 'text', text: '42' });

    const final = await client.messages.stream(params).finalMessage();
    expect(final.content[0]).toMatchObject({
      type: 'thinking',
      thinking: 'The user wants a number. 6 times 7 is 42.',
    });
    expect(final.content.at(-1)).toMatchObject({ type: 'text', text: '42' });
  });

  it('reports upstream errors as APIError subclasses, overloaded as 529', async () => {
    upstream().setReply({ error: 'rate-limited', retryAfter: 3 });
    const limited = (await client.messages
      .create({ model, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect(limited.headers?.get('retry-after')).toBe('3');

    upstream().setReply({ error: 'overloaded' });
    const overloaded = (await client.messages
      .create({ model, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(overloaded).toBeInstanceOf(Anthropic.APIError);
    // Whatever the upstream said (OpenAI-style providers send 503), an Anthropic caller gets its 529.
    expect(overloaded.status).toBe(529);
    expect(overloaded.error).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
    expect(JSON.stringify(overloaded)).not.toContain(UPSTREAM_KEY);
  });
});

describe('anthropic client, gateway errors', () => {
  it('answers missing max_tokens with 400 invalid_request_error', async () => {
    const error = (await client.messages
      // @ts-expect-error: max_tokens is required by the Messages API
      .create({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(error.message).toMatch(/max_tokens/);
  });

  it('answers an unknown model with 404 not_found_error', async () => {
    const error = (await client.messages
      .create({ model: 'mistral-large', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    expect(error.message).toMatch(/mistral-large/);
  });
});
