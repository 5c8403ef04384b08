/**
 * A Cohere call is priced on what Cohere bills (`usage.billed_units`), not on the tokens the
 * model read (which include Cohere's own prompt template): the recorded replies
 * (packages/fixtures/recorded/cohere-chat) through a `type: cohere` gateway, their cost read
 * from the `x-matey-cost-usd` header, `/metrics` and the log line.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CohereGateway, MODEL, startCohereGateway } from './test-support/cohere-gateway.ts';
import { metricValues } from './test-support/metric-values.ts';

let gateway: CohereGateway;
let openai: OpenAI;

beforeAll(async () => {
  gateway = await startCohereGateway();
  openai = new OpenAI({ baseURL: `${gateway.server.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});
afterAll(() => gateway.close());
beforeEach(() => {
  gateway.logLines.length = 0;
});

// command-a-03-2025: $2.50 per million input tokens, $10 per million output tokens.
const priced = (input: number, output: number) => (input * 2.5 + output * 10) / 1_000_000;
const COST = 'matey_cost_usd_total{provider="cohere",model="command-a-03-2025"}';

describe('the cost of a Cohere call', () => {
  it('JSON (cohere-text): billed 12 in and 7 out, not the 507 and 10 tokens read', async () => {
    const before = await metricValues(gateway.server.url);
    gateway.replay('cohere-text');
    const { data, response } = await openai.chat.completions
      .create({ model: MODEL, messages: [{ role: 'user', content: 'Capital of France?' }] })
      .withResponse();
    // The usage the client reads is still what the model read and wrote.
    expect(data.usage).toMatchObject({ prompt_tokens: 507, completion_tokens: 10 });
    expect(Number(response.headers.get('x-matey-cost-usd'))).toBeCloseTo(priced(12, 7), 10);
    const after = await metricValues(gateway.server.url);
    expect((after[COST] ?? 0) - (before[COST] ?? 0)).toBeCloseTo(priced(12, 7), 10);
    expect(gateway.logLines.find((line) => line.mode === 'execute')).toMatchObject({
      provider: 'cohere',
      costUsd: expect.closeTo(priced(12, 7), 12),
    });
  });

  it('streamed (cohere-reasoning): billed 8 in and 50 out, from message-end', async () => {
    const before = await metricValues(gateway.server.url);
    gateway.replay('cohere-reasoning');
    const stream = await openai.chat.completions.create({
      model: MODEL,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: '2 + 2?' }],
    });
    for await (const _chunk of stream) {
      // read to the end
    }
    const after = await metricValues(gateway.server.url);
    expect((after[COST] ?? 0) - (before[COST] ?? 0)).toBeCloseTo(priced(8, 50), 10);
    expect(gateway.logLines.find((line) => line.mode === 'stream')).toMatchObject({
      provider: 'cohere',
      costUsd: expect.closeTo(priced(8, 50), 12),
    });
  });
});
