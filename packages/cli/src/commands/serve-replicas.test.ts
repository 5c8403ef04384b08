/**
 * Three `matey serve` processes on one Redis and one PostgreSQL database: a key's per-minute
 * limit, its budget and its revocation hold across all three. Real processes, the mock upstream
 * as provider, 127.0.0.1 only; the database and the keys' Redis counters are removed after.
 */
import { type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import OpenAI from 'openai';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  budgetCounter,
  burst,
  chat,
  createKey,
  loggedSpend,
  patchKey,
  REPLICA_MODEL,
  revoke,
  untilRefused,
  waitForMinuteStart,
} from '../test-support/replica-calls.ts';
import { type ReplicaSet, startReplicaSet } from '../test-support/replica-set.ts';

const ADMIN_KEY = 'matey-admin-key-for-replica-tests-0123';
let upstream: MockUpstream;
let replicas: ReplicaSet;

beforeAll(async () => {
  upstream = await startMockUpstream();
  replicas = await startReplicaSet({
    count: 3,
    upstreamUrl: upstream.url,
    adminKey: ADMIN_KEY,
    label: 'test',
  });
}, 90_000);

afterAll(async () => {
  await replicas?.stop();
  await upstream?.close();
});

describe('three replicas on one Redis and one PostgreSQL', () => {
  it("admits a burst split over the three within 1% of the key's per-minute limit; the rest get 429 in OpenAI's format", async () => {
    upstream.setReply({});
    const key = await createKey(replicas.urls[0]!, ADMIN_KEY, {
      requestsPerMinute: 300,
      budgetUsdPerDay: 100,
    });
    replicas.forget([key.id]);
    await waitForMinuteStart(10_000);
    const results = await burst(replicas.urls, key.key, 600, 60);
    const admitted = results.filter((result) => result.status === 200).length;
    const refused = results.filter((result) => result.status === 429);
    expect(admitted).toBeGreaterThanOrEqual(297);
    expect(admitted).toBeLessThanOrEqual(303);
    expect(refused).toHaveLength(600 - admitted);
    for (const refusal of refused) {
      expect(Number(refusal.retryAfter)).toBeGreaterThan(0);
      expect(refusal.body).toMatchObject({
        error: {
          type: 'rate_limit_error',
          code: 'rate_limit_exceeded',
          message: expect.stringContaining('Rate limit'),
        },
      });
    }
    // Every replica refuses the next call: the limit is the key's, not a replica's.
    for (const url of replicas.urls) {
      const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: key.key, maxRetries: 0 });
      const refusal = await openai.chat.completions
        .create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] })
        .catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(OpenAI.RateLimitError);
    }
  }, 120_000);

  it("never lets concurrent calls on three replicas overrun a budget by more than one call's estimate", async () => {
    // Every call reports the worst case it reserved, so each admitted call is charged its whole estimate.
    upstream.setReply({ usage: { inputTokens: 64, outputTokens: 1_000 }, latencyMs: 400 });
    const probe = await createKey(replicas.urls[0]!, ADMIN_KEY, { budgetUsdPerDay: 100 });
    replicas.forget([probe.id]);
    expect((await chat(replicas.urls[1]!, probe.key, { maxTokens: 1_000 })).status).toBe(200);
    const estimate = await budgetCounter(probe.id, (usd) => usd > 0);
    expect(estimate).toBeGreaterThan(0);

    const budget = 10.5 * estimate;
    const key = await createKey(replicas.urls[0]!, ADMIN_KEY, { budgetUsdPerDay: budget });
    replicas.forget([key.id]);
    const results = await burst(replicas.urls, key.key, 40, 40, { maxTokens: 1_000 });
    const admitted = results.filter((result) => result.status === 200).length;
    const refused = results.filter((result) => result.status !== 200);
    expect(admitted).toBeLessThanOrEqual(10);
    expect(admitted).toBeGreaterThanOrEqual(9);
    for (const refusal of refused) expect(refusal.body).toMatchObject({ error: { code: 'budget_exceeded' } });
    const recorded = await budgetCounter(key.id, (usd) => usd >= admitted * estimate * 0.999);
    expect(recorded).toBeLessThanOrEqual(budget + estimate);
    // The spend log (PostgreSQL) says the same: each row at the usage the upstream reported.
    const logged = await loggedSpend(replicas.urls[2]!, ADMIN_KEY, key.id, admitted * estimate * 0.999);
    expect(logged).toBeGreaterThanOrEqual(admitted * estimate * 0.999);
    expect(logged).toBeLessThanOrEqual(budget + estimate);
  }, 60_000);

  it("applies a key's new limit, set on replica 1, on replica 3 within 2 s", async () => {
    upstream.setReply({});
    const key = await createKey(replicas.urls[0]!, ADMIN_KEY, { requestsPerMinute: 1_000 });
    replicas.forget([key.id]);
    expect((await chat(replicas.urls[2]!, key.key)).status).toBe(200);
    const changedAt = performance.now();
    await patchKey(replicas.urls[0]!, ADMIN_KEY, key.id, { requestsPerMinute: 1 });
    let refusal = await chat(replicas.urls[2]!, key.key);
    while (refusal.status === 200 && performance.now() - changedAt < 5_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      refusal = await chat(replicas.urls[2]!, key.key);
    }
    expect(refusal.status).toBe(429);
    expect(performance.now() - changedAt).toBeLessThan(2_000);
  }, 30_000);

  it('refuses a key revoked on replica 1 on all three within 2 s', async () => {
    upstream.setReply({});
    const key = await createKey(replicas.urls[0]!, ADMIN_KEY, {});
    replicas.forget([key.id]);
    // Each replica has the key in its cache before the revoke.
    for (const url of replicas.urls) expect((await chat(url, key.key)).status).toBe(200);
    const revokedAt = performance.now();
    await revoke(replicas.urls[0]!, ADMIN_KEY, key.id);
    const elapsed = await Promise.all(
      replicas.urls.map((url) => untilRefused(url, key.key, revokedAt, 5_000)),
    );
    for (const ms of elapsed) expect(ms).toBeLessThan(2_000);
    const refusal = await chat(replicas.urls[2]!, key.key);
    expect(refusal.body).toMatchObject({ error: { code: 'invalid_api_key' } });
  }, 30_000);

  it('drives the admin API end to end: team and key, a call by the openai client, its spend row and /admin/spend, the limit, a revoke seen by another replica', async () => {
    upstream.setReply({});
    const [one, two] = replicas.urls as [string, string];
    const admin = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${one}/admin${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const team = await admin('POST', '/teams', { name: 'e2e', budgetUsdPerDay: 5 });
    expect(team.status).toBe(201);
    const created = await admin('POST', '/keys', {
      name: 'e2e key',
      teamId: team.body.id,
      requestsPerMinute: 3,
    });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const key = String(created.body.key);
    replicas.forget([id, String(team.body.id)]);
    await waitForMinuteStart(15_000);
    const openai = new OpenAI({ baseURL: `${one}/v1`, apiKey: key, maxRetries: 0 });
    const { data: reply, response } = await openai.chat.completions
      .create({ model: REPLICA_MODEL, messages: [{ role: 'user', content: 'hello' }] })
      .withResponse();
    expect(reply.choices[0]?.message.role).toBe('assistant');
    // Its row in the spend log (written off the request path), and the figure /admin/spend sums.
    const sql = postgres(replicas.databaseUrl, { max: 1 });
    try {
      let rows: Array<{ request_id: string; team_id: string; cost_usd: number }> = [];
      for (let tries = 0; tries < 50 && rows.length === 0; tries++) {
        rows = await sql`select request_id, team_id, cost_usd from matey.spend_log where key_id = ${id}`;
        if (rows.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(rows).toEqual([
        {
          request_id: response.headers.get('x-request-id'),
          team_id: team.body.id,
          cost_usd: expect.any(Number),
        },
      ]);
      const spent = await loggedSpend(two, ADMIN_KEY, id, Number(rows[0]?.cost_usd));
      expect(spent).toBeCloseTo(Number(rows[0]?.cost_usd), 10);
      expect(spent).toBeGreaterThan(0);
    } finally {
      await sql.end();
    }
    // Three a minute, counted across replicas: the second and third on replica 2, the fourth refused.
    const onTwo = new OpenAI({ baseURL: `${two}/v1`, apiKey: key, maxRetries: 0 });
    const ask = (client: OpenAI) =>
      client.chat.completions.create({ model: REPLICA_MODEL, messages: [{ role: 'user', content: 'hi' }] });
    await ask(onTwo);
    await ask(onTwo);
    await expect(ask(openai)).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    // Revoked on replica 1: refused on replica 2 within 2 s (its limit aside: a 401, not a 429).
    const revokedAt = performance.now();
    expect((await admin('POST', `/keys/${id}/revoke`)).status).toBe(200);
    expect(await untilRefused(two, key, revokedAt, 5_000)).toBeLessThan(2_000);
    await expect(ask(onTwo)).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  }, 60_000);
});
