/**
 * The official `openai` and `@anthropic-ai/sdk` clients, through a gateway built from a config
 * with `type: cohere`, to a Cohere upstream replaying recorded replies
 * (packages/fixtures/recorded/cohere-chat): what each client reads matches the recording.
 */
import Anthropic from '@anthropic-ai/sdk';
import { responseText } from 'ai.matey.core';
import { readFixture } from 'ai.matey.testing';
import { CohereClientV2 } from 'cohere-ai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CohereGateway,
  MODEL,
  recordedCohere as recorded,
  startCohereGateway,
} from './test-support/cohere-gateway.ts';

let gateway: CohereGateway;
let upstream: CohereGateway['upstream'];
let server: CohereGateway['server'];
let openai: OpenAI;
let anthropic: Anthropic;
let replay: CohereGateway['replay'];

beforeAll(async () => {
  gateway = await startCohereGateway();
  ({ upstream, server, replay } = gateway);
  openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: server.url, apiKey: 'unused', maxRetries: 0 });
});
afterAll(() => gateway.close());

describe('a Cohere upstream through the gateway', () => {
  it('OpenAI client, JSON: the text, COMPLETE as stop, the tokens as usage', async () => {
    replay('cohere-text');
    const want = await recorded('cohere-text', false);
    const completion = await openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'Capital of France?' }],
    });
    expect(completion.choices[0]?.message.content).toBe(responseText(want));
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 507, completion_tokens: 10, total_tokens: 517 });
    expect(upstream.requests.at(-1)?.path).toBe('/v2/chat');
  });

  it('OpenAI client, SSE: the plan as text, two tool calls with streamed arguments, TOOL_CALL as tool_calls', async () => {
    replay('cohere-tool-call');
    const want = await recorded('cohere-tool-call', true);
    const stream = await openai.chat.completions.create({
      model: MODEL,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Weather and sights in San Francisco?' }],
      tools: [
        { type: 'function', function: { name: 'weather', parameters: { type: 'object' } } },
        { type: 'function', function: { name: 'cityAttractions', parameters: { type: 'object' } } },
      ],
    });
    let text = '';
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | undefined;
    const calls = new Map<number, { id: string; name: string; args: string; deltas: number }>();
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        const entry = calls.get(call.index) ?? { id: '', name: '', args: '', deltas: 0 };
        entry.id ||= call.id ?? '';
        entry.name += call.function?.name ?? '';
        if (call.function?.arguments) {
          entry.args += call.function.arguments;
          entry.deltas++;
        }
        calls.set(call.index, entry);
      }
    }
    expect(text).toBe(responseText(want));
    expect([...calls.values()].map(({ id, name, args }) => ({ id, name, args: JSON.parse(args) }))).toEqual([
      { id: 'weather_e8p4pn45zt0t', name: 'weather', args: { location: 'San Francisco' } },
      { id: 'cityAttractions_pyxssbwnq9fq', name: 'cityAttractions', args: { city: 'San Francisco' } },
    ]);
    // The arguments arrive in the recording's seven pieces, not at the end in one.
    expect([...calls.values()].map((call) => call.deltas)).toEqual([7, 7]);
    expect(finish).toBe('tool_calls');
    expect(usage).toMatchObject({ prompt_tokens: 1549, completion_tokens: 95 });
  });

  it('Anthropic client, SSE: thinking as a thinking block, then the text; usage with the cached tokens', async () => {
    replay('cohere-reasoning');
    const want = await recorded('cohere-reasoning', true);
    const message = await anthropic.messages
      .stream({ model: MODEL, max_tokens: 1024, messages: [{ role: 'user', content: '2 + 2?' }] })
      .finalMessage();
    const [thinking, text] = message.content;
    expect(thinking?.type === 'thinking' && thinking.thinking).toBe(
      want.content[0]?.type === 'reasoning' && want.content[0].text,
    );
    expect(text?.type === 'text' && text.text).toBe('The answer to 2 + 2 is 4.');
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.output_tokens).toBe(54);
    expect(message.usage.input_tokens + (message.usage.cache_read_input_tokens ?? 0)).toBe(1394);
    expect(message.usage.cache_read_input_tokens).toBe(1360);
  });

  it('Anthropic client, JSON: the tool calls as tool_use blocks; MAX_TOKENS as max_tokens', async () => {
    replay('cohere-tool-call');
    const tools = await anthropic.messages.create({
      model: MODEL,
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Weather and sights in San Francisco?' }],
    });
    expect(tools.content.filter((block) => block.type === 'tool_use')).toMatchObject([
      { id: 'weather_dqgshstja6p9', name: 'weather', input: { location: 'San Francisco' } },
      { id: 'cityAttractions_dcxfx4myvx68', name: 'cityAttractions', input: { city: 'San Francisco' } },
    ]);
    expect(tools.stop_reason).toBe('tool_use');
    replay('cohere-max-tokens');
    const cut = await anthropic.messages.create({
      model: MODEL,
      max_tokens: 4,
      messages: [{ role: 'user', content: 'History of France' }],
    });
    expect(cut.content).toMatchObject([{ type: 'text', text: '**The History of' }]);
    expect(cut.stop_reason).toBe('max_tokens');
  });

  it('OpenAI client, JSON and SSE: the thinking as reasoning_content, then the answer', async () => {
    type Reasoned = { reasoning_content?: string };
    const want = await recorded('cohere-reasoning', true);
    const thinking = want.content.find((part) => part.type === 'reasoning')?.text;
    expect(thinking).toBeTruthy();
    replay('cohere-reasoning');
    const completion = await openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: '2 + 2?' }],
    });
    const whole = await recorded('cohere-reasoning', false);
    const message = completion.choices[0]?.message;
    expect((message as Reasoned | undefined)?.reasoning_content).toBe(
      whole.content.find((part) => part.type === 'reasoning')?.text,
    );
    expect(message?.content).toBe(responseText(whole));
    replay('cohere-reasoning');
    const stream = await openai.chat.completions.create({
      model: MODEL,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: '2 + 2?' }],
    });
    let reasoning = '';
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      reasoning += (chunk.choices[0]?.delta as Reasoned | undefined)?.reasoning_content ?? '';
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(reasoning).toBe(thinking);
    expect(text).toBe(responseText(want));
    expect(usage).toMatchObject({ prompt_tokens: 1394, completion_tokens: 54 });
  });

  it('Anthropic client, SSE: two tool calls, their arguments in input_json_delta pieces as recorded', async () => {
    replay('cohere-tool-call');
    const want = await recorded('cohere-tool-call', true);
    const stream = anthropic.messages.stream({
      model: MODEL,
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Weather and sights in San Francisco?' }],
    });
    const pieces = new Map<number, number>();
    stream.on('streamEvent', (event) => {
      if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta')
        pieces.set(event.index, (pieces.get(event.index) ?? 0) + 1);
    });
    const message = await stream.finalMessage();
    const calls = message.content.filter((block) => block.type === 'tool_use');
    expect(calls.map(({ id, name, input }) => ({ id, name, input }))).toEqual(
      want.content.flatMap((part) =>
        part.type === 'tool-call'
          ? [{ id: part.toolCallId, name: part.toolName, input: JSON.parse(part.arguments) as unknown }]
          : [],
      ),
    );
    // Each call's arguments in the recording's seven pieces, not in one at the end.
    expect([...pieces.values()]).toEqual([7, 7]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage.output_tokens).toBe(95);
  });

  it('a Cohere caller gets the citations of the recording back through the gateway (/v2/chat)', async () => {
    replay('cohere-citations');
    const res = await fetch(`${server.url}/v2/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Benefits?' }] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { message: { citations: unknown[] }; finish_reason: string };
    const fixture = readFixture('cohere-chat', 'cohere-citations').json as {
      message: { citations: unknown[] };
    };
    expect(body.message.citations).toEqual(
      fixture.message.citations.map((citation) => ({ ...(citation as object), content_index: 0 })),
    );
    expect(body.finish_reason).toBe('COMPLETE');
  });

  it('the cohere-ai client through the gateway: citations typed, and a stream with the plan and tool calls', async () => {
    const client = new CohereClientV2({ token: 'unused', environment: server.url });
    replay('cohere-citations');
    const reply = await client.chat({ model: MODEL, messages: [{ role: 'user', content: 'Benefits?' }] });
    expect(reply.message.citations?.map((citation) => [citation.start, citation.end, citation.text])).toEqual(
      [
        [52, 71, 'Automation of tasks'],
        [75, 97, 'Better decision-making'],
        [101, 115, 'Cost reduction'],
      ],
    );
    expect(reply.usage?.billedUnits).toMatchObject({ inputTokens: 39, outputTokens: 27 });
    replay('cohere-tool-call');
    const types: string[] = [];
    let plan = '';
    for await (const event of await client.chatStream({
      model: MODEL,
      messages: [{ role: 'user', content: 'SF?' }],
    })) {
      types.push(event.type ?? '');
      if (event.type === 'tool-plan-delta') plan += event.delta?.message?.toolPlan ?? '';
      if (event.type === 'message-end') expect(event.delta?.finishReason).toBe('TOOL_CALL');
    }
    expect(plan).toMatch(/^I will use the weather tool/);
    expect(types.filter((type) => type === 'tool-call-end')).toHaveLength(2);
    expect(types.at(-1)).toBe('message-end');
  });

  it("a Cohere caller with a bad body gets a 400 in Cohere's shape naming the field; a Cohere SDK lists models its way", async () => {
    const before = upstream.requests.length;
    const res = await fetch(`${server.url}/v2/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 42 }] }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { id?: unknown; message?: unknown };
    expect(typeof body.id).toBe('string');
    expect(body.message).toContain('messages[0].content');
    expect(upstream.requests.length).toBe(before);
    const client = new CohereClientV2({ token: 'unused', environment: server.url });
    const list = await client.models.list({ endpoint: 'chat' });
    expect(list.models.map((model) => model.name)).toContain('cohere/command-a-03-2025');
    expect(list.models[0]?.endpoints).toEqual(['chat']);
  });

  it("Cohere's 429 reaches an OpenAI caller as its own 429", async () => {
    upstream.enqueue({ error: 'rate-limited', retryAfter: 3 });
    const failure = await openai.chat.completions
      .create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.RateLimitError);
    expect((failure as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after')).toBe('3');
  });
});
