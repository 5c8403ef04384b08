/**
 * The semantic cache in a gateway built from config: two replicas on one Redis (a unique key
 * prefix), the official `openai` client as the caller, a mock upstream whose embedding model
 * gives texts with the same words the same vector (bag of words).
 */
import { type RunningGateway, serveGateway } from 'ai.matey.http';
import { RedisStore } from 'ai.matey.store.redis';
import { type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway } from './build-gateway.ts';
import { gatewayConfigSchema } from './config-schema.ts';

const prefix = `test-semantic-${process.pid}-${Date.now()}:`;
const open: Array<{ close(): Promise<void> }> = [];
let upstream: MockUpstream;
let replicas: RunningGateway[] = [];
const keys = { a: 'key-a-opted-in', b: 'key-b-opted-in', c: 'key-c-not-opted', d: 'key-d-not-opted' };

/** Each word hashed to one of 64 dimensions: texts sharing most words are close. */
function wordsVector(text: string): number[] {
  const vector = new Array<number>(64).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let hash = 2166136261;
    for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 16777619);
    const slot = (hash >>> 0) % 64;
    vector[slot] = (vector[slot] ?? 0) + 1;
  }
  return vector;
}

beforeAll(async () => {
  upstream = await startMockUpstream({
    embedReply: (request) => ({ embeddings: request.inputs.map((input) => wordsVector(String(input))) }),
  });
  open.push(upstream);
  const config = gatewayConfigSchema.parse({
    providers: { openai: { apiKey: 'upstream-key', baseURL: `${upstream.url}/v1` } },
    middleware: {
      cache: {},
      semanticCache: { embeddingModel: 'openai/text-embedding-3-small', threshold: 0.8 },
    },
    keys: [
      { id: 'a', key: keys.a, semanticCache: true },
      { id: 'b', key: keys.b, semanticCache: true },
      { id: 'c', key: keys.c },
      { id: 'd', key: keys.d },
    ],
  });
  replicas = [];
  for (let i = 0; i < 2; i++) {
    const store = new RedisStore({ url: 'redis://127.0.0.1:6379', keyPrefix: prefix });
    const built = await buildGateway(config, { env: {}, store, logDestination: { write() {} }, warn() {} });
    open.push(built, store);
    const running = await serveGateway(built.gateway, { port: 0, shutdownGraceMs: 200 });
    open.push(running);
    replicas.push(running);
  }
});

afterAll(async () => {
  const cleaner = new RedisStore({ url: 'redis://127.0.0.1:6379', keyPrefix: prefix });
  await cleaner.ping();
  const found = await cleaner.client.keys(`${prefix}*`);
  if (found.length > 0) await cleaner.client.del(...found);
  await cleaner.close();
  for (const item of open.reverse()) await item.close();
});

function client(key: string, replica = 0): OpenAI {
  return new OpenAI({ apiKey: key, baseURL: `${replicas[replica]?.url}/v1`, maxRetries: 0 });
}

async function ask(openai: OpenAI, text: string, extra: { system?: string; temperature?: number } = {}) {
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
    ...(extra.system ? [{ role: 'system' as const, content: extra.system }] : []),
    { role: 'user', content: text },
  ];
  const { data, response } = await openai.chat.completions
    .create({
      model: 'openai/gpt-4o-mini',
      messages,
      ...(extra.temperature ? { temperature: extra.temperature } : {}),
    })
    .withResponse();
  return {
    text: data.choices[0]?.message.content,
    cache: response.headers.get('x-matey-cache'),
    similarity: response.headers.get('x-matey-cache-similarity'),
  };
}

async function streamAsk(openai: OpenAI, text: string) {
  const { data: stream, response } = await openai.chat.completions
    .create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: text }], stream: true })
    .withResponse();
  let answer = '';
  for await (const chunk of stream) answer += chunk.choices[0]?.delta.content ?? '';
  return {
    text: answer,
    cache: response.headers.get('x-matey-cache'),
    similarity: response.headers.get('x-matey-cache-similarity'),
  };
}

const chatCalls = () =>
  upstream.requests.filter((request) => request.path.endsWith('/chat/completions')).length;

describe('semantic cache in the gateway', () => {
  it('serves an opted-in key a paraphrase from the cache, with the headers', async () => {
    const before = chatCalls();
    const first = await ask(client(keys.a), 'How do I reset my password?');
    const second = await ask(client(keys.a), 'How can I reset my password?');
    expect(first.cache).toBe('miss');
    expect(second).toEqual({ text: first.text, cache: 'semantic-hit', similarity: '0.833' });
    expect(chatCalls() - before).toBe(1);
  });

  it('an answer one replica stored is served by the other (Redis)', async () => {
    const first = await ask(client(keys.a, 0), 'Which planet is the largest one?');
    const second = await ask(client(keys.a, 1), 'which planet is the largest');
    expect(second).toMatchObject({ text: first.text, cache: 'semantic-hit' });
  });

  it('replays a hit as a stream, with the headers; a streamed miss says miss', async () => {
    const missed = await streamAsk(client(keys.a), 'Name three primary colors please');
    expect(missed.cache).toBe('miss');
    const hit = await streamAsk(client(keys.a, 1), 'Please name three primary colors');
    expect(hit.cache).toBe('semantic-hit');
    expect(Number(hit.similarity)).toBeGreaterThanOrEqual(0.8);
    expect(hit.text).toBe(missed.text);
  });

  it('two keys without opt-in never share an answer', async () => {
    const first = await ask(client(keys.c), 'What is the capital city of France?');
    const second = await ask(client(keys.d), 'What is the capital of France?');
    expect(second.text).not.toBe(first.text);
    expect(second.cache).toBe('miss');
  });

  it('two opted-in keys do not share answers unless shareAcrossKeys', async () => {
    const first = await ask(client(keys.a), 'How many legs does a spider have?');
    const second = await ask(client(keys.b), 'How many legs does a spider have');
    expect(second.text).not.toBe(first.text);
  });

  it('two different system prompts never share an answer', async () => {
    const first = await ask(client(keys.a), 'What are your opening hours?', {
      system: 'You answer for Acme.',
    });
    const second = await ask(client(keys.a), 'What are your opening hours', {
      system: 'You answer for Globex.',
    });
    expect(second.text).not.toBe(first.text);
    expect(second.cache).toBe('miss');
  });

  it('a request with a temperature above 0 is not served from the semantic cache', async () => {
    await ask(client(keys.a), 'Write a haiku about autumn leaves', { temperature: 0.9 });
    const second = await ask(client(keys.a), 'Write me a haiku about autumn leaves', { temperature: 0.9 });
    expect(second.cache).toBe('bypass');
  });

  it('counts hits and misses in /metrics', async () => {
    const metrics = await fetch(`${replicas[0]?.url}/metrics`, {
      headers: { authorization: `Bearer ${keys.a}` },
    });
    const text = await metrics.text();
    expect(text).toMatch(/matey_semantic_cache_total\{outcome="hit"\} [1-9]/);
    expect(text).toMatch(/matey_semantic_cache_total\{outcome="miss"\} [1-9]/);
  });
});
