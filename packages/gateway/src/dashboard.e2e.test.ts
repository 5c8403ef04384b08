/**
 * The dashboard in headless Chromium, on a gateway built from its config with a real PostgreSQL:
 * the test sends its own traffic with the official `openai` client (plain and streamed calls,
 * two keys, a team, refusals, a provider that is down), then reads the charts' data from uPlot,
 * the latest-requests table and the providers' circuits, and manages a key in the page (create,
 * edit its limits, revoke: the gateway then refuses it). Screenshots at desktop and phone width
 * go to test-artifacts/dashboard/.
 */
import { join } from 'node:path';
import { type RunningGateway, serveGateway } from 'ai.matey.http';
import { type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import OpenAI from 'openai';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltGateway, buildGateway } from './build-gateway.ts';
import { gatewayConfigSchema } from './config-schema.ts';
import {
  closedPort,
  DASHBOARD_ARTIFACTS,
  launchChromium,
  paintedPixels,
  readCharts,
  signIn,
  total,
} from './test-support/dashboard-browser.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from './test-support/temporary-database.ts';

const ADMIN_KEY = 'matey-admin-key-dashboard-0123456789';
const CONFIG_KEY = 'config-gateway-key-dashboard';

let database: TemporaryDatabase;
let upstream: MockUpstream;
let built: BuiltGateway;
let gateway: RunningGateway;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
/** The ids of the calls this test made, from their `x-request-id` headers. */
const requestIds: string[] = [];

beforeAll(async () => {
  database = await createTemporaryDatabase('dashboard');
  upstream = await startMockUpstream({ defaults: { latencyMs: 15, chunkDelayMs: 10, chunkCount: 4 } });
  const config = gatewayConfigSchema.parse({
    providers: {
      openai: { apiKey: 'upstream-key-dash', baseURL: `${upstream.url}/v1` },
      anthropic: { apiKey: 'upstream-key-dash', baseURL: upstream.url },
      groq: { apiKey: 'upstream-key-dash', baseURL: `http://127.0.0.1:${await closedPort()}/v1` },
    },
    routing: { circuitBreaker: { failureThreshold: 2, cooldownMs: 600_000 } },
    middleware: { retry: false, logging: false },
    keys: [{ id: 'from-config', key: CONFIG_KEY }],
    database: database.url,
  });
  const quiet = { logDestination: { write() {} }, warn: () => {} };
  built = await buildGateway(config, { env: { MATEY_ADMIN_KEY: ADMIN_KEY }, ...quiet });
  gateway = await serveGateway(built.gateway, { port: 0, shutdownGraceMs: 100 });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await built?.close();
  await upstream?.close();
  await database?.drop();
});

