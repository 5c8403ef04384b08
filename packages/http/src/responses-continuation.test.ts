/**
 * `previous_response_id` through the gateway's response store, judged by the official `openai`
 * client: a second turn continues the first across providers, the first turn's instructions are
 * not carried on, streamed turns are stored too, and a missing or expired id is a 404 in the
 * Responses error format.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ProtocolFleet, startProtocolFleet, UPSTREAM_LANES } from './responses-test-fleet.ts';

let fleet: ProtocolFleet;
let client: OpenAI;
beforeAll(async () => {
  fleet = await startProtocolFleet({ responseTtlMs: 60_000 });
  client = new OpenAI({ apiKey: 'unused', baseURL: `${fleet.url}/v1`, maxRetries: 0 });
});
afterAll(() => fleet.close());
beforeEach(() => {
  for (const upstream of Object.values(fleet.upstreams)) upstream.reset();
});

describe('previous_response_id', () => {
  it('continues a conversation begun on Anthropic on Gemini, without the first turn’s instructions', async () => {
    fleet.upstreams['anthropic-messages'].enqueue({ text: 'Nice to meet you, Ada.' });
    const first = await client.responses.create({
      model: 'anthropic/claude-sonnet-4-5',
      instructions: 'Answer like a pirate.',
      input: 'My name is Ada.',
    });
    expect(first.output_text).toBe('Nice to meet you, Ada.');

    fleet.upstreams.gemini.enqueue({ fixture: 'google-text' });
    const second = await client.responses.create({
      model: 'gemini/gemini-2.5-flash',
      previous_response_id: first.id,
      input: 'What is my name?',
    });
    expect(second.output_text.length).toBeGreaterThan(0);
    const sent = fleet.upstreams.gemini.requests.at(-1)?.request;
    expect(sent?.messages).toEqual([
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: 'Nice to meet you, Ada.' },
      { role: 'user', content: 'What is my name?' },
    ]);
    expect(JSON.stringify(fleet.upstreams.gemini.requests.at(-1)?.body)).not.toContain('pirate');
  });

  it('stores a streamed turn and continues it on the Responses upstream, keeping its reasoning item', async () => {
    fleet.upstreams['openai-responses'].enqueue({ fixture: 'openai-reasoning-encrypted-content.1' });
    const stream = client.responses.stream({ model: 'responses/gpt-5-codex', input: 'Add 12 and 7' });
    const first = await stream.finalResponse();
    const reasoning = first.output.find((item) => item.type === 'reasoning');
    expect(reasoning?.encrypted_content).toMatch(/^gAAAA/);

    fleet.upstreams['openai-responses'].enqueue({ fixture: 'azure-text.1' });
    const call = first.output.find((item) => item.type === 'function_call');
    await client.responses.create({
      model: 'responses/gpt-5-codex',
      previous_response_id: first.id,
      input: [
        {
          type: 'function_call_output',
          call_id: call?.type === 'function_call' ? call.call_id : '',
          output: '19',
        },
      ],
    });
    const input =
      (fleet.upstreams['openai-responses'].requests.at(-1)?.body as { input: unknown[] } | undefined)
        ?.input ?? [];
    expect(input[0]).toEqual({ type: 'message', role: 'user', content: 'Add 12 and 7' });
    // The reasoning item goes back whole (its id, summary and OpenAI's encrypted content; OpenAI
    // encrypts it afresh in each place it sends it), then the call and its output.
    expect(input[1]).toMatchObject({ id: reasoning?.id, type: 'reasoning', summary: reasoning?.summary });
    expect((input[1] as { encrypted_content: string }).encrypted_content).toMatch(/^gAAAA/);
    expect(input.at(-1)).toMatchObject({ type: 'function_call_output', output: '19' });
  });

  it('answers an unknown id with 404 in the Responses error format, and stores nothing with store: false', async () => {
    const missing = (await client.responses
      .create({ model: 'openai/gpt-4o-mini', previous_response_id: 'resp_never_was', input: 'hi' })
      .catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect(missing.code).toBe('previous_response_not_found');
    expect(missing.param).toBe('previous_response_id');
    expect(missing.message).toContain('resp_never_was');

    fleet.upstreams['openai-chat'].enqueue({ text: 'not kept' });
    const unstored = await client.responses.create({
      model: 'openai/gpt-4o-mini',
      input: 'hi',
      store: false,
    });
    const again = await client.responses
      .create({ model: 'openai/gpt-4o-mini', previous_response_id: unstored.id, input: 'more' })
      .catch((caught: unknown) => caught);
    expect(again).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('forgets a response once its time to live has passed', async () => {
    await using short = await startProtocolFleet({ responseTtlMs: 150 });
    const shortClient = new OpenAI({ apiKey: 'unused', baseURL: `${short.url}/v1`, maxRetries: 0 });
    short.upstreams['openai-chat'].enqueue({ text: 'soon gone' }, { text: 'still here' });
    const first = await shortClient.responses.create({ model: 'openai/gpt-4o-mini', input: 'hi' });
    const kept = await shortClient.responses.create({
      model: 'openai/gpt-4o-mini',
      previous_response_id: first.id,
      input: 'again',
    });
    expect(kept.output_text).toBe('still here');
    await new Promise((resolve) => setTimeout(resolve, 400));
    const expired = await shortClient.responses
      .create({ model: 'openai/gpt-4o-mini', previous_response_id: first.id, input: 'late' })
      .catch((caught: unknown) => caught);
    expect(expired).toBeInstanceOf(OpenAI.NotFoundError);
  });
});

describe.each(UPSTREAM_LANES)('a tool call continued by previous_response_id, $protocol upstream', (lane) => {
  const tools: OpenAI.Responses.Tool[] = [
    {
      type: 'function',
      name: 'weather',
      description: 'Weather for a place',
      parameters: { type: 'object', properties: { location: { type: 'string' } } },
      strict: false,
    },
  ];

  it.each([false, true])(
    'sends the call and its output back as a pair (first turn streamed: %s)',
    async (stream) => {
      const upstream = fleet.upstreams[lane.protocol];
      upstream.enqueue({ fixture: lane.tool }, { text: 'It is 20 degrees.' });
      const params = { model: lane.model, input: 'What is the weather in San Francisco?', tools };
      const first = stream
        ? await client.responses.stream(params).finalResponse()
        : await client.responses.create(params);
      const call = first.output.find((item) => item.type === 'function_call');
      if (call?.type !== 'function_call') throw new Error('the recording asks for a tool');
      const second = await client.responses.create({
        model: lane.model,
        previous_response_id: first.id,
        input: [{ type: 'function_call_output', call_id: call.call_id, output: '{"celsius":20}' }],
        tools,
      });
      expect(second.output_text).toBe('It is 20 degrees.');
      const messages = upstream.requests.at(-1)?.request?.messages ?? [];
      expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool']);
      const asked = messages[1]?.content;
      const answered = messages[2]?.content;
      expect(asked).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'tool-call', toolCallId: call.call_id, toolName: call.name }),
        ]),
      );
      expect(answered).toEqual([
        expect.objectContaining({ type: 'tool-result', toolCallId: call.call_id, toolName: call.name }),
      ]);
    },
  );
});
