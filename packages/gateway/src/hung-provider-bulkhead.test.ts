/**
 * Bulkheads under load, over real sockets on 127.0.0.1: provider A hangs (its upstream never
 * answers), 200 concurrent calls go to A and 200 to B through the gateway. B keeps its latency
 * (p99 within 2× its p99 measured alone, in the same test: the median of three rounds each,
 * interleaved), A holds no more than its cap of upstream sockets, and every call to A is refused
 * within the queue timeout (plus the gateway's own time for a call, as B's calls measure it):
 * 503 `bulkhead_full` with `retry-after`, in the caller's own format (OpenAI or Anthropic, plain
 * or streamed). With a fallback configured, A's calls are served by B instead.
 *
 * The mock upstreams and the load generator run in worker threads, so the main thread's event
 * loop runs the gateway only. The calls refused still cost the gateway CPU (about three quarters
 * of a served call's), which is why B's upstream answers in 1 s, as a short LLM call does: on a
 * loaded machine the gateway's own time would otherwise make the comparison one of CPU shares.
 */
import { type RunningGateway, serveGateway } from 'ai.matey.http';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGateway } from './build-gateway.ts';
import { type GatewayConfigInput, gatewayConfigSchema } from './config-schema.ts';
import { type CallSpec, LoadClient } from './test-support/load-client.ts';
import { startUpstreamWorker, type UpstreamWorker } from './test-support/start-upstream-worker.ts';
import { metricValue, percentile, type TimedReply, timedPost } from './test-support/timed-calls.ts';

const CALLS = 200;
const A_CAP = 20;
const A_QUEUE = 50;
const QUEUE_TIMEOUT_MS = 500;
// B's upstream answers after this long (a short LLM call): the floor of every B latency.
const B_LATENCY_MS = 1_000;

const open: Array<{ close(): Promise<void> }> = [];
const holders: AbortController[] = [];
afterEach(async () => {
  for (const holder of holders.splice(0)) holder.abort();
  await Promise.all(open.splice(0).map((item) => item.close()));
});

async function setup(routing: GatewayConfigInput['routing'] = {}) {
  // The upstreams and the load come from worker threads: the main thread runs the gateway only.
  const upstreams = await startUpstreamWorker([{ hangMs: 120_000 }, { latencyMs: B_LATENCY_MS }]);
  open.push(upstreams);
  const [aUrl, bUrl] = upstreams.urls;
  const config = gatewayConfigSchema.parse({
    providers: {
      a: { type: 'openai', apiKey: 'upstream-key-a', baseURL: `${aUrl}/v1`, models: ['model-a'] },
      b: { type: 'openai', apiKey: 'upstream-key-b', baseURL: `${bUrl}/v1`, models: ['model-b'] },
    },
    routing,
    bulkheads: {
      providers: {
        a: { maxConcurrent: A_CAP, maxQueue: A_QUEUE, queueTimeoutMs: QUEUE_TIMEOUT_MS },
        b: { maxConcurrent: 512, maxQueue: 512, queueTimeoutMs: 5_000 },
      },
    },
    middleware: { logging: false, retry: false },
  } satisfies GatewayConfigInput);
  const built = await buildGateway(config, { env: {} });
  const running = await serveGateway(built.gateway, { port: 0, shutdownGraceMs: 100 });
  open.push(running, built);
  const a = { requests: () => upstreams.count(0) };
  const b = { requests: () => upstreams.count(1) };
  return { a, b, upstreams, running };
}

const openaiBody = (model: string, stream = false) => ({
  model,
  stream,
  messages: [{ role: 'user', content: 'hello' }],
});
const anthropicBody = (model: string, stream = false) => ({
  model,
  stream,
  max_tokens: 16,
  messages: [{ role: 'user', content: 'hello' }],
});
const ANTHROPIC_HEADERS = { 'anthropic-version': '2023-06-01' };

const openaiCall = (gateway: RunningGateway, model: string, signal?: AbortSignal) =>
  timedPost(`${gateway.url}/v1/chat/completions`, openaiBody(model), {}, signal);

const toB = (gateway: RunningGateway): CallSpec[] =>
  Array.from({ length: CALLS }, () => ({
    url: `${gateway.url}/v1/chat/completions`,
    body: openaiBody('model-b'),
  }));

/** The caller formats of the calls to A, in turn: OpenAI and Anthropic, plain and streamed. */
const A_FORMATS = ['openai', 'anthropic', 'openai-stream', 'anthropic-stream'] as const;
const toA = (gateway: RunningGateway): CallSpec[] =>
  Array.from({ length: CALLS }, (_, i) => {
    const format = A_FORMATS[i % A_FORMATS.length];
    const stream = format?.endsWith('-stream') ?? false;
    return format?.startsWith('openai')
      ? { url: `${gateway.url}/v1/chat/completions`, body: openaiBody('model-a', stream) }
      : {
          url: `${gateway.url}/v1/messages`,
          body: anthropicBody('model-a', stream),
          headers: ANTHROPIC_HEADERS,
        };
  });

/** Takes every one of A's slots with calls that hang, until the test ends (then they are aborted). */
async function fillA(gateway: RunningGateway, upstreams: UpstreamWorker): Promise<Array<Promise<unknown>>> {
  const held = Array.from({ length: A_CAP }, () => {
    const holder = new AbortController();
    holders.push(holder);
    return openaiCall(gateway, 'model-a', holder.signal).catch((error: unknown) => error);
  });
  await upstreams.waitForRequests(0, A_CAP);
  return held;
}

const metrics = async (gateway: RunningGateway) => (await fetch(`${gateway.url}/metrics`)).text();

