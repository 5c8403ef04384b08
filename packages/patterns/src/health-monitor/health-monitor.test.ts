import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Backend, Bridge, Router, UpstreamServerError } from 'ai.matey.core';
import { abortableSleep, MockBackend } from 'ai.matey.testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHealthMonitor, HealthMonitor } from './create-health-monitor.ts';
import type { HealthAlert } from './health-report.ts';

const fail = () => new UpstreamServerError({ message: 'upstream 500', status: 500 });

describe('createHealthMonitor: active probes', () => {
  it('marks a failing provider unhealthy, alerts once, and alerts again when it recovers', async () => {
    let downIsUp = false;
    const monitor = createHealthMonitor({
      backends: [new MockBackend({ name: 'ok' }), new MockBackend({ name: 'down' })],
      window: { samples: 5 },
      probe: async (_backend, { name }) => {
        if (name === 'down' && !downIsUp) throw fail();
      },
    });
    const alerts: HealthAlert[] = [];
    monitor.on('alert', (alert) => alerts.push(alert));
    for (let i = 0; i < 3; i++) await monitor.checkNow();
    const report = monitor.getHealthReport();
    expect(report.healthy).toBe(false);
    expect(report.providers.ok).toMatchObject({ status: 'healthy', successRate: 100, totalRequests: 3 });
    expect(report.providers.ok?.lastCheck).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(report.providers.down).toMatchObject({
      status: 'unhealthy',
      successRate: 0,
      consecutiveFailures: 3,
      lastError: 'upstream 500',
    });
    expect(alerts.map((a) => `${a.type}:${a.provider}`)).toEqual(['failure:down']);

    downIsUp = true;
    const statuses: string[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await monitor.checkNow()).providers.down?.status ?? '');
    // 1/4, 2/5, 3/5, 4/5 then 5/5 successes in the 5-sample window:
    expect(statuses).toEqual(['unhealthy', 'unhealthy', 'degraded', 'degraded', 'healthy']);
    expect(alerts.map((a) => `${a.type}:${a.provider}`)).toEqual(['failure:down', 'recovered:down']);
  });

  it('uses healthCheck() when the backend has one, else a tiny call', async () => {
    const mock = new MockBackend({ name: 'plain' });
    const plain: Backend = {
      metadata: mock.metadata,
      execute: (r, o) => mock.execute(r, o),
      stream: (r, o) => mock.stream(r, o),
    };
    const withCheck = new MockBackend({ name: 'checked' });
    await createHealthMonitor({ backends: [plain, withCheck] }).checkNow();
    expect(mock.calls).toEqual([
      { messages: [{ role: 'user', content: 'Health check' }], maxOutputTokens: 1 },
    ]);
    expect(withCheck.calls).toHaveLength(0);
  });

  it('fails a probe that runs past probeTimeoutMs', async () => {
    const monitor = createHealthMonitor({
      backends: [new MockBackend({ name: 'hung' })],
      probeTimeoutMs: 20,
      probe: (_backend, { signal }) => abortableSleep(10_000, signal),
    });
    const report = await monitor.checkNow();
    expect(report.providers.hung?.lastError).toMatch(/longer than 20 ms/);
  });
});

describe('createHealthMonitor: timers', () => {
  afterEach(() => vi.useRealTimers());

  it('probes on its interval until stop()', async () => {
    vi.useFakeTimers();
    let probes = 0;
    const monitor = createHealthMonitor({
      backends: [new MockBackend({ name: 'a' })],
      intervalMs: 1_000,
      probe: async () => void probes++,
    });
    monitor.start();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(probes).toBe(4); // at start, then every second
    monitor.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(probes).toBe(4);
    expect(monitor.running).toBe(false);
  });

  it('never keeps the process alive: its timer is unref()d', async () => {
    const here = fileURLToPath(new URL('.', import.meta.url));
    const script = `
      import { createHealthMonitor } from './create-health-monitor.ts';
      createHealthMonitor({ backends: {}, intervalMs: 50 }).start();
      console.log('started');`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: here,
      timeout: 10_000,
    });
    expect(stdout.trim()).toBe('started');
  });
});

