/**
 * `previous_response_id` across two gateway replicas sharing Redis (a unique key prefix): the
 * official `openai` client begins a conversation on one replica and continues it (and reads it
 * back, and deletes it) on the other; a deleted (or expired) id is a 404 on either replica.
 */
import { type RunningGateway, serveGateway } from 'ai.matey.http';
import { RedisStore } from 'ai.matey.store.redis';
import { type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway } from './build-gateway.ts';
import { gatewayConfigSchema } from './config-schema.ts';

const prefix = `test-responses-${process.pid}-${Date.now()}:`;
const open: Array<{ close(): Promise<void> }> = [];
const stores: RedisStore[] = [];
let upstream: MockUpstream;
let replicas: RunningGateway[] = [];

beforeAll(async () => {
  upstream = await startMockUpstream();
  open.push(upstream);
  const config = gatewayConfigSchema.parse({
    providers: { openai: { apiKey: 'upstream-key', baseURL: `${upstream.url}/v1` } },
  });
  replicas = [];
  for (let i = 0; i < 2; i++) {
    const store = new RedisStore({ url: 'redis://127.0.0.1:6379', keyPrefix: prefix });
    stores.push(store);
    const built = await buildGateway(config, { env: {}, store, logDestination: { write() {} }, warn() {} });
    open.push(built);
    const running = await serveGateway(built.gateway, { port: 0, shutdownGraceMs: 200 });
    open.push(running);
    replicas.push(running);
  }
});

afterAll(async () => {
  for (const item of open.reverse()) await item.close();
});

describe('previous_response_id over Redis', () => {
  it('continues on one replica a conversation begun on the other', async () => {
    const [one, two] = replicas.map(
      (replica) => new OpenAI({ apiKey: 'unused', baseURL: `${replica.url}/v1`, maxRetries: 0 }),
    );
    if (!one || !two) throw new Error('two replicas expected');
    upstream.enqueue({ text: 'Hello Ada.' }, { text: 'Your name is Ada.' });
    const first = await one.responses.create({ model: 'openai/gpt-4o-mini', input: 'My name is Ada.' });
    const second = await two.responses.create({
      model: 'openai/gpt-4o-mini',
      previous_response_id: first.id,
      input: 'What is my name?',
    });
    expect(second.output_text).toBe('Your name is Ada.');
    expect(upstream.requests.at(-1)?.request?.messages).toEqual([
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: 'Hello Ada.' },
      { role: 'user', content: 'What is my name?' },
    ]);
    const stored = await stores[0]?.get<{ messages: unknown[] }>(`responses:${second.id}`);
    expect(stored?.messages).toHaveLength(4);
    // Read back and deleted on the replica that did not make it, as `responses.retrieve`/`.delete`.
    const again = await two.responses.retrieve(first.id);
    expect({ id: again.id, output: again.output, usage: again.usage }).toEqual({
      id: first.id,
      output: first.output,
      usage: first.usage,
    });
    await two.responses.delete(first.id);
    expect(await one.responses.retrieve(first.id).catch((caught: unknown) => caught)).toBeInstanceOf(
      OpenAI.NotFoundError,
    );
    await stores[0]?.delete(`responses:${second.id}`);

    const missing = await two.responses
      .create({ model: 'openai/gpt-4o-mini', previous_response_id: first.id, input: 'again' })
      .catch((caught: unknown) => caught);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
  });
});
