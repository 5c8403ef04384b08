import type { CircuitSnapshot } from 'ai.matey.core';
import { COST_GROUPS, type CostGroup, type RecordedCall } from './dashboard-options.ts';
import type { DashboardRecorder, SecondBucket } from './dashboard-recorder.ts';

type Series = Array<number | null>;

/** A provider's circuit and health, as the dashboard shows it. */
export interface ProviderHealth {
  name: string;
  /** The circuit's state; `none` when the router has no circuit breaker. */
  circuit: CircuitSnapshot['state'] | 'none';
  /** `down` (circuit open), `probing` (half-open), `degraded` (most recent calls failed) or `healthy`. */
  health: 'healthy' | 'degraded' | 'probing' | 'down';
  consecutiveFailures: number;
  totalFailures: number;
  totalSuccesses: number;
  /** When an open circuit lets its next probe through (epoch ms). */
  retryAt: number | null;
  /** Calls and failures among the latest calls. */
  recentCalls: number;
  recentFailures: number;
}

/** Everything the dashboard draws, for one moment: sent on `/dashboard/events` every second. */
export interface DashboardSnapshot {
  at: number;
  windowSeconds: number;
  requestsTotal: number;
  summary: {
    requestsPerSecond: number;
    latencyP50: number | null;
    latencyP95: number | null;
    latencyP99: number | null;
    firstEventP50: number | null;
    errorRate: number;
  };
  /** Per second of the window: its start (unix seconds) and what happened in it. */
  series: {
    t: number[];
    requests: number[];
    errors: number[];
    latencyP50: Series;
    latencyP95: Series;
    latencyP99: Series;
    firstEventP50: Series;
    firstEventP95: Series;
  };
  /** Failed calls per second, by error kind. */
  errorsByKind: Record<string, number[]>;
  /** Failed calls since the start, by error kind. */
  errorTotals: Record<string, number>;
  /** Cost in USD accumulated over the window, per second, for the top groups of each dimension. */
  cost: Record<CostGroup, Record<string, number[]>>;
  providers: ProviderHealth[];
  recent: RecordedCall[];
  contentLogging: boolean;
  keyManagement: boolean;
}

export interface SnapshotSources {
  recorder: DashboardRecorder;
  windowSeconds: number;
  /** The router's backends and their circuits. */
  backends: () => string[];
  circuits: () => Record<string, CircuitSnapshot | undefined>;
  contentLogging: boolean;
  keyManagement: boolean;
}

const TOP_GROUPS = 8;
/** The shortest window drawn: a window starts at its first call, but no later than this far back. */
const MIN_WINDOW_SECONDS = 30;
const RECENT_ROWS = 50;
const SUMMARY_SECONDS = 10;

/** The dashboard's data now, from the recorder's memory and the router's circuits. */
export function dashboardSnapshot(sources: SnapshotSources): DashboardSnapshot {
  const { recorder, windowSeconds } = sources;
  const last = Math.floor(recorder.now() / 1000);
  const t: number[] = [];
  const buckets: Array<SecondBucket | undefined> = [];
  for (let second = firstSecond(recorder, last, windowSeconds); second <= last; second++) {
    t.push(second);
    buckets.push(recorder.bucketAt(second));
  }
  const latencies = buckets.map((bucket) => bucket?.latencies ?? []);
  const firstEvents = buckets.map((bucket) => bucket?.firstEvents ?? []);
  const latest = buckets.slice(-SUMMARY_SECONDS);
  const requests = sum(latest.map((bucket) => bucket?.requests ?? 0));
  const recent = recorder.recent(200);
  return {
    at: recorder.now(),
    windowSeconds,
    requestsTotal: recorder.requestsTotal,
    summary: {
      requestsPerSecond: requests / SUMMARY_SECONDS,
      latencyP50: percentile(latencies.flat(), 0.5),
      latencyP95: percentile(latencies.flat(), 0.95),
      latencyP99: percentile(latencies.flat(), 0.99),
      firstEventP50: percentile(firstEvents.flat(), 0.5),
      errorRate: requests === 0 ? 0 : sum(latest.map((bucket) => bucket?.errors ?? 0)) / requests,
    },
    series: {
      t,
      requests: buckets.map((bucket) => bucket?.requests ?? 0),
      errors: buckets.map((bucket) => bucket?.errors ?? 0),
      latencyP50: latencies.map((samples) => percentile(samples, 0.5)),
      latencyP95: latencies.map((samples) => percentile(samples, 0.95)),
      latencyP99: latencies.map((samples) => percentile(samples, 0.99)),
      firstEventP50: firstEvents.map((samples) => percentile(samples, 0.5)),
      firstEventP95: firstEvents.map((samples) => percentile(samples, 0.95)),
    },
    errorsByKind: errorsByKind(buckets),
    errorTotals: Object.fromEntries(recorder.errorTotals),
    cost: Object.fromEntries(
      COST_GROUPS.map((group) => [group, cumulativeCost(buckets, group)]),
    ) as DashboardSnapshot['cost'],
    providers: providerHealth(sources, recent),
    recent: recent.slice(0, RECENT_ROWS),
    contentLogging: sources.contentLogging,
    keyManagement: sources.keyManagement,
  };
}

