/**
 * Keys and teams in PostgreSQL, end to end: two gateways (two replicas) on one real database,
 * the admin API making keys, the official `openai` client calling with them through the mock
 * upstream. Each file gets a database of its own, dropped after.
 */
import { createHash } from 'node:crypto';
import { type RunningGateway, serveGateway } from 'ai.matey.http';
import { type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltGateway, buildGateway } from './build-gateway.ts';
import { gatewayConfigSchema } from './config-schema.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from './test-support/temporary-database.ts';

const ADMIN_KEY = 'matey-admin-key-for-tests-0123456789';
const CONFIG_KEY = 'config-file-gateway-key-1';
const MODEL = 'openai/gpt-4o-mini';

let database: TemporaryDatabase;
let upstream: MockUpstream;
const built: BuiltGateway[] = [];
let gatewayA: RunningGateway;
let gatewayB: RunningGateway;

beforeAll(async () => {
  database = await createTemporaryDatabase('pg_keys');
  upstream = await startMockUpstream();
  const config = gatewayConfigSchema.parse({
    providers: { openai: { apiKey: 'upstream-key-pg', baseURL: `${upstream.url}/v1` } },
    keys: [{ id: 'from-config', key: CONFIG_KEY }],
    database: database.url,
  });
  // Two replicas starting together: both migrate, under the lock.
  const [a, b] = await Promise.all(
    [0, 1].map(() =>
      buildGateway(config, { env: { MATEY_ADMIN_KEY: ADMIN_KEY }, logDestination: { write() {} } }),
    ),
  );
  built.push(a as BuiltGateway, b as BuiltGateway);
  gatewayA = await serveGateway(built[0]!.gateway, { port: 0, shutdownGraceMs: 100 });
  gatewayB = await serveGateway(built[1]!.gateway, { port: 0, shutdownGraceMs: 100 });
});

afterAll(async () => {
  await gatewayA?.close();
  await gatewayB?.close();
  await Promise.all(built.map((gateway) => gateway.close()));
  await upstream?.close();
  await database?.drop();
});

async function admin(gateway: RunningGateway, method: string, path: string, body?: unknown, key = ADMIN_KEY) {
  const response = await fetch(`${gateway.url}/admin${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & { key?: string; id?: string },
  };
}

async function createKey(fields: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const created = await admin(gatewayA, 'POST', '/keys', { name: 'test key', ...fields });
  expect(created.status).toBe(201);
  return { id: String(created.body.id), key: String(created.body.key) };
}

function client(gateway: RunningGateway, apiKey: string): OpenAI {
  return new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey, maxRetries: 0 });
}

const ask = (openai: OpenAI, model = MODEL) =>
  openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hello' }] });

describe('keys and teams in PostgreSQL', () => {
  it('admin makes a team and a key; the openai client calls both replicas with it, and the config key still works', async () => {
    const team = await admin(gatewayA, 'POST', '/teams', { name: 'research', budgetUsdPerDay: 5 });
    expect(team.status).toBe(201);
    const { key } = await createKey({ teamId: team.body.id, allowedModels: [MODEL] });
    expect(key).toMatch(/^sk-matey-/);
    for (const gateway of [gatewayA, gatewayB]) {
      const reply = await ask(client(gateway, key));
      expect(reply.choices[0]?.message.role).toBe('assistant');
    }
    expect((await ask(client(gatewayB, CONFIG_KEY))).choices).toHaveLength(1);
    const read = await admin(gatewayB, 'GET', `/teams/${team.body.id}`);
    expect(read.body).toMatchObject({ name: 'research', budgetUsdPerDay: 5, requestsPerMinute: null });
  });

  it('keeps only the hash and a prefix of a key, never the key itself', async () => {
    const { id, key } = await createKey({});
    const rows = await database.sql`select * from matey.keys where id = ${id}`;
    expect(JSON.stringify(rows)).not.toContain(key);
    expect(rows[0]?.key_sha256).toBe(createHash('sha256').update(key).digest('hex'));
    expect(key.startsWith(String(rows[0]?.key_prefix))).toBe(true);
    const read = await admin(gatewayA, 'GET', `/keys/${id}`);
    expect(JSON.stringify(read.body)).not.toContain(key);
  });

  it('refuses a model the key may not use, in the caller format', async () => {
    const { key } = await createKey({ allowedModels: ['openai/gpt-4o-mini'] });
    const refusal = await ask(client(gatewayA, key), 'openai/gpt-4o').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((refusal as InstanceType<typeof OpenAI.APIError>).code).toBe('model_not_allowed');
  });

  it("holds a key's requests per minute (429 in the caller's format)", async () => {
    const { key } = await createKey({ requestsPerMinute: 2 });
    const openai = client(gatewayA, key);
    await ask(openai);
    await ask(openai);
    const refusal = await ask(openai).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(OpenAI.RateLimitError);
    // The refusal is in the spend log too, with its kind.
    let statuses: Array<{ status: string; error_kind: string | null }> = [];
    for (let tries = 0; tries < 50 && statuses.length < 3; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      statuses = await database.sql<Array<{ status: string; error_kind: string | null }>>`
        select s.status, s.error_kind from matey.spend_log s join matey.keys k on k.id = s.key_id
        where k.key_sha256 = ${createHash('sha256').update(key).digest('hex')} order by s.id`;
    }
    expect(statuses.map((row) => [row.status, row.error_kind])).toEqual([
      ['ok', null],
      ['ok', null],
      ['failed', 'rate-limited'],
    ]);
  });

  it("shares a team's requests per minute among its keys", async () => {
    const team = await admin(gatewayA, 'POST', '/teams', { name: 'shared', requestsPerMinute: 2 });
    const first = await createKey({ teamId: team.body.id });
    const second = await createKey({ teamId: team.body.id });
    await ask(client(gatewayA, first.key));
    await ask(client(gatewayA, second.key));
    const refusal = await ask(client(gatewayA, first.key)).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(OpenAI.RateLimitError);
    const other = await createKey({});
    expect((await ask(client(gatewayA, other.key))).choices).toHaveLength(1);
  });

  it("holds a team's daily budget for all its keys, and leaves other keys alone", async () => {
    // gpt-4o-mini's worst case (16,384 output tokens at $0.60 a million) is about $0.0098.
    const team = await admin(gatewayA, 'POST', '/teams', { name: 'frugal', budgetUsdPerDay: 0.001 });
    for (const gateway of [gatewayA, gatewayB]) {
      const member = await createKey({ teamId: team.body.id });
      const refusal = await ask(client(gateway, member.key)).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(OpenAI.APIError);
      expect((refusal as InstanceType<typeof OpenAI.APIError>).code).toBe('budget_exceeded');
    }
    const outsider = await createKey({ budgetUsdPerDay: 1 });
    expect((await ask(client(gatewayA, outsider.key))).choices).toHaveLength(1);
  });

  it('a key revoked on one replica is refused on the other within 2 s', async () => {
    const { id, key } = await createKey({});
    const onB = client(gatewayB, key);
    await ask(onB); // now in B's cache
    const revoked = await admin(gatewayA, 'POST', `/keys/${id}/revoke`);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    const started = Date.now();
    let refusal: unknown;
    while (Date.now() - started < 2_000 && !refusal) {
      refusal = await ask(onB).then(
        () => undefined,
        (error: unknown) => error,
      );
      if (!refusal) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(refusal).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses an expired key, and one made to expire by an update', async () => {
    const expired = await createKey({ expiresAt: new Date(Date.now() - 1_000).toISOString() });
    const refusal = await ask(client(gatewayA, expired.key)).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((refusal as InstanceType<typeof OpenAI.APIError>).code).toBe('expired_api_key');
    const live = await createKey({ expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    await ask(client(gatewayB, live.key));
    await admin(gatewayA, 'PATCH', `/keys/${live.id}`, { expiresAt: new Date(Date.now() - 1).toISOString() });
    await expect(ask(client(gatewayA, live.key))).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('rotates a key: the new secret works at once, the old one no more', async () => {
    const { id, key } = await createKey({});
    await ask(client(gatewayB, key));
    const rotated = await admin(gatewayA, 'POST', `/keys/${id}/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.key).not.toBe(key);
    expect((await ask(client(gatewayA, String(rotated.body.key)))).choices).toHaveLength(1);
    await expect(ask(client(gatewayA, key))).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });
});