const p99 = (replies: readonly TimedReply[]) =>
  percentile(
    replies.map((reply) => reply.ms),
    99,
  );
const median = (values: readonly number[]) => percentile(values, 50);

describe('a hung provider behind a bulkhead', () => {
  it('keeps the other provider at its latency and refuses its own calls within the queue timeout', async () => {
    const { a, b, upstreams, running } = await setup();
    const client = new LoadClient();
    open.push(client);
    await client.run(toB(running).slice(0, 50)); // warm-up
    // B alone first; then rounds under A's hang interleaved with rounds of B alone (A's slots
    // held, idle), so a burst of load from elsewhere on the machine hits both sides alike.
    const alone = [await client.run(toB(running))];
    const held = await fillA(running, upstreams);
    const underHang: TimedReply[][] = [];
    const refused: TimedReply[] = [];
    for (let round = 0; round < 3; round++) {
      // Sent interleaved (B, A, B, A, …), so neither side queues behind the other at the gateway.
      const [specsB, specsA] = [toB(running), toA(running)];
      const replies = await client.run(specsB.flatMap((spec, i) => [spec, specsA[i] as CallSpec]));
      underHang.push(replies.filter((_, i) => i % 2 === 0));
      refused.push(...replies.filter((_, i) => i % 2 === 1));
      if (round < 2) alone.push(await client.run(toB(running)));
    }
    const p99Alone = median(alone.map(p99));
    const p99UnderHang = median(underHang.map(p99));
    const refusalMs = refused.map((reply) => reply.ms);
    const slowestB = Math.max(...underHang.flat().map((reply) => reply.ms));
    console.log(
      `bulkhead: B p99 alone ${p99Alone.toFixed(1)} ms (rounds ${alone.map((r) => p99(r).toFixed(0)).join(', ')}), ` +
        `under A's hang ${p99UnderHang.toFixed(1)} ms (rounds ${underHang.map((r) => p99(r).toFixed(0)).join(', ')}): ` +
        `${(p99UnderHang / p99Alone).toFixed(2)}×; A refused in median ${percentile(refusalMs, 50).toFixed(1)} ms, ` +
        `p99 ${percentile(refusalMs, 99).toFixed(1)} ms, max ${Math.max(...refusalMs).toFixed(1)} ms (queue timeout ${QUEUE_TIMEOUT_MS} ms)`,
    );

    for (const round of [...alone, ...underHang])
      expect(round.every((reply) => reply.status === 200)).toBe(true);
    expect(p99UnderHang).toBeLessThanOrEqual(2 * p99Alone);
    refused.forEach((reply, i) => {
      expect(reply.status).toBe(503);
      expect(reply.headers.get('retry-after')).toBe('1');
      // A stream refused before its first event is a plain error reply too.
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      if (A_FORMATS[i % A_FORMATS.length]?.startsWith('openai'))
        expect(reply.body).toMatchObject({ error: { type: 'server_error', code: 'bulkhead_full' } });
      else expect(reply.body).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    });
    // Within the queue timeout, plus the gateway's own time for a call on this (loaded) machine,
    // bounded by B's slowest call in the same rounds: a refusal never waits for A's upstream.
    expect(Math.max(...refusalMs)).toBeLessThan(QUEUE_TIMEOUT_MS + Math.max(1_000, slowestB));
    // A's upstream saw only the calls that hold its slots: no more of its sockets were taken.
    expect(await a.requests()).toBe(A_CAP);
    expect(await b.requests()).toBe(50 + 6 * CALLS);

    const text = await metrics(running);
    expect(metricValue(text, 'matey_bulkhead_in_flight{provider="a"}')).toBe(A_CAP);
    expect(metricValue(text, 'matey_bulkhead_queued{provider="a"}')).toBe(0);
    const timedOut = metricValue(text, 'matey_bulkhead_rejected_total{provider="a",reason="queue_timeout"}');
    const queueFull = metricValue(text, 'matey_bulkhead_rejected_total{provider="a",reason="queue_full"}');
    // How many found the queue full depends on how the calls' arrivals spread: each was refused once.
    expect(timedOut).toBeGreaterThanOrEqual(A_QUEUE);
    expect(queueFull).toBeGreaterThan(0);
    expect(timedOut + queueFull).toBe(3 * CALLS);

    // The callers holding A's slots go away: the slots come back.
    for (const holder of holders) holder.abort();
    await Promise.all(held);
    for (let i = 0; i < 100; i++) {
      if (metricValue(await metrics(running), 'matey_bulkhead_in_flight{provider="a"}') === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(metricValue(await metrics(running), 'matey_bulkhead_in_flight{provider="a"}')).toBe(0);
  }, 120_000);

  it('falls back to the next provider within the queue timeout when one is configured', async () => {
    const { a, b, upstreams, running } = await setup({ fallbacks: ['b/model-b'] });
    const client = new LoadClient();
    open.push(client);
    const alone = await client.run(toB(running).slice(0, 100));
    await fillA(running, upstreams);
    const replies = await client.run(
      Array.from({ length: 100 }, () => ({
        url: `${running.url}/v1/chat/completions`,
        body: openaiBody('model-a'),
      })),
    );
    for (const reply of replies) {
      expect(reply.status).toBe(200);
      expect(reply.headers.get('x-matey-backend')).toBe('b');
    }
    // The queue timeout plus about what a call of B takes on this machine.
    const slowestB = Math.max(...alone.map((reply) => reply.ms));
    expect(Math.max(...replies.map((reply) => reply.ms))).toBeLessThan(
      QUEUE_TIMEOUT_MS + 2 * slowestB + 1_000,
    );
    expect(await b.requests()).toBe(200);
    expect(await a.requests()).toBe(A_CAP);
  }, 60_000);
});