/** Where the window starts: its first second with a call, so a quiet start is not drawn as a flat line. */
function firstSecond(recorder: DashboardRecorder, last: number, windowSeconds: number): number {
  const earliest = last - windowSeconds + 1;
  const latestStart = last - Math.min(windowSeconds, MIN_WINDOW_SECONDS) + 1;
  for (let second = earliest; second < latestStart; second++) {
    if (recorder.bucketAt(second)) return second;
  }
  return latestStart;
}

/** The sample at quantile `q` (nearest rank), rounded to 0.1 ms; null without samples. */
export function percentile(samples: readonly number[], q: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return Math.round((sorted[rank] ?? 0) * 10) / 10;
}

function errorsByKind(buckets: Array<SecondBucket | undefined>): Record<string, number[]> {
  const kinds = new Set(buckets.flatMap((bucket) => [...(bucket?.errorsByKind.keys() ?? [])]));
  return Object.fromEntries(
    [...kinds].sort().map((kind) => [kind, buckets.map((bucket) => bucket?.errorsByKind.get(kind) ?? 0)]),
  );
}

/** Each group's cost accumulated second by second; past the top groups, the rest as `other`. */
function cumulativeCost(
  buckets: Array<SecondBucket | undefined>,
  group: CostGroup,
): Record<string, number[]> {
  const totals = new Map<string, number>();
  for (const bucket of buckets) {
    for (const [name, cost] of bucket?.cost[group] ?? []) totals.set(name, (totals.get(name) ?? 0) + cost);
  }
  const top = new Set(
    [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP_GROUPS)
      .map(([name]) => name),
  );
  const names = [...top, ...(totals.size > top.size ? ['other'] : [])];
  const running = new Map(names.map((name) => [name, 0]));
  const series = new Map(names.map((name) => [name, [] as number[]]));
  for (const bucket of buckets) {
    for (const [name, cost] of bucket?.cost[group] ?? []) {
      const into = top.has(name) ? name : 'other';
      running.set(into, (running.get(into) ?? 0) + cost);
    }
    for (const name of names) series.get(name)?.push(running.get(name) ?? 0);
  }
  return Object.fromEntries(series);
}

function providerHealth(sources: SnapshotSources, recent: RecordedCall[]): ProviderHealth[] {
  const circuits = sources.circuits();
  const names = new Set([...sources.backends(), ...Object.keys(circuits)]);
  return [...names].sort().map((name) => {
    const circuit = circuits[name];
    const calls = recent.filter((call) => call.provider === name);
    const failures = calls.filter((call) => call.status === 'failed').length;
    const health: ProviderHealth['health'] =
      circuit?.state === 'open'
        ? 'down'
        : circuit?.state === 'half-open'
          ? 'probing'
          : calls.length > 0 && failures * 2 > calls.length
            ? 'degraded'
            : 'healthy';
    return {
      name,
      circuit: circuit?.state ?? 'none',
      health,
      consecutiveFailures: circuit?.consecutiveFailures ?? 0,
      totalFailures: circuit?.totalFailures ?? 0,
      totalSuccesses: circuit?.totalSuccesses ?? 0,
      retryAt: circuit?.retryAt ?? null,
      recentCalls: calls.length,
      recentFailures: failures,
    };
  });
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
