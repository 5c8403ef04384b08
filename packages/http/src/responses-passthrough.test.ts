/**
 * A Responses client and a Responses upstream: hosted tools (web search, local shell,
 * apply_patch, custom tools) and encrypted reasoning pass through whole, replayed from the
 * recordings; toward another protocol a hosted tool is a 400 naming it (web search and Codex's
 * namespaces are left out with a warning), and Anthropic's thinking
 * signature survives a round trip through a Responses client.
 */
import { readFixture } from 'ai.matey.testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ProtocolFleet, startProtocolFleet } from './responses-test-fleet.ts';

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

type Json = Record<string, unknown>;
const responses = () => fleet.upstreams['openai-responses'];

const HOSTED: Array<{ fixture: string; tools: Json[] }> = [
  { fixture: 'openai-web-search-tool.1', tools: [{ type: 'web_search', search_context_size: 'low' }] },
  { fixture: 'openai-local-shell-tool.1', tools: [{ type: 'local_shell' }] },
  { fixture: 'openai-apply-patch-tool.1', tools: [{ type: 'apply_patch' }] },
  {
    fixture: 'openai-custom-tool.1',
    tools: [
      {
        type: 'custom',
        name: 'write_sql',
        format: { type: 'grammar', syntax: 'lark', definition: 'start: /.+/' },
      },
    ],
  },
  { fixture: 'openai-reasoning-encrypted-content.1', tools: [] },
];

/** The recording's stream up to its first terminal event (one recording holds four replies). */
function recordedEvents(fixture: string): Json[] {
  const events: Json[] = [];
  for (const line of readFixture('openai-responses', fixture).chunks ?? []) {
    const event = JSON.parse(line) as Json;
    events.push(event);
    if (event.type === 'response.completed') break;
  }
  return events;
}

describe.each(HOSTED)('Responses to Responses: $fixture', ({ fixture, tools }) => {
  const body = {
    model: 'responses/gpt-5-codex',
    input: 'Do it',
    include: ['reasoning.encrypted_content' as const],
    store: false,
    ...(tools.length > 0 ? { tools: tools as unknown as OpenAI.Responses.Tool[] } : {}),
  };

  it('sends the hosted tools upstream and returns every output item untouched', async () => {
    responses().enqueue({ fixture });
    const reply = (await client.responses.create(body)) as unknown as Json;
    const recorded = readFixture('openai-responses', fixture).json as Json;
    expect(reply.output).toEqual(recorded.output);
    expect(reply.usage).toEqual(recorded.usage);
    expect(reply.id).toBe(recorded.id);
    const sent = responses().requests.at(-1)?.body as Json;
    if (tools.length > 0) expect(sent.tools).toEqual(tools);
    expect(sent.include).toEqual(['reasoning.encrypted_content']);
    expect(sent.store).toBe(false);
  });

  it('streams the same events and the same final output', async () => {
    responses().enqueue({ fixture });
    const events: Json[] = [];
    for await (const event of await client.responses.create({ ...body, stream: true }))
      events.push(event as unknown as Json);
    const recorded = recordedEvents(fixture);
    const strip = (event: Json) => {
      const {
        sequence_number: _sequence,
        obfuscation: _obfuscation,
        response: _response,
        logprobs: _logprobs,
        ...rest
      } = event;
      return rest;
    };
    expect(events.map(strip)).toEqual(recorded.map(strip));
    const final = events.at(-1)?.response as Json;
    expect(final.output).toEqual((recorded.at(-1)?.response as Json | undefined)?.output);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
  });
});

