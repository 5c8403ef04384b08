/**
 * The dashboard's routes on a real gateway: only the admin key reads its data, the page and its
 * files (uPlot included) are served with a strict CSP, and the snapshot and the live stream show
 * the gateway's own traffic, sent with the official `openai` client.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../test-gateway.ts';
import type { DashboardSnapshot } from './dashboard-snapshot.ts';

const ADMIN_KEY = 'dashboard-admin-key-0123456789abcdef';
const GATEWAY_KEY = 'dashboard-gateway-key-1';

let fleet: TestFleet;
let client: OpenAI;
beforeAll(async () => {
  fleet = await startTestFleet({
    gateway: { keys: [{ id: 'team-app', key: GATEWAY_KEY }], dashboard: { key: ADMIN_KEY } },
  });
  client = new OpenAI({ apiKey: GATEWAY_KEY, baseURL: `${fleet.url}/v1`, maxRetries: 0 });
});
afterAll(() => fleet.close());

const asAdmin = { authorization: `Bearer ${ADMIN_KEY}` };

async function snapshot(): Promise<DashboardSnapshot> {
  const response = await fetch(`${fleet.url}/dashboard/api/snapshot`, { headers: asAdmin });
  expect(response.status).toBe(200);
  return (await response.json()) as DashboardSnapshot;
}

describe('dashboard routes', () => {
  it('serves the page and its own files (uPlot, no CDN) with a CSP that allows only this origin', async () => {
    const page = await fetch(`${fleet.url}/dashboard`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('/dashboard/assets/dashboard.js');
    expect(html).not.toMatch(/https?:\/\//);
    const uplot = await fetch(`${fleet.url}/dashboard/assets/uplot.js`);
    expect(uplot.headers.get('content-type')).toContain('text/javascript');
    expect(await uplot.text()).toContain('uPlot');
    expect((await fetch(`${fleet.url}/dashboard/assets/..%2Fpackage.json`)).status).toBe(404);
  });

  it('gives its data to the admin key only: not to a gateway key, a wrong key or none', async () => {
    const refusedHeaders: Array<Record<string, string>> = [
      {},
      { authorization: `Bearer ${GATEWAY_KEY}` },
      { authorization: 'Bearer nope' },
    ];
    for (const headers of refusedHeaders) {
      for (const path of ['/dashboard/api/snapshot', '/dashboard/events']) {
        const response = await fetch(`${fleet.url}${path}`, { headers });
        expect(response.status).toBe(401);
        expect(await response.json()).toMatchObject({ error: { type: 'authentication_error' } });
      }
    }
  });

  it('shows calls, streamed calls and refusals: ids, latency, time to first token, cost, errors by kind', async () => {
    fleet.upstreams.openai.setReply({ text: 'hello', usage: { inputTokens: 12, outputTokens: 4 } });
    const plain = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'secret prompt text' }] })
      .withResponse();
    const stream = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true })
      .withResponse();
    for await (const _chunk of stream.data) {
      // Read to the end.
    }
    const embedded = await client.embeddings
      .create({ model: 'openai/text-embedding-3-small', input: ['one', 'two'] })
      .withResponse();
    const refused = new OpenAI({ apiKey: 'wrong-key', baseURL: `${fleet.url}/v1`, maxRetries: 0 });
    await expect(
      refused.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 401 });

    const now = await snapshot();
    const ids = [plain.response, stream.response].map((response) => response.headers.get('x-request-id'));
    const rows = now.recent.filter((call) => ids.includes(call.requestId));
    expect(rows).toHaveLength(2);
    const embedId = embedded.response.headers.get('x-request-id');
    expect(now.recent.find((call) => call.requestId === embedId)).toMatchObject({
      embedding: true,
      status: 'ok',
      provider: 'openai',
      keyId: 'team-app',
    });
    expect(rows.find((row) => row.streamed)).toMatchObject({ keyId: 'team-app', provider: 'openai' });
    expect(rows.find((row) => row.streamed)?.firstEventMs).toBeGreaterThan(0);
    expect(rows.every((row) => (row.costUsd ?? 0) > 0)).toBe(true);
    expect(JSON.stringify(now)).not.toContain('secret prompt text');
    expect(now.errorTotals).toMatchObject({ authentication: 1 });
    expect(now.series.requests.reduce((a, b) => a + b, 0)).toBe(4);
    expect(now.series.latencyP50.some((value) => value !== null)).toBe(true);
    expect(now.series.firstEventP50.some((value) => value !== null)).toBe(true);
    expect(now.cost.key['team-app']?.at(-1)).toBeGreaterThan(0);
    expect(now.cost.provider.openai?.at(-1)).toBeGreaterThan(0);
    expect(now.providers.map((provider) => provider.name)).toEqual(['anthropic', 'gemini', 'openai']);
    expect(now.providers.find((provider) => provider.name === 'openai')).toMatchObject({
      circuit: 'closed',
      health: 'healthy',
    });
  });

  it('streams a snapshot a second on /dashboard/events', async () => {
    const controller = new AbortController();
    const response = await fetch(`${fleet.url}/dashboard/events?window=30`, {
      headers: asAdmin,
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    while ((text.match(/event: snapshot/g) ?? []).length < 2)
      text += decoder.decode((await reader.read()).value, { stream: true });
    controller.abort();
    const first = JSON.parse(/data: (.*)\n/.exec(text)?.[1] ?? '{}') as DashboardSnapshot;
    expect(first.windowSeconds).toBe(30);
    expect(first.series.t).toHaveLength(30);
    expect(first.requestsTotal).toBeGreaterThanOrEqual(4);
  });

  // Last: it closes the gateway.
  it('ends the live stream as the gateway starts to close, not at the end of its grace period', async () => {
    const response = await fetch(`${fleet.url}/dashboard/events`, { headers: asAdmin });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const started = performance.now();
    const closed = fleet.running.close();
    while (!(await reader.read()).done) {
      // Snapshots until the end.
    }
    await closed;
    // The test fleet's grace period is 2 s.
    expect(performance.now() - started).toBeLessThan(1_500);
  });
});
