/**
 * Bad input on `POST /v1/responses`: a precise 4xx in OpenAI's error format, naming the field,
 * before anything goes upstream, and the gateway keeps serving. Judged by raw bodies and by the
 * official `openai` client's error classes.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProtocolFleet, startProtocolFleet } from './responses-test-fleet.ts';

let fleet: ProtocolFleet;
beforeAll(async () => {
  fleet = await startProtocolFleet();
});
afterAll(() => fleet.close());

async function post(body: unknown): Promise<{ status: number; error: Record<string, unknown> }> {
  const res = await fetch(`${fleet.url}/v1/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const parsed = (await res.json()) as { error: Record<string, unknown> };
  return { status: res.status, error: parsed.error };
}

const model = 'openai/gpt-4o-mini';

describe('POST /v1/responses with bad input', () => {
  it.each([
    [
      'an unknown item type',
      { model, input: [{ role: 'user', content: 'hi' }, { type: 'bogus_item' }] },
      'input[1].type',
    ],
    ['input that is a number', { model, input: 42 }, 'input'],
    [
      'a message whose content is a number',
      { model, input: [{ role: 'user', content: 5 }] },
      'input[0].content',
    ],
    ['a message with an unknown role', { model, input: [{ role: 'robot', content: 'hi' }] }, 'input[0].role'],
    [
      'a function call without its call_id',
      { model, input: [{ type: 'function_call', name: 'f', arguments: '{}' }] },
      'input[0].call_id',
    ],
    [
      'an unknown content part',
      { model, input: [{ role: 'user', content: [{ type: 'input_video' }] }] },
      'input[0].content[0].type',
    ],
    ['no input at all', { model }, 'input'],
    [
      'a JSON schema format without its schema',
      { model, input: 'hi', text: { format: { type: 'json_schema', name: 'x' } } },
      'text.format.schema',
    ],
    ['a tool without a type', { model, input: 'hi', tools: [{ name: 'f' }] }, 'tools[0].type'],
  ])('answers %s with 400 naming the field', async (_what, body, param) => {
    const before = fleet.upstreams['openai-chat'].requests.length;
    const { status, error } = await post(body);
    expect(status).toBe(400);
    expect(error).toMatchObject({ type: 'invalid_request_error', param });
    expect(typeof error.message).toBe('string');
    expect(fleet.upstreams['openai-chat'].requests).toHaveLength(before);
  });

  it('answers a body that is not JSON with 400, and a stream request with bad input with a plain 400', async () => {
    expect((await post('{"model": ')).status).toBe(400);
    const res = await fetch(`${fleet.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, stream: true, input: [{ type: 'nope' }] }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
  });

  it('answers a hosted tool toward a provider that has none with 400 naming it; the gateway keeps serving', async () => {
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${fleet.url}/v1`, maxRetries: 0 });
    for (const [lane, tool] of [
      ['openai/gpt-4o-mini', { type: 'file_search', vector_store_ids: ['vs_1'] }],
      ['gemini/gemini-2.5-flash', { type: 'code_interpreter', container: { type: 'auto' } }],
    ] as const) {
      const error = (await client.responses
        .create({ model: lane, input: 'hi', tools: [tool as OpenAI.Responses.Tool] })
        .catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.message).toContain(`'${tool.type}'`);
      expect(error.code).toBe('unsupported_tool');
    }
    fleet.upstreams['openai-chat'].enqueue({ text: 'still here' });
    expect((await client.responses.create({ model, input: 'hi' })).output_text).toBe('still here');
  });
});
