/**
 * The dashboard's memory of calls, through a real Bridge: what it keeps of each call (no prompt
 * without content logging), how many, for how long, and the snapshot it makes of them.
 */
import { Bridge, type ChatRequest, RateLimitError } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import { DashboardRecorder, KEPT_SECONDS } from './dashboard-recorder.ts';
import { dashboardSnapshot, quantiles } from './dashboard-snapshot.ts';

const request = (text: string, requestId = `req-${text}`): ChatRequest => ({
  model: 'mock-model',
  messages: [{ role: 'user', content: text }],
  metadata: { apiKeyId: 'key-a', requestId },
});

function bridgeWith(recorder: DashboardRecorder, backend = new MockBackend({ provider: 'mock' })): Bridge {
  return new Bridge({ backend, middleware: [recorder.middleware()] });
}

function clock(startMs: number) {
  let now = startMs;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const sources = (recorder: DashboardRecorder, windowSeconds = 60) => ({
  recorder,
  windowSeconds,
  backends: () => ['mock'],
  circuits: () => ({}),
  contentLogging: false,
  keyManagement: false,
});

describe('DashboardRecorder', () => {
  it('keeps no prompt text unless content logging is on, and then only its start', async () => {
    const quiet = new DashboardRecorder();
    await bridgeWith(quiet).execute(request('a private question', 'req-1'));
    expect(JSON.stringify(quiet.recent(10))).not.toContain('private');

    const logging = new DashboardRecorder({ contentLogging: true });
    await bridgeWith(logging).execute(request(`long ${'x'.repeat(500)}`));
    expect(logging.recent(1)[0]?.prompt).toHaveLength(200);
  });

  it('records plain and streamed calls, failures by kind, team and cost', async () => {
    const recorder = new DashboardRecorder({ teamOf: (id) => `team-of-${id}`, costOf: () => 0.25 });
    const bridge = bridgeWith(
      recorder,
      new MockBackend({
        provider: 'mock',
        replies: [
          { text: 'one' },
          { text: 'two three', chunkDelayMs: 2 },
          { error: new RateLimitError({ message: 'slow down' }) },
        ],
      }),
    );
    await bridge.execute(request('plain'));
    for await (const _event of bridge.stream(request('streamed'))) {
      // Read to the end.
    }
    await expect(bridge.execute(request('refused'))).rejects.toThrow();
    const [refused, streamed, plain] = recorder.recent(3);
    expect(plain).toMatchObject({
      requestId: 'req-plain',
      keyId: 'key-a',
      teamId: 'team-of-key-a',
      costUsd: 0.25,
    });
    expect(streamed).toMatchObject({ streamed: true, status: 'ok', provider: 'mock' });
    expect(streamed?.firstEventMs).toBeGreaterThanOrEqual(0);
    expect(refused).toMatchObject({ status: 'failed', errorKind: 'rate-limited', costUsd: null });
    expect(Object.fromEntries(recorder.errorTotals)).toEqual({ 'rate-limited': 1 });
  });

  it('keeps the latest calls up to its capacity, newest first', () => {
    const recorder = new DashboardRecorder({ recentCalls: 3 });
    for (let i = 0; i < 5; i++) recorder.refused(`req-${i}`, 'authentication', 1);
    expect(recorder.recent(10).map((call) => call.requestId)).toEqual(['req-4', 'req-3', 'req-2']);
    expect(recorder.requestsTotal).toBe(5);
  });

  it('forgets seconds older than 15 minutes', () => {
    const time = clock(1_000_000_000_000);
    const recorder = new DashboardRecorder({ now: time.now });
    recorder.refused('old', 'network', 1);
    const oldSecond = Math.floor(time.now() / 1000);
    time.advance((KEPT_SECONDS + 5) * 1000);
    recorder.refused('new', 'network', 1);
    expect(recorder.bucketAt(oldSecond)).toBeUndefined();
    expect(recorder.bucketAt(Math.floor(time.now() / 1000))?.requests).toBe(1);
  });
});

describe('dashboardSnapshot', () => {
  it('starts the window at the first call (at least 30 s back) and adds cost up per group', () => {
    const time = clock(2_000_000_000_000);
    const recorder = new DashboardRecorder({ now: time.now });
    const call = (keyId: string, costUsd: number) =>
      recorder.record({
        at: time.now(),
        requestId: null,
        keyId,
        teamId: null,
        provider: 'mock',
        model: 'm',
        status: 'ok',
        errorKind: null,
        latencyMs: 10,
        firstEventMs: null,
        inputTokens: 1,
        outputTokens: 1,
        costUsd,
        streamed: false,
      });
    call('a', 1);
    time.advance(40_000);
    call('a', 2);
    call('b', 0.5);
    const snapshot = dashboardSnapshot(sources(recorder, 120));
    expect(snapshot.series.t).toHaveLength(41);
    expect(snapshot.series.requests[0]).toBe(1);
    expect(snapshot.series.requests.at(-1)).toBe(2);
    expect(snapshot.cost.key.a?.[0]).toBe(1);
    expect(snapshot.cost.key.a?.at(-1)).toBe(3);
    expect(snapshot.cost.key.b?.at(-1)).toBe(0.5);
    expect(snapshot.providers).toEqual([
      expect.objectContaining({ name: 'mock', circuit: 'none', health: 'healthy' }),
    ]);
    expect(dashboardSnapshot(sources(new DashboardRecorder({ now: time.now }))).series.t).toHaveLength(30);
  });

  it('takes percentiles by nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantiles(samples.toReversed(), [0.5, 0.95, 0.99])).toEqual([50, 95, 99]);
    expect(quantiles([], [0.5])).toEqual([]);
  });

  it('draws a long window in steps of several seconds, counts as rates per second', () => {
    const time = clock(3_000_000_000_000);
    const recorder = new DashboardRecorder({ now: time.now });
    for (let second = 0; second < 900; second++) {
      for (let call = 0; call < 4; call++) recorder.refused(undefined, 'network', second % 100);
      time.advance(1_000);
    }
    const { series, errorsByKind } = dashboardSnapshot(sources(recorder, 900));
    expect(series.t.length).toBeLessThanOrEqual(180);
    expect(series.t[1]! - series.t[0]!).toBe(5);
    expect(series.requests.slice(0, -1).every((value) => value === 4)).toBe(true);
    expect(errorsByKind.network?.[0]).toBe(4);
    expect(series.latencyP99.every((value) => value !== null)).toBe(true);
  });
});
