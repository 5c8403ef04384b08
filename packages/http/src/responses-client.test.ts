/**
 * The `openai` SDK's Responses API (`client.responses.create`, `client.responses.stream`) pointed
 * at the gateway, each call served by an upstream of each protocol replaying a recorded reply:
 * what the client reads (text, tool calls, reasoning, usage, status) must equal the recording.
 */
import { type ChatResponse, responseText } from 'ai.matey.core';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FLEET_UPSTREAM_KEY,
  type ProtocolFleet,
  recordedReply,
  startProtocolFleet,
  UPSTREAM_LANES,
} from './responses-test-fleet.ts';

type Reply = OpenAI.Responses.Response;

let fleet: ProtocolFleet;
let client: OpenAI;
beforeAll(async () => {
  fleet = await startProtocolFleet();
  client = new OpenAI({ apiKey: 'unused', baseURL: `${fleet.url}/v1`, maxRetries: 0 });
});
afterAll(() => fleet.close());
beforeEach(() => {
  for (const upstream of Object.values(fleet.upstreams)) upstream.reset();
});

const tools: OpenAI.Responses.Tool[] = [
  {
    type: 'function',
    name: 'weather',
    description: 'Weather for a place',
    parameters: { type: 'object', properties: { location: { type: 'string' } } },
    strict: false,
  },
];

/** What a caller reads of a reply, in fields every protocol carries. */
function expectedView(response: ChatResponse) {
  return {
    text: responseText(response),
    toolCalls: response.content.flatMap((part) =>
      part.type === 'tool-call' ? [{ name: part.toolName, args: JSON.parse(part.arguments) as unknown }] : [],
    ),
    reasoning: response.content.map((part) => (part.type === 'reasoning' ? part.text : '')).join(''),
    inputTokens: response.usage.inputTokens,
    outputTokens: response.usage.outputTokens,
    reasoningTokens: response.usage.reasoningTokens ?? 0,
    cachedTokens: response.usage.cachedInputTokens ?? 0,
    status: response.finishReason === 'length' ? 'incomplete' : 'completed',
  };
}

function seenView(reply: Reply) {
  return {
    text: reply.output_text,
    toolCalls: reply.output.flatMap((item) =>
      item.type === 'function_call' ? [{ name: item.name, args: JSON.parse(item.arguments) as unknown }] : [],
    ),
    reasoning: reply.output
      .map((item) => (item.type === 'reasoning' ? item.summary.map((entry) => entry.text).join('\n\n') : ''))
      .join(''),
    inputTokens: reply.usage?.input_tokens,
    outputTokens: reply.usage?.output_tokens,
    reasoningTokens: reply.usage?.output_tokens_details.reasoning_tokens,
    cachedTokens: reply.usage?.input_tokens_details.cached_tokens,
    status: reply.status,
  };
}

it('lists models for a Responses client at the shared /v1/models', async () => {
  const models = await client.models.list();
  expect(models.data.length).toBeGreaterThan(0);
});

