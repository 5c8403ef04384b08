/** The gateway's non-chat endpoints: model lists in both formats, health probes and metrics. */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from './test-gateway.ts';

let fleet: TestFleet;
beforeAll(async () => {
  fleet = await startTestFleet({
    openai: { models: ['gpt-4o-mini', 'gpt-4.1'] },
    anthropic: { models: ['claude-sonnet-4-5'] },
    gemini: { models: ['gemini-2.5-flash'] },
  });
});
afterAll(() => fleet.close());

describe('GET /v1/models', () => {
  it('lists every backend model as provider/model in the OpenAI list format', async () => {
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${fleet.url}/v1`, maxRetries: 0 });
    const ids: string[] = [];
    for await (const model of client.models.list()) {
      expect(model.object).toBe('model');
      ids.push(model.id);
    }
    expect(ids.sort()).toEqual([
      'anthropic/claude-sonnet-4-5',
      'gemini/gemini-2.5-flash',
      'openai/gpt-4.1',
      'openai/gpt-4o-mini',
    ]);
  });

  it('answers in the Anthropic format to a caller sending anthropic-version', async () => {
    const client = new Anthropic({ apiKey: 'unused', baseURL: fleet.url, maxRetries: 0 });
    const ids: string[] = [];
    for await (const model of client.models.list()) {
      expect(model.type).toBe('model');
      expect(typeof model.display_name).toBe('string');
      ids.push(model.id);
    }
    expect(ids).toContain('anthropic/claude-sonnet-4-5');
    expect(ids).toHaveLength(4);
  });

  it('lists ids a client can send back as the model', async () => {
    fleet.upstreams.openai.setReply({ text: 'routed' });
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${fleet.url}/v1`, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'openai/gpt-4.1',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(completion.choices[0]?.message.content).toBe('routed');
    expect(fleet.upstreams.openai.requests.at(-1)?.model).toBe('gpt-4.1');
  });
});

describe('health', () => {
  it('is live, and ready with its backends and circuits', async () => {
    const live = await fetch(`${fleet.url}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${fleet.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      backends: 3,
      circuits: { openai: { state: 'closed' }, anthropic: { state: 'closed' } },
    });
  });

  it('is not ready (503) while a readiness check fails', async () => {
    await using failing = await startTestFleet({
      gateway: { readinessChecks: [async () => true, async () => false] },
    });
    const ready = await fetch(`${failing.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not-ready' });
  });
});

describe('GET /metrics', () => {
  it('exposes requests, latency, tokens by type, errors by kind and circuit state', async () => {
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${fleet.url}/v1`, maxRetries: 0 });
    fleet.upstreams.openai.setReply({ text: 'ok', usage: { inputTokens: 17, outputTokens: 5 } });
    await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'a' }],
    });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'b' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const _chunk of stream) {
      // drain
    }
    fleet.upstreams.anthropic.setReply({ error: 'rate-limited', retryAfter: 1 });
    await client.chat.completions
      .create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'c' }] })
      .catch(() => undefined);

    const response = await fetch(`${fleet.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    // The sum of a metric's samples whose labels include all of `labels`.
    const sample = (name: string, ...labels: string[]) =>
      text
        .split('\n')
        .filter((line) => line.startsWith(`${name}{`) && labels.every((label) => line.includes(label)))
        .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    expect(sample('matey_requests_total', 'status="200"')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^matey_request_duration_seconds_bucket\{.*stream="true".*\} \d+$/m);
    expect(text).toMatch(/^matey_request_duration_seconds_bucket\{.*stream="false".*\} \d+$/m);
    expect(sample('matey_tokens_total', 'model="gpt-4o-mini"', 'type="input"')).toBe(34);
    expect(sample('matey_tokens_total', 'model="gpt-4o-mini"', 'type="output"')).toBe(10);
    expect(sample('matey_errors_total', 'kind="rate-limited"')).toBe(1);
    expect(sample('matey_requests_total', 'status="429"')).toBe(1);
    expect(sample('matey_circuit_state', 'backend="openai"')).toBe(0);
    expect(text).toMatch(/^matey_time_to_first_event_seconds_count\{.*\} 1$/m);
  });

  it("has Node's process metrics beside the gateway's own", async () => {
    const text = await (await fetch(`${fleet.url}/metrics`)).text();
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
      'nodejs_version_info',
    ])
      expect(text).toMatch(new RegExp(`^${name}(\\{.*\\})? [\\d.e+-]+$`, 'm'));
    expect(text).toMatch(/^# TYPE matey_requests_total counter$/m);
  });

  it('with metricsKey, is served to its holder only: not to a gateway key, not to nobody', async () => {
    const metricsKey = 'scraper-metrics-key-7d41c0a9e5';
    await using keyed = await startTestFleet({
      gateway: { metricsKey, keys: [{ id: 'caller', key: 'caller-gateway-key-1' }] },
    });
    const scrape = (authorization?: string) =>
      fetch(`${keyed.url}/metrics`, authorization ? { headers: { authorization } } : {});
    for (const refused of [
      await scrape(),
      await scrape('Bearer caller-gateway-key-1'),
      await scrape('Bearer nope'),
    ]) {
      expect(refused.status).toBe(401);
      expect(await refused.text()).not.toContain(metricsKey);
    }
    const served = await scrape(`Bearer ${metricsKey}`);
    expect(served.status).toBe(200);
    const text = await served.text();
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(text).not.toContain(metricsKey);
    // Readiness is not the scraper's: it still asks for a gateway key.
    const ready = await fetch(`${keyed.url}/health/ready`, {
      headers: { authorization: 'Bearer caller-gateway-key-1' },
    });
    expect(ready.status).toBe(200);
  });

  it('without metricsKey but with keys, is served to a gateway key holder only', async () => {
    await using keyed = await startTestFleet({
      gateway: { keys: [{ id: 'caller', key: 'caller-gateway-key-2' }] },
    });
    expect((await fetch(`${keyed.url}/metrics`)).status).toBe(401);
    const served = await fetch(`${keyed.url}/metrics`, {
      headers: { authorization: 'Bearer caller-gateway-key-2' },
    });
    expect(served.status).toBe(200);
  });

  it('is absent when metrics are turned off', async () => {
    await using quiet = await startTestFleet({ gateway: { metrics: false } });
    const response = await fetch(`${quiet.url}/metrics`);
    expect(response.status).toBe(404);
  });
});
