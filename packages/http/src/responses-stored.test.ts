/**
 * The Responses object as OpenAI's: it repeats the request's fields (instructions, tools,
 * sampling, `text.format`, metadata, …) in a reply, in each lifecycle event of a stream, and
 * when read back; and `GET`/`DELETE /v1/responses/{id}` (`client.responses.retrieve`/`.delete`)
 * serve a stored reply to the key that made it and to no other. Judged by the official `openai` client.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ProtocolFleet, startProtocolFleet, UPSTREAM_LANES } from './responses-test-fleet.ts';

const OWNER = 'gw-stored-owner-9d2e';
const OTHER = 'gw-stored-other-4b7a';

let fleet: ProtocolFleet;
let client: OpenAI;
let other: OpenAI;
beforeAll(async () => {
  fleet = await startProtocolFleet({
    keys: [
      { id: 'owner', key: OWNER },
      { id: 'other', key: OTHER },
    ],
  });
  client = new OpenAI({ apiKey: OWNER, baseURL: `${fleet.url}/v1`, maxRetries: 0 });
  other = new OpenAI({ apiKey: OTHER, baseURL: `${fleet.url}/v1`, maxRetries: 0 });
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

/** Request fields a reply repeats, as the client sent them. */
const sent = {
  instructions: 'Answer briefly.',
  tools,
  tool_choice: 'auto',
  temperature: 0.3,
  top_p: 0.9,
  max_output_tokens: 321,
  parallel_tool_calls: false,
  metadata: { ticket: 'T-42' },
  text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: false } },
} as const satisfies Partial<OpenAI.Responses.ResponseCreateParams>;

const echoed = { ...sent, store: true, reasoning: { effort: null, summary: null } };

// OpenAI's replies carry `store` too; the SDK's type leaves it out.
function echoOf(reply: OpenAI.Responses.Response & { store?: boolean }) {
  const { instructions, tools, tool_choice, temperature, top_p, max_output_tokens } = reply;
  const { parallel_tool_calls, metadata, text, store, reasoning } = reply;
  return {
    ...{ instructions, tools, tool_choice, temperature, top_p, max_output_tokens },
    ...{ parallel_tool_calls, metadata, text, store, reasoning },
  };
}

describe.each(UPSTREAM_LANES)('request fields repeated in the reply, $protocol upstream', (lane) => {
  it('repeats them in a plain reply and when read back', async () => {
    fleet.upstreams[lane.protocol].enqueue({ text: '{"ok":true}' });
    const reply = await client.responses.create({ model: lane.model, input: 'hi', ...sent });
    expect(echoOf(reply)).toEqual(echoed);
    const again = await client.responses.retrieve(reply.id);
    expect(echoOf(again)).toEqual(echoed);
    expect({ id: again.id, output: again.output, usage: again.usage, status: again.status }).toEqual({
      id: reply.id,
      output: reply.output,
      usage: reply.usage,
      status: reply.status,
    });
  });

  it('repeats them in every lifecycle event of a stream, and reads the streamed reply back', async () => {
    fleet.upstreams[lane.protocol].enqueue({ text: '{"ok":true}', chunkCount: 3 });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    const stream = client.responses.stream({ model: lane.model, input: 'hi', ...sent });
    for await (const event of stream) events.push(event);
    const lifecycle = events.flatMap((event) =>
      event.type === 'response.created' ||
      event.type === 'response.in_progress' ||
      event.type === 'response.completed'
        ? [event.response]
        : [],
    );
    expect(lifecycle).toHaveLength(3);
    for (const response of lifecycle) expect(echoOf(response)).toEqual(echoed);
    const final = await stream.finalResponse();
    const again = await client.responses.retrieve(final.id);
    expect(again.output_text).toBe('{"ok":true}');
    expect(echoOf(again)).toEqual(echoed);
  });
});

