/**
 * Model names at the edge (issue 11, item 13): a name from the upstream that a header cannot
 * carry must not turn a paid call into a 500, nor count twice in the metrics, nor grow the
 * `model` label set; a model name a caller sends must be plain printable ASCII.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../test-gateway.ts';

let fleet: TestFleet;
let client: OpenAI;
beforeAll(async () => {
  fleet = await startTestFleet();
  client = new OpenAI({ apiKey: 'unused', baseURL: `${fleet.url}/v1`, maxRetries: 0 });
});
afterAll(() => fleet.close());
beforeEach(() => fleet.upstreams.openai.reset());

// U+2713 is outside Latin-1: Node refuses it in a header value.
const HOSTILE_MODEL = 'gpt-4o-mini-✓\u2028evil';

/** The sum of a counter's samples whose labels match all of `labels`. */
async function counter(name: string, labels: Record<string, string>): Promise<number> {
  const text = (await fleet.gateway.metrics?.text()) ?? '';
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)))
      total += Number(line.split(' ').at(-1));
  }
  return total;
}

describe('a model name the upstream sends back', () => {
  it('is sanitised in x-matey-model for a plain reply, counted once, labelled other', async () => {
    fleet.upstreams.openai.setReply({ text: 'paid for', model: HOSTILE_MODEL });
    const errorsBefore = await counter('matey_errors_total', {});
    const successesBefore = await counter('matey_requests_total', { status: '200', model: 'other' });
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(response.status).toBe(200);
    expect(data.choices[0]?.message.content).toBe('paid for');
    expect(response.headers.get('x-matey-model')).toBe('gpt-4o-mini-??evil');
    expect(await counter('matey_errors_total', {})).toBe(errorsBefore);
    expect(await counter('matey_requests_total', { status: '200', model: 'other' })).toBe(
      successesBefore + 1,
    );
    const metrics = (await fleet.gateway.metrics?.text()) ?? '';
    expect(metrics).not.toContain('✓');
  });

  it('is sanitised for a stream, which runs to its end', async () => {
    fleet.upstreams.openai.setReply({ text: 'streamed fine', model: HOSTILE_MODEL });
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(response.headers.get('x-matey-model')).toBe('gpt-4o-mini-??evil');
    let text = '';
    for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('streamed fine');
    const [served] = fleet.upstreams.openai.requests;
    expect(served?.clientAborted).toBe(false);
  });

  it('keeps a catalog model as its own label', async () => {
    fleet.upstreams.openai.setReply({ text: 'ok' });
    const before = await counter('matey_requests_total', { status: '200', model: 'gpt-4o-mini' });
    await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(await counter('matey_requests_total', { status: '200', model: 'gpt-4o-mini' })).toBe(before + 1);
  });
});

describe('a model name the caller sends', () => {
  it.each([
    ['non-ASCII', 'gpt-4o-mini-✓'],
    ['a space', 'gpt 4o'],
    ['a control character', 'gpt-4o\r\nx-injected: 1'],
    ['too long', `gpt-${'x'.repeat(300)}`],
  ])('is refused with 400 when it has %s, before any upstream call', async (_what, model) => {
    const response = await fetch(`${fleet.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'invalid_model_name', param: 'model' },
    });
    expect(fleet.upstreams.openai.requests).toHaveLength(0);
  });
});