describe.each(UPSTREAM_LANES)('responses client, $protocol upstream', (lane) => {
  const upstream = () => fleet.upstreams[lane.protocol];

  it.each(['text', 'tool', 'reasoning'] as const)(
    'create() reads the %s recording as it was',
    async (kind) => {
      const name = lane[kind];
      upstream().enqueue({ fixture: name });
      const reply = await client.responses.create({
        model: lane.model,
        input: 'What is the weather in San Francisco?',
        ...(kind === 'tool' ? { tools } : {}),
        ...(kind === 'reasoning' ? { reasoning: { effort: 'high', summary: 'auto' } } : {}),
      });
      expect(seenView(reply)).toEqual(expectedView(await recordedReply(lane.protocol, name, false)));
      expect(reply.object).toBe('response');
      expect(reply.id).not.toBe('');
    },
  );

  it.each(['text', 'tool', 'reasoning'] as const)(
    'stream() reads the %s recording as it was',
    async (kind) => {
      const name = lane[kind];
      upstream().enqueue({ fixture: name });
      const stream = client.responses.stream({
        model: lane.model,
        input: 'What is the weather in San Francisco?',
        ...(kind === 'tool' ? { tools } : {}),
      });
      const events: OpenAI.Responses.ResponseStreamEvent[] = [];
      for await (const event of stream) events.push(event);
      const reply = await stream.finalResponse();
      expect(seenView(reply)).toEqual(expectedView(await recordedReply(lane.protocol, name, true)));
      // The event sequence the client expects, numbered from 0 without a gap.
      expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
      expect(events.slice(0, 2).map((event) => event.type)).toEqual([
        'response.created',
        'response.in_progress',
      ]);
      expect(events.at(-1)?.type).toBe('response.completed');
      const deltas = events.flatMap((event) =>
        event.type === 'response.output_text.delta' ? [event.delta] : [],
      );
      expect(deltas.join('')).toBe(reply.output_text);
      for (const item of reply.output) {
        if (item.type !== 'function_call') continue;
        const streamed = events.flatMap((event) =>
          event.type === 'response.function_call_arguments.delta' && event.item_id === item.id
            ? [event.delta]
            : [],
        );
        expect(JSON.parse(streamed.join('') || '{}')).toEqual(JSON.parse(item.arguments));
      }
    },
  );

  it('streams parallel tool calls as separate function_call items, each with its own arguments', async () => {
    upstream().enqueue({
      toolCalls: [
        { id: 'call_a', name: 'weather', arguments: { location: 'Paris' } },
        { id: 'call_b', name: 'weather', arguments: { location: 'Rome' } },
      ],
      finishReason: 'tool-calls',
    });
    const reply = await client.responses
      .stream({ model: lane.model, input: 'Paris and Rome?', tools })
      .finalResponse();
    const calls = reply.output.flatMap((item) => (item.type === 'function_call' ? [item] : []));
    expect(calls.map((call) => [call.call_id, JSON.parse(call.arguments)])).toEqual([
      ['call_a', { location: 'Paris' }],
      ['call_b', { location: 'Rome' }],
    ]);
    expect(new Set(calls.map((call) => call.id)).size).toBe(2);
  });

  it('reports a length cut as an incomplete response, plain and streamed', async () => {
    const reply = {
      text: 'cut off mid',
      finishReason: 'length' as const,
      usage: { inputTokens: 5, outputTokens: 3 },
    };
    upstream().enqueue(reply, reply);
    const plain = await client.responses.create({ model: lane.model, input: 'go on', max_output_tokens: 3 });
    expect(plain.status).toBe('incomplete');
    expect(plain.incomplete_details?.reason).toBe('max_output_tokens');
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of await client.responses.create({
      model: lane.model,
      input: 'go on',
      stream: true,
    }))
      events.push(event);
    const last = events.at(-1);
    expect(last?.type).toBe('response.incomplete');
    if (last?.type === 'response.incomplete') expect(last.response.usage?.output_tokens).toBe(3);
  });
});

/** What the client reads through the gateway must be what it reads from the upstream itself. */
describe('responses client, openai-responses upstream, against the same client pointed straight at it', () => {
  const lane = UPSTREAM_LANES[3];
  const upstream = () => fleet.upstreams['openai-responses'];
  const direct = () =>
    new OpenAI({ apiKey: FLEET_UPSTREAM_KEY, baseURL: `${upstream().url}/v1`, maxRetries: 0 });
  const upstreamModel = lane.model.slice(lane.model.indexOf('/') + 1);

  async function read(openai: OpenAI, model: string, stream: boolean, kind: 'text' | 'tool' | 'reasoning') {
    const params = {
      model,
      input: 'What is the weather in San Francisco?',
      ...(kind === 'tool' ? { tools } : {}),
      ...(kind === 'reasoning' ? { reasoning: { effort: 'high' as const, summary: 'auto' as const } } : {}),
    };
    if (!stream) return openai.responses.create(params);
    return openai.responses.stream(params).finalResponse();
  }

  it.each(
    (['text', 'tool', 'reasoning'] as const).flatMap((kind) => [
      { kind, stream: false },
      { kind, stream: true },
    ]),
  )('reads the $kind recording the same (stream: $stream)', async ({ kind, stream }) => {
    // The reasoning stream recording holds four responses, one after another (a multi-step
    // recording): the client, reading it straight, takes only one, so both sides get the first.
    const reply = { fixture: lane[kind], ...(kind === 'reasoning' && stream ? { cutAfterEvents: 56 } : {}) };
    upstream().enqueue(reply, reply);
    const straight = await read(direct(), upstreamModel, stream, kind);
    const through = await read(client, lane.model, stream, kind);
    expect(seenView(through)).toEqual(seenView(straight));
    expect(through.output).toEqual(straight.output);
    expect(through.usage).toEqual(straight.usage);
    expect(through.status).toBe(straight.status);
    expect(through.incomplete_details).toEqual(straight.incomplete_details);
  });
});