function client(apiKey: string): OpenAI {
  return new OpenAI({ apiKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
}

async function admin(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${gateway.url}/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await response.json()) as Record<string, unknown>;
}

/** One call through the gateway; its request id is remembered, its failure returned. */
async function call(openai: OpenAI, model: string, stream: boolean): Promise<unknown> {
  const messages = [{ role: 'user' as const, content: 'a prompt the dashboard must not show' }];
  try {
    if (stream) {
      const reply = await openai.chat.completions.create({ model, messages, stream: true }).withResponse();
      requestIds.push(reply.response.headers.get('x-request-id') ?? '');
      for await (const _chunk of reply.data) {
        // Read to the end.
      }
    } else {
      const reply = await openai.chat.completions.create({ model, messages }).withResponse();
      requestIds.push(reply.response.headers.get('x-request-id') ?? '');
    }
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('dashboard in headless Chromium', () => {
  it('draws the test traffic: requests, latency, time to first token, errors by kind, cost, circuits, latest calls', async () => {
    const team = await admin('POST', '/teams', { name: 'research' });
    const teamKey = await admin('POST', '/keys', {
      name: 'research app',
      teamId: team.id,
      requestsPerMinute: 12,
    });
    const research = client(String(teamKey.key));
    const configured = client(CONFIG_KEY);
    await signIn(page, gateway.url, ADMIN_KEY);
    // Four waves more than a second apart, so the per-second charts have four points at least.
    for (let wave = 0; wave < 4; wave++) {
      await Promise.all([
        call(configured, 'openai/gpt-4o-mini', false),
        call(configured, 'openai/gpt-4o-mini', true),
        call(research, 'anthropic/claude-haiku-4-5', true),
        call(research, 'openai/gpt-4o', false),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
    }
    // Refusals: a wrong key, the team key past its 12 a minute, a provider that refuses connections.
    expect(await call(client('not-a-key'), 'openai/gpt-4o-mini', false)).toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
    for (let extra = 0; extra < 5; extra++) await call(research, 'openai/gpt-4o-mini', false);
    for (let down = 0; down < 3; down++) await call(configured, 'groq/llama-3.3-70b-versatile', false);
    const made = requestIds.filter(Boolean);
    expect(made.length).toBeGreaterThanOrEqual(16 + 4);

    // The page hears it on its own live stream.
    await page.waitForFunction(
      (count) =>
        ((
          window as unknown as { dashboard: { snapshot(): { requestsTotal: number } | undefined } }
        ).dashboard.snapshot()?.requestsTotal ?? 0) >= count,
      16 + 1 + 5 + 3,
    );
    await page.waitForSelector('#providers tr[data-provider=groq] .badge[data-tone=bad]');
    const charts = await readCharts(page);
    expect(total(charts.rps?.data[1])).toBeGreaterThanOrEqual(25);
    expect(charts.latency?.labels).toEqual(['p50', 'p95', 'p99']);
    expect(charts.latency?.data[1]?.filter((value) => value !== null).length).toBeGreaterThanOrEqual(4);
    expect(charts.ttft?.data[1]?.some((value) => (value ?? 0) > 0)).toBe(true);
    expect(charts.errors?.labels).toEqual(
      expect.arrayContaining(['authentication', 'rate-limited', 'network']),
    );
    expect(charts.errors?.labels.length).toBeGreaterThanOrEqual(3);
    expect(charts.cost?.labels).toEqual(expect.arrayContaining(['from-config', String(teamKey.id)]));
    expect(charts.cost?.data.slice(1).every((series) => (series.at(-1) ?? 0) > 0)).toBe(true);
    expect((await paintedPixels(page)).every((pixels) => pixels > 1_000)).toBe(true);

    const rows = await page.$$eval('#recent tr[data-request-id]', (trs) =>
      trs.map((tr) => (tr as HTMLElement).dataset.requestId),
    );
    expect(rows).toEqual(expect.arrayContaining(made.slice(-10)));
    expect(await page.textContent('#recent')).not.toContain('a prompt the dashboard must not show');
    expect(await page.textContent('#providers tr[data-provider=groq]')).toContain('open');
    expect(await page.textContent('#providers tr[data-provider=openai]')).toContain('healthy');

    await page.selectOption('#cost-group', 'team');
    await page.waitForFunction(
      (teamId) =>
        (
          window as unknown as { dashboard: { charts: { cost: { labels(): string[] } } } }
        ).dashboard.charts.cost
          .labels()
          .includes(teamId),
      String(team.id),
    );
    await page.waitForSelector('#spend-table tr:nth-child(2)');
    await page.selectOption('#cost-group', 'model');
    await page.screenshot({ path: join(DASHBOARD_ARTIFACTS, 'desktop.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('manages keys: create one in the page, call with it, edit its limits, revoke it, then it is refused', async () => {
    await page.fill('#key-form input[name=name]', 'made in the browser');
    await page.fill('#key-form input[name=requestsPerMinute]', '100');
    await page.selectOption('#key-form select[name=teamId]', { label: 'research' });
    await page.click('#key-form button[type=submit]');
    const secret = (await page.textContent('#new-key')) ?? '';
    expect(secret).toMatch(/^sk-matey-/);
    const keyId = (await page.getAttribute('#key-secret', 'data-key-id')) ?? '';
    const row = `#keys tr[data-key-id="${keyId}"]`;
    expect(await page.textContent(row)).toContain('made in the browser');
    expect(await page.textContent(row)).toContain('research');
    expect(await admin('GET', `/keys/${keyId}`)).toMatchObject({ teamId: expect.stringMatching(/^team_/) });
    expect(await call(client(secret), 'openai/gpt-4o-mini', false)).toBeUndefined();

    await page.click(`${row} button.edit`);
    await page.fill(`${row} input[name=requestsPerMinute]`, '7');
    await page.click(`${row} button.save`);
    await page.waitForSelector(`${row} button.edit`);
    expect(await admin('GET', `/keys/${keyId}`)).toMatchObject({ requestsPerMinute: 7 });

    await page.click(`${row} button.revoke`);
    await page.click(`${row} button.revoke`);
    await page.waitForSelector(`${row}[data-state=revoked]`);
    const refused = await call(client(secret), 'openai/gpt-4o-mini', false);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
    await page.waitForSelector('#recent tr:nth-child(2) .badge[data-tone=bad]');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(1_200);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(DASHBOARD_ARTIFACTS, 'phone.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('keeps the admin key out of URLs, forgets it on sign-out, and refuses a wrong one', async () => {
    expect(page.url()).not.toContain(ADMIN_KEY);
    expect(await page.evaluate(() => sessionStorage.getItem('matey-admin-key'))).toBe(ADMIN_KEY);
    await page.click('#sign-out');
    await page.waitForSelector('#login:not([hidden])');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.fill('#admin-key', CONFIG_KEY);
    await page.click('#login-form button[type=submit]');
    await page.waitForFunction(() => document.getElementById('login-error')?.textContent !== '');
    expect(await page.textContent('#login-error')).toContain('not the admin key');
    expect(await page.isHidden('#board')).toBe(true);
  });
});
