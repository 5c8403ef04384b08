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
  /**
   * Per point of the window (a second, or a few in a long window): its start (unix seconds),
   * requests and errors per second, and the percentiles of its calls.
   */
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
  /** Failed calls per second at each point, by error kind. */
  errorsByKind: Record<string, number[]>;
  /** Failed calls since the start, by error kind. */
  errorTotals: Record<string, number>;
  /** Cost in USD accumulated over the window, at each point, for the top groups of each dimension. */
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
/** The most points a series has: a longer window is drawn in steps of several seconds. */
const MAX_POINTS = 180;
/** The shortest window drawn: a window starts at its first call, but no later than this far back. */
const MIN_WINDOW_SECONDS = 30;
const RECENT_ROWS = 50;
const SUMMARY_SECONDS = 10;

/** The dashboard's data now, from the recorder's memory and the router's circuits. */
export function dashboardSnapshot(sources: SnapshotSources): DashboardSnapshot {
  const { recorder, windowSeconds } = sources;
  const last = Math.floor(recorder.now() / 1000);
  const first = firstSecond(recorder, last, windowSeconds);
  // A long window is drawn in steps of several seconds: at most MAX_POINTS points per series.
  const step = Math.max(1, Math.ceil((last - first + 1) / MAX_POINTS));
  const points: Point[] = [];
  for (let second = first; second <= last; second += step) points.push(point(recorder, second, last, step));
  const latest = Array.from({ length: SUMMARY_SECONDS }, (_, ago) => recorder.bucketAt(last - ago));
  const requests = sum(latest.map((bucket) => bucket?.requests ?? 0));
  const [p50, p95, p99] = quantiles(
    latest.flatMap((bucket) => bucket?.latencies ?? []),
    [0.5, 0.95, 0.99],
  );
  const latencies = points.map((each) => quantiles(each.latencies, [0.5, 0.95, 0.99]));
  const firstEvents = points.map((each) => quantiles(each.firstEvents, [0.5, 0.95]));
  const recent = recorder.recent(200);
  return {
    at: recorder.now(),
    windowSeconds,
    requestsTotal: recorder.requestsTotal,
    summary: {
      requestsPerSecond: requests / SUMMARY_SECONDS,
      latencyP50: p50 ?? null,
      latencyP95: p95 ?? null,
      latencyP99: p99 ?? null,
      firstEventP50:
        quantiles(
          latest.flatMap((bucket) => bucket?.firstEvents ?? []),
          [0.5],
        )[0] ?? null,
      errorRate: requests === 0 ? 0 : sum(latest.map((bucket) => bucket?.errors ?? 0)) / requests,
    },
    series: {
      t: points.map((each) => each.second),
      requests: points.map((each) => rate(each.requests, each)),
      errors: points.map((each) => rate(each.errors, each)),
      latencyP50: latencies.map((values) => values[0] ?? null),
      latencyP95: latencies.map((values) => values[1] ?? null),
      latencyP99: latencies.map((values) => values[2] ?? null),
      firstEventP50: firstEvents.map((values) => values[0] ?? null),
      firstEventP95: firstEvents.map((values) => values[1] ?? null),
    },
    errorsByKind: errorsByKind(points),
    errorTotals: Object.fromEntries(recorder.errorTotals),
    cost: Object.fromEntries(
      COST_GROUPS.map((group) => [group, cumulativeCost(points, group)]),
    ) as DashboardSnapshot['cost'],
    providers: providerHealth(sources, recent),
    recent: recent.slice(0, RECENT_ROWS),
    contentLogging: sources.contentLogging,
    keyManagement: sources.keyManagement,
  };
}

/** `step` seconds of buckets from `second` (not past `last`) as one point of the charts. */
interface Point extends SecondBucket {
  /** How many seconds it covers (the last point may cover fewer than the step). */
  seconds: number;
}

function point(recorder: DashboardRecorder, second: number, last: number, step: number): Point {
  const merged: Point = {
    second,
    seconds: Math.min(step, last - second + 1),
    requests: 0,
    errors: 0,
    latencies: [],
    firstEvents: [],
    errorsByKind: new Map(),
    cost: { key: new Map(), team: new Map(), model: new Map(), provider: new Map() },
  };
  for (let each = second; each < second + merged.seconds; each++) {
    const bucket = recorder.bucketAt(each);
    if (!bucket) continue;
    merged.requests += bucket.requests;
    merged.errors += bucket.errors;
    merged.latencies.push(...bucket.latencies);
    merged.firstEvents.push(...bucket.firstEvents);
    addInto(merged.errorsByKind, bucket.errorsByKind);
    for (const group of COST_GROUPS) addInto(merged.cost[group], bucket.cost[group]);
  }
  return merged;
}

function addInto(into: Map<string, number>, from: ReadonlyMap<string, number>): void {
  for (const [name, value] of from) into.set(name, (into.get(name) ?? 0) + value);
}

/** A count over a point as a rate per second (the count itself for a one-second point). */
function rate(count: number, over: Point): number {
  return over.seconds === 1 ? count : Math.round((count / over.seconds) * 100) / 100;
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

/** The samples at quantiles `qs` (nearest rank), rounded to 0.1 ms; empty without samples. */
export function quantiles(samples: readonly number[], qs: readonly number[]): number[] {
  if (samples.length === 0) return [];
  const sorted = Float64Array.from(samples).sort();
  return qs.map((q) => {
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return Math.round((sorted[rank] ?? 0) * 10) / 10;
  });
}

function errorsByKind(points: Point[]): Record<string, number[]> {
  const kinds = new Set(points.flatMap((each) => [...each.errorsByKind.keys()]));
  return Object.fromEntries(
    [...kinds]
      .sort()
      .map((kind) => [kind, points.map((each) => rate(each.errorsByKind.get(kind) ?? 0, each))]),
  );
}

/** Each group's cost accumulated point by point; past the top groups, the rest as `other`. */
function cumulativeCost(points: Point[], group: CostGroup): Record<string, number[]> {
  const totals = new Map<string, number>();
  for (const each of points) addInto(totals, each.cost[group]);
  const top = new Set(
    [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP_GROUPS)
      .map(([name]) => name),
  );
  const names = [...top, ...(totals.size > top.size ? ['other'] : [])];
  const running = new Map(names.map((name) => [name, 0]));
  const series = new Map(names.map((name) => [name, [] as number[]]));
  for (const each of points) {
    for (const [name, cost] of each.cost[group]) {
      const into = top.has(name) ? name : 'other';
      running.set(into, (running.get(into) ?? 0) + cost);
    }
    // Micro-dollars are enough on a chart, and keep the JSON short.
    for (const name of names) series.get(name)?.push(Math.round((running.get(name) ?? 0) * 1e6) / 1e6);
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