describe('createHealthMonitor: passive signals and percentiles', () => {
  it('reports latency percentiles over the sliding window and alerts on high p95', () => {
    const monitor = createHealthMonitor({
      backends: {},
      window: { samples: 100 },
      thresholds: { highLatencyMs: 90 },
    });
    const alerts: HealthAlert[] = [];
    monitor.on('alert', (alert) => alerts.push(alert));
    for (let ms = 1; ms <= 100; ms++) monitor.record({ provider: 'groq', success: true, latencyMs: ms });
    const groq = monitor.getHealthReport().providers.groq;
    expect(groq?.latency).toEqual({ p50: 50, p95: 95, p99: 99, avg: 50.5 });
    expect(groq?.status).toBe('degraded');
    expect(alerts.map((a) => a.type)).toEqual(['high-latency']);
  });

  it('forgets samples older than the window', () => {
    let now = 0;
    const monitor = createHealthMonitor({ backends: {}, window: { ms: 1_000 }, now: () => now });
    monitor.record({ provider: 'a', success: false, error: fail() });
    now = 500;
    monitor.record({ provider: 'a', success: true, latencyMs: 10 });
    expect(monitor.getHealthReport().providers.a?.successRate).toBe(50);
    now = 1_200;
    expect(monitor.getHealthReport().providers.a).toMatchObject({ successRate: 100, totalRequests: 1 });
  });

  it('records real traffic through a Router: the served backend and the ones that failed first', async () => {
    const router = new Router({ defaultBackend: 'flaky', fallbackChain: ['steady'], circuitBreaker: false });
    router.register('flaky', new MockBackend({ name: 'flaky', reply: { error: fail() } }));
    router.register('steady', new MockBackend({ name: 'steady', reply: { text: 'ok', chunkDelayMs: 1 } }));
    const monitor = createHealthMonitor({ backends: {} });
    const bridge = new Bridge({ backend: router }).use(monitor.middleware());
    await bridge.execute({ messages: [{ role: 'user', content: 'hi' }] });
    await bridge.stream({ messages: [{ role: 'user', content: 'hi' }] }).collect();
    const report = monitor.getHealthReport().providers;
    expect(report.flaky).toMatchObject({ totalRequests: 2, successRate: 0, lastError: 'upstream 500' });
    expect(report.steady).toMatchObject({ totalRequests: 2, successRate: 100 });
    expect(report.steady?.latency?.p50).toBeGreaterThanOrEqual(0);
  });

  it('raises circuit-opened from the Router’s circuit states', async () => {
    const router = new Router({ defaultBackend: 'flaky', circuitBreaker: { failureThreshold: 1 } });
    router.register('flaky', new MockBackend({ name: 'flaky', reply: { error: fail() } }));
    const monitor = createHealthMonitor({ backends: {}, router });
    const alerts: HealthAlert[] = [];
    monitor.on('alert', (alert) => alerts.push(alert));
    const bridge = new Bridge({ backend: router }).use(monitor.middleware());
    await expect(bridge.execute({ messages: [{ role: 'user', content: 'hi' }] })).rejects.toThrow(
      'upstream 500',
    );
    const report = monitor.getHealthReport();
    expect(report.providers.flaky).toMatchObject({ status: 'unhealthy', circuit: 'open' });
    expect(alerts.map((a) => a.type)).toEqual(['circuit-opened']);
  });
});

describe('HealthMonitor: the guide’s runHealthCheck(provider, backend) and runHealthChecks()', () => {
  it('starts with no backends, learns one per runHealthCheck, and probes all of them on runHealthChecks', async () => {
    const monitor = new HealthMonitor();
    expect(await monitor.runHealthChecks()).toMatchObject({ healthy: true, providers: {} });
    const openai = new MockBackend({ name: 'openai' });
    // No healthCheck(): the default probe is a one-token call, which fails.
    const failing = new MockBackend({ name: 'anthropic', reply: { error: fail() } });
    const anthropic: Backend = {
      metadata: failing.metadata,
      execute: (request, options) => failing.execute(request, options),
      stream: (request, options) => failing.stream(request, options),
    };
    expect(await monitor.runHealthCheck('openai', openai)).toMatchObject({
      successRate: 100,
      totalRequests: 1,
    });
    expect(await monitor.runHealthCheck('anthropic', anthropic)).toMatchObject({
      successRate: 0,
      lastError: 'upstream 500',
    });
    const report = await monitor.runHealthChecks();
    expect(report.providers.openai?.totalRequests).toBe(2);
    expect(report.providers.anthropic?.totalRequests).toBe(2);
    expect(failing.calls).toHaveLength(2);
  });
});