describe('Responses client, another protocol upstream', () => {
  it('answers a hosted tool toward Anthropic with a 400 naming it, in the Responses error format', async () => {
    const error = (await client.responses
      .create({
        model: 'anthropic/claude-sonnet-4-5',
        input: 'Run this',
        tools: [{ type: 'web_search' }, { type: 'code_interpreter', container: { type: 'auto' } }],
      })
      .catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.message).toMatch(/'code_interpreter'/);
    expect(error.param).toBe('tools');
    expect(fleet.upstreams['anthropic-messages'].requests).toHaveLength(0);
  });

  it('offers Anthropic the function tools without the web_search and namespace tools Codex adds, and warns of them', async () => {
    fleet.upstreams['anthropic-messages'].enqueue({ text: 'no search here' });
    const { data, response } = await client.responses
      .create({
        model: 'anthropic/claude-sonnet-4-5',
        input: 'Search the news',
        tools: [
          { type: 'function', name: 'exec_command', parameters: { type: 'object' }, strict: false },
          { type: 'web_search', external_web_access: false } as OpenAI.Responses.Tool,
          { type: 'namespace', name: 'multi_agent_v1', tools: [] } as unknown as OpenAI.Responses.Tool,
        ],
      })
      .withResponse();
    expect(data.output_text).toBe('no search here');
    const sent = fleet.upstreams['anthropic-messages'].requests.at(-1)?.body as { tools: Json[] };
    expect(sent.tools.map((tool) => tool.name)).toEqual(['exec_command']);
    const warnings = response.headers.get('x-matey-warnings') ?? '';
    expect(warnings).toContain("'web_search'");
    expect(warnings).toContain("'multi_agent_v1'");
  });

  it('refuses a local shell call in the conversation toward Gemini, and drops a web search record with a warning', async () => {
    const shell = (await client.responses
      .create({
        model: 'gemini/gemini-2.5-flash',
        input: [
          { role: 'user', content: 'list files' },
          {
            type: 'local_shell_call',
            id: 'lsh_1',
            call_id: 'call_1',
            status: 'completed',
            action: { type: 'exec', command: ['ls'], env: {} },
          },
          { type: 'local_shell_call_output', id: 'lsh_out_1', call_id: 'call_1', output: 'a.txt' },
        ] as unknown as OpenAI.Responses.ResponseInput,
      })
      .catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(shell).toBeInstanceOf(OpenAI.BadRequestError);
    expect(shell.message).toMatch(/local_shell_call/);

    fleet.upstreams.gemini.enqueue({ fixture: 'google-text' });
    const { response } = await client.responses
      .create({
        model: 'gemini/gemini-2.5-flash',
        input: [
          { role: 'user', content: 'news?' },
          {
            type: 'web_search_call',
            id: 'ws_1',
            status: 'completed',
            action: { type: 'search', query: 'news' },
          },
          { role: 'assistant', content: 'Here is the news.' },
          { role: 'user', content: 'thanks' },
        ],
      })
      .withResponse();
    expect(response.headers.get('x-matey-warnings')).toMatch(/web_search_call/);
  });

  it("keeps Anthropic's thinking signature through a Responses client for the next turn", async () => {
    const anthropic = fleet.upstreams['anthropic-messages'];
    anthropic.enqueue({ fixture: 'anthropic-clear-thinking.1' }, { fixture: 'anthropic-text' });
    const model = 'anthropic/claude-sonnet-4-5';
    const first = await client.responses.create({
      model,
      input: 'What is 925 / 5?',
      reasoning: { effort: 'low' },
    });
    const reasoning = first.output.find((item) => item.type === 'reasoning');
    expect(reasoning?.encrypted_content).toMatch(/^matey\.v1:/);
    await client.responses.create({
      model,
      input: [
        { role: 'user', content: 'What is 925 / 5?' },
        ...first.output,
        { role: 'user', content: 'And / 37?' },
      ],
    } as OpenAI.Responses.ResponseCreateParamsNonStreaming);
    const sent = anthropic.requests.at(-1)?.body as { messages: Array<{ role: string; content: unknown }> };
    const recorded = readFixture('anthropic-messages', 'anthropic-clear-thinking.1').json as {
      content: Array<{ type: string; signature?: string; thinking?: string }>;
    };
    const thinking = recorded.content.find((block) => block.type === 'thinking');
    expect(sent.messages[1]?.content).toEqual(
      expect.arrayContaining([
        { type: 'thinking', thinking: thinking?.thinking, signature: thinking?.signature },
      ]),
    );
  });
});
