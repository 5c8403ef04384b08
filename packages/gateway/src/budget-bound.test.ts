/**
 * Security class: budget bound under concurrency. A key's daily budget is hard: 40 concurrent
 * calls (on one gateway with the memory store, or split over two gateways sharing Redis) never
 * record more than the limit, and neither does an upstream that reports absurd usage. The
 * requests carry no max_tokens (the case the old 500-token estimate got wrong): each call
 * reserves the model's whole output limit from the catalog, and is sent upstream with it.
 */
import { randomUUID } from 'node:crypto';
import { type RunningGateway, serveGateway } from 'ai.matey.http';
import { type KeyValueStore, MemoryStore } from 'ai.matey.middleware';
import { RedisStore } from 'ai.matey.store.redis';
import { type MockUpstream, type MockUpstreamReply, startMockUpstream } from 'ai.matey.testing';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGateway } from './build-gateway.ts';
import { gatewayConfigSchema } from './config-schema.ts';

const DAY_MS = 86_400_000;
const LIMIT_USD = 0.03;
// gpt-4o-mini: $0.15 in, $0.60 out per million tokens, 16,384 output tokens at most.
const WORST_CASE_OUTPUT = 16_384;

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

async function startGateways(upstream: MockUpstream, stores: KeyValueStore[]): Promise<RunningGateway[]> {
  const config = gatewayConfigSchema.parse({
    providers: { openai: { apiKey: 'upstream-key-budget', baseURL: `${upstream.url}/v1` } },
    keys: [{ id: 'team', key: 'team-gateway-key-1', budgetUsdPerDay: LIMIT_USD }],
  });
  return Promise.all(
    stores.map(async (store) => {
      const built = await buildGateway(config, { env: {}, store, logDestination: { write() {} } });
      const running = await serveGateway(built.gateway, { port: 0, shutdownGraceMs: 200 });
      open.push(running);
      return running;
    }),
  );
}

async function call(gateway: RunningGateway) {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer team-gateway-key-1' },
    body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] }),
  });
  const body = (await response.json()) as { error?: { code?: string } };
  return { status: response.status, costUsd: Number(response.headers.get('x-matey-cost-usd') ?? 0), body };
}

/** What the budget recorded today (the cost tracker's ledger key for key `team`). */
async function ledger(store: KeyValueStore): Promise<number> {
  const windowStart = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  return (await store.get<number>(`cost:budget-team:team:${windowStart}`)) ?? 0;
}

async function runConcurrently(reply: MockUpstreamReply, stores: KeyValueStore[]) {
  const upstream = await startMockUpstream({ reply });
  open.push(upstream);
  const gateways = await startGateways(upstream, stores);
  const results = await Promise.all(
    Array.from({ length: 40 }, (_, i) => call(gateways[i % gateways.length] as RunningGateway)),
  );
  const served = results.filter((result) => result.status === 200);
  const refused = results.filter((result) => result.status === 429);
  return { upstream, results, served, refused, recorded: await ledger(stores[0] as KeyValueStore) };
}

const storeKinds = [
  ['one gateway on the memory store', () => [new MemoryStore()]],
  [
    'two gateways sharing Redis',
    () => {
      const keyPrefix = `matey-test:budget-bound:${randomUUID()}:`;
      return [0, 1].map(() => {
        const store = new RedisStore({ url: 'redis://127.0.0.1:6379', keyPrefix });
        open.push(store);
        return store;
      });
    },
  ],
] as const;

describe.each(storeKinds)('budget bound: %s', (_name, makeStores) => {
  it('40 concurrent calls without max_tokens stay within the budget, each capped at the model output limit', async () => {
    // Honest usage, four times the old 500-token guess: $0.0012 a call.
    const { upstream, served, refused, results, recorded } = await runConcurrently(
      { text: 'ok', usage: { inputTokens: 12, outputTokens: 2_000 } },
      makeStores(),
    );
    expect(served.length + refused.length).toBe(results.length);
    expect(refused.every((result) => result.body.error?.code === 'budget_exceeded')).toBe(true);
    // Each worst case is ~$0.00983: at most three are reserved at once within $0.03; calls that
    // settled ($0.0012 each) make room for more. Without reservations all 40 ran ($0.048).
    expect(served.length).toBeGreaterThanOrEqual(3);
    expect(refused.length).toBeGreaterThan(0);
    expect(recorded).toBeLessThanOrEqual(LIMIT_USD);
    const spent = served.reduce((sum, result) => sum + result.costUsd, 0);
    expect(spent).toBeLessThanOrEqual(LIMIT_USD);
    expect(recorded).toBeCloseTo(spent, 9);
    // The cap went upstream: the provider could not have produced more than was reserved.
    const maxTokens = upstream.requests
      .filter((request) => request.path.endsWith('/chat/completions'))
      .map((request) => (request.body as { max_tokens?: number; max_completion_tokens?: number }) ?? {});
    expect(maxTokens.map((body) => body.max_completion_tokens ?? body.max_tokens)).toEqual(
      Array(served.length).fill(WORST_CASE_OUTPUT),
    );
  });

  it('an upstream reporting absurd usage cannot push the recorded spend past the budget', async () => {
    const { served, recorded } = await runConcurrently(
      { text: 'ok', usage: { inputTokens: 5_000_000, outputTokens: 10_000_000 } },
      makeStores(),
    );
    // Each call reports $6.75; each is charged its reservation at most.
    expect(served.length).toBe(3);
    expect(served[0]?.costUsd).toBeCloseTo(6.75, 6);
    expect(recorded).toBeLessThanOrEqual(LIMIT_USD);
    expect(recorded).toBeGreaterThan(LIMIT_USD - 0.01);
  });
});