describe('GET and DELETE /v1/responses/{id}', () => {
  it.each(['openai-web-search-tool.1', 'openai-local-shell-tool.1', 'azure-tool-call.1'])(
    'reads back a Responses upstream reply with its hosted tool items whole: %s, plain and streamed',
    async (fixture) => {
      const upstream = fleet.upstreams['openai-responses'];
      const params = { model: 'responses/gpt-5-codex', input: 'Do it' };
      upstream.enqueue({ fixture }, { fixture });
      const plain = await client.responses.create(params);
      expect((await client.responses.retrieve(plain.id)).output).toEqual(plain.output);
      // The completed event's response as sent (`stream().finalResponse()` adds the SDK's `parsed` fields).
      let completed: OpenAI.Responses.Response | undefined;
      for await (const event of await client.responses.create({ ...params, stream: true }))
        if (event.type === 'response.completed') completed = event.response;
      if (!completed) throw new Error('the stream completes');
      const again = await client.responses.retrieve(completed.id);
      expect(again.output).toEqual(completed.output);
      expect(again.usage).toEqual(completed.usage);
    },
  );

  it('serves a reply to the key that made it only; another key gets 404 everywhere', async () => {
    fleet.upstreams['anthropic-messages'].enqueue({ text: 'mine' });
    const reply = await client.responses.create({ model: 'anthropic/claude-sonnet-4-5', input: 'hi' });
    for (const attempt of [
      () => other.responses.retrieve(reply.id),
      () => other.responses.delete(reply.id),
      () =>
        other.responses.create({
          model: 'anthropic/claude-sonnet-4-5',
          previous_response_id: reply.id,
          input: 'more',
        }),
    ]) {
      const error = (await attempt().catch((caught: unknown) => caught)) as InstanceType<
        typeof OpenAI.APIError
      >;
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect(error.error).toMatchObject({ type: 'invalid_request_error' });
    }
    expect(fleet.upstreams['anthropic-messages'].requests).toHaveLength(1);
    // Still there for its owner.
    expect((await client.responses.retrieve(reply.id)).output_text).toBe('mine');
  });

  it('deletes a reply: then it can be neither read nor continued, and a second delete is a 404', async () => {
    fleet.upstreams['openai-chat'].enqueue({ text: 'soon gone' });
    const reply = await client.responses.create({ model: 'openai/gpt-4o-mini', input: 'hi' });
    const deleted = await fetch(`${fleet.url}/v1/responses/${reply.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${OWNER}` },
    });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ id: reply.id, object: 'response.deleted', deleted: true });
    for (const attempt of [
      () => client.responses.retrieve(reply.id),
      () => client.responses.delete(reply.id),
      () =>
        client.responses.create({ model: 'openai/gpt-4o-mini', previous_response_id: reply.id, input: 'x' }),
    ])
      expect(await attempt().catch((caught: unknown) => caught)).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('has nothing to read back for store: false, and refuses a wrong key with 401', async () => {
    fleet.upstreams['openai-chat'].enqueue({ text: 'not kept' });
    const reply = await client.responses.create({ model: 'openai/gpt-4o-mini', input: 'hi', store: false });
    const missing = (await client.responses
      .retrieve(reply.id)
      .catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect(missing.message).toContain(reply.id);
    const wrong = new OpenAI({ apiKey: 'gw-wrong-key', baseURL: `${fleet.url}/v1`, maxRetries: 0 });
    expect(await wrong.responses.retrieve(reply.id).catch((caught: unknown) => caught)).toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
  });
});

describe('item_reference to an item of a stored reply', () => {
  it('becomes the item it names, toward another provider; for another key it is a 404', async () => {
    fleet.upstreams['anthropic-messages'].enqueue({ text: 'Ada, I presume.' });
    const first = await client.responses.create({ model: 'anthropic/claude-sonnet-4-5', input: 'I am Ada.' });
    const said = first.output[0];
    if (said?.type !== 'message') throw new Error('the reply says something');
    const input: OpenAI.Responses.ResponseInput = [
      { role: 'user', content: 'I am Ada.' },
      { type: 'item_reference', id: said.id },
      { role: 'user', content: 'Who am I?' },
    ];
    fleet.upstreams.gemini.enqueue({ text: 'You are Ada.' });
    const second = await client.responses.create({ model: 'gemini/gemini-2.5-flash', input });
    expect(second.output_text).toBe('You are Ada.');
    expect(fleet.upstreams.gemini.requests.at(-1)?.request?.messages).toEqual([
      { role: 'user', content: 'I am Ada.' },
      { role: 'assistant', content: 'Ada, I presume.' },
      { role: 'user', content: 'Who am I?' },
    ]);
    const refused = (await other.responses
      .create({ model: 'gemini/gemini-2.5-flash', input })
      .catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(refused).toBeInstanceOf(OpenAI.NotFoundError);
    expect(refused.code).toBe('item_not_found');
    expect(refused.param).toBe('input[1]');
    expect(fleet.upstreams.gemini.requests).toHaveLength(1);
  });

  it("leaves a reference to an upstream's own item for that upstream", async () => {
    const upstream = fleet.upstreams['openai-responses'];
    upstream.enqueue({ text: 'ok' });
    const reference = { type: 'item_reference' as const, id: 'msg_04041325ab8ae304' };
    await client.responses.create({ model: 'responses/gpt-5-codex', input: [reference] });
    const sent = upstream.requests.at(-1)?.body as { input?: unknown[] } | undefined;
    expect(sent?.input).toContainEqual(reference);
  });
});

describe('GET /v1/responses/{id}/input_items', () => {
  it('lists the conversation a reply answered, newest first by default, page by page, for its key only', async () => {
    fleet.upstreams['openai-chat'].enqueue({ text: 'Hello Ada.' }, { text: 'You are Ada.' });
    const first = await client.responses.create({ model: 'openai/gpt-4o-mini', input: 'I am Ada.' });
    const second = await client.responses.create({
      model: 'openai/gpt-4o-mini',
      previous_response_id: first.id,
      input: 'Who am I?',
    });
    const texts = (items: OpenAI.Responses.ResponseItem[]) =>
      items.map((item) =>
        item.type === 'message' ? item.content.map((part) => ('text' in part ? part.text : '')).join('') : '',
      );
    const newestFirst: OpenAI.Responses.ResponseItem[] = [];
    for await (const item of client.responses.inputItems.list(second.id, { limit: 1 }))
      newestFirst.push(item);
    expect(texts(newestFirst)).toEqual(['Who am I?', 'Hello Ada.', 'I am Ada.']);
    const oldestFirst = await client.responses.inputItems.list(second.id, { order: 'asc' });
    expect(texts(oldestFirst.data)).toEqual(['I am Ada.', 'Hello Ada.', 'Who am I?']);
    expect(oldestFirst.data.map((item) => item.id)).toEqual(newestFirst.map((item) => item.id).reverse());
    const refused = await other.responses.inputItems.list(second.id).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(OpenAI.NotFoundError);
  });
});