describe('the spend log', () => {
  it('gets a row for every call, plain and streamed (key, team, tokens, cost, request id), summed by /admin/spend', async () => {
    const team = await admin(gatewayA, 'POST', '/teams', { name: 'spenders' });
    const { id, key } = await createKey({ teamId: team.body.id });
    const openai = client(gatewayA, key);
    const { response } = await openai.chat.completions
      .create({ model: MODEL, messages: [{ role: 'user', content: 'hello' }] })
      .withResponse();
    const stream = await openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'hello' }],
      stream: true,
    });
    for await (const _chunk of stream) {
      // read to the end
    }
    type Row = { request_id: string; team_id: string; provider: string; status: string; streamed: boolean };
    let rows: Array<Row & Record<string, unknown>> = [];
    const started = Date.now();
    while (rows.length < 2 && Date.now() - started < 5_000) {
      rows = await database.sql<Array<Row & Record<string, unknown>>>`
        select * from matey.spend_log where key_id = ${id} order by id`;
      if (rows.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(rows.map((row) => [row.streamed, row.status, row.team_id, row.provider])).toEqual([
      [false, 'ok', team.body.id, 'openai'],
      [true, 'ok', team.body.id, 'openai'],
    ]);
    expect(rows[0]?.request_id).toBe(response.headers.get('x-request-id'));
    for (const row of rows) {
      expect(row.input_tokens).toBeGreaterThan(0);
      expect(row.output_tokens).toBeGreaterThan(0);
      expect(row.cost_usd).toBeGreaterThan(0);
      expect(row.attempts).toBe(1);
    }
    expect(rows[1]?.first_event_ms).toEqual(expect.any(Number));
    const byTeam = await admin(gatewayB, 'GET', `/spend?team=${team.body.id}&groupBy=key`);
    const cost = rows.reduce((sum, row) => sum + Number(row.cost_usd), 0);
    expect(byTeam.body).toEqual({
      groupBy: 'key',
      data: [
        {
          group: id,
          requests: 2,
          inputTokens: expect.any(Number),
          outputTokens: expect.any(Number),
          costUsd: cost,
        },
      ],
    });
    const today = new Date().toISOString().slice(0, 10);
    const byDay = await admin(gatewayA, 'GET', `/spend?key=${id}&provider=openai`);
    expect(byDay.body.data).toEqual([expect.objectContaining({ group: today, requests: 2 })]);
    const wrong = await admin(gatewayA, 'GET', '/spend?groupBy=week');
    expect(wrong).toMatchObject({ status: 400, body: { error: { param: 'groupBy' } } });
  });
});
