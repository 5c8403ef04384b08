/**
 * A database key's semantic-cache opt-in and concurrency cap, set through the admin API and read
 * by the gateway from the key as its policy resolved it; the semantic cache's embedding paid by
 * that key (its budget counter and a spend-log row). A real PostgreSQL, a database of this
 * file's own; the official `openai` client as the caller.
 */
import { budgetCounterKey, type RunningGateway, serveGateway } from 'ai.matey.http';
import { type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltGateway, buildGateway } from './build-gateway.ts';
import { gatewayConfigSchema } from './config-schema.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from './test-support/temporary-database.ts';

const ADMIN_KEY = 'matey-admin-key-guards-0123456789';
const MODEL = 'openai/gpt-4o-mini';

let database: TemporaryDatabase;
let upstream: MockUpstream;
let built: BuiltGateway;
let gateway: RunningGateway;

beforeAll(async () => {
  database = await createTemporaryDatabase('key_guards');
  // Every chat reply takes 300 ms, so two calls of one key overlap.
  upstream = await startMockUpstream({ reply: { text: 'Paris.', latencyMs: 300 } });
  const config = gatewayConfigSchema.parse({
    providers: { openai: { apiKey: 'upstream-key-guards', baseURL: `${upstream.url}/v1` } },
    database: database.url,
    middleware: {
      logging: false,
      semanticCache: { embeddingModel: 'openai/text-embedding-3-small', threshold: 0.99 },
    },
  });
  const options = { env: { MATEY_ADMIN_KEY: ADMIN_KEY }, warn: () => {} };
  built = await buildGateway(config, options);
  gateway = await serveGateway(built.gateway, { port: 0, shutdownGraceMs: 100 });
});

afterAll(async () => {
  await gateway?.close();
  await built?.close();
  await upstream?.close();
  await database?.drop();
});

async function admin(method: string, path: string, body?: unknown) {
  const response = await fetch(`${gateway.url}/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function createKey(fields: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const created = await admin('POST', '/keys', { name: 'guarded key', ...fields });
  expect(created.status).toBe(201);
  return { id: String(created.body.id), key: String(created.body.key) };
}

async function ask(key: string, content: string) {
  const openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key, maxRetries: 0 });
  const { response } = await openai.chat.completions
    .create({ model: MODEL, messages: [{ role: 'user', content }] })
    .withResponse();
  return { cache: response.headers.get('x-matey-cache'), requestId: response.headers.get('x-request-id') };
}

const chatCalls = () => upstream.requests.filter((r) => r.path.endsWith('/chat/completions')).length;

describe('semanticCache on a database key', () => {
  it('serves an opted-in key from the semantic cache, never a key without it, and follows an edit', async () => {
    const opted = await createKey({ semanticCache: true });
    const plain = await createKey({});
    expect((await admin('GET', `/keys/${opted.id}`)).body).toMatchObject({ semanticCache: true });
    expect((await admin('GET', `/keys/${plain.id}`)).body).toMatchObject({ semanticCache: false });

    await ask(opted.key, 'What is the capital of France?');
    expect((await ask(opted.key, 'What is the capital of France?')).cache).toBe('semantic-hit');
    const before = chatCalls();
    await ask(plain.key, 'What is the capital of Spain?');
    expect((await ask(plain.key, 'What is the capital of Spain?')).cache).not.toBe('semantic-hit');
    expect(chatCalls()).toBe(before + 2);

    // Turned off by an admin: the key's next call goes upstream.
    expect((await admin('PATCH', `/keys/${opted.id}`, { semanticCache: false })).status).toBe(200);
    expect((await ask(opted.key, 'What is the capital of France?')).cache).not.toBe('semantic-hit');
  });

  it("charges the embedding to the calling key: a spend-log row under the call's request id, and its budget", async () => {
    const { id, key } = await createKey({ semanticCache: true, budgetUsdPerDay: 5 });
    const { requestId } = await ask(key, 'How tall is the Eiffel Tower?');
    type Row = { request_id: string; model: string; cost_usd: number; output_tokens: number };
    let rows: Row[] = [];
    for (let tries = 0; tries < 50 && rows.length < 2; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      rows = await database.sql<Row[]>`
        select request_id, model, cost_usd, output_tokens from matey.spend_log where key_id = ${id} order by id`;
    }
    const embedding = rows.find((row) => row.model.includes('embedding'));
    const chat = rows.find((row) => row.model.includes('gpt-4o-mini'));
    expect(embedding).toMatchObject({ request_id: requestId, output_tokens: 0 });
    expect(embedding?.cost_usd).toBeGreaterThan(0);
    expect(chat?.request_id).toBe(requestId);
    const counted = await built.store.get<number>(budgetCounterKey(id, 'day', Date.now()));
    expect(counted).toBeCloseTo(Number(chat?.cost_usd) + Number(embedding?.cost_usd), 12);
  });
});

describe('maxConcurrent on a database key', () => {
  it("caps the key's calls in flight (429 with retry-after), and follows an edit", async () => {
    const { id, key } = await createKey({ maxConcurrent: 1 });
    const results = await Promise.allSettled([ask(key, 'one'), ask(key, 'two')]);
    const refused = results.filter((result) => result.status === 'rejected');
    expect(refused).toHaveLength(1);
    const error = (refused[0] as PromiseRejectedResult).reason as InstanceType<typeof OpenAI.APIError>;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.code).toBe('concurrency_limit_exceeded');
    expect(error.headers?.get('retry-after')).toBe('1');

    const raised = await admin('PATCH', `/keys/${id}`, { maxConcurrent: 2, maxQueue: 1 });
    expect(raised.body).toMatchObject({ maxConcurrent: 2, maxQueue: 1, queueTimeoutMs: null });
    const three = await Promise.allSettled([ask(key, 'a'), ask(key, 'b'), ask(key, 'c')]);
    expect(three.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
  });

  it('lets a key capped at one call use the semantic cache: its embedding takes no second slot', async () => {
    const { key } = await createKey({ semanticCache: true, maxConcurrent: 1 });
    await ask(key, 'Who wrote Les Misérables?');
    expect((await ask(key, 'Who wrote Les Misérables?')).cache).toBe('semantic-hit');
  });

  it('refuses a wait queue without a cap, on create and on update (400 naming the field)', async () => {
    const created = await admin('POST', '/keys', { name: 'k', maxQueue: 4 });
    expect(created).toMatchObject({ status: 400, body: { error: { param: 'maxQueue' } } });
    const { id } = await createKey({});
    const patched = await admin('PATCH', `/keys/${id}`, { queueTimeoutMs: 500 });
    expect(patched).toMatchObject({ status: 400, body: { error: { param: 'maxConcurrent' } } });
    const negative = await admin('PATCH', `/keys/${id}`, { maxConcurrent: 0 });
    expect(negative).toMatchObject({ status: 400, body: { error: { param: 'maxConcurrent' } } });
  });
});
