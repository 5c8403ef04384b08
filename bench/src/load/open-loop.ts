import { type LatencySummary, SampleBuffer, summarize } from '../stats/percentiles.ts';
import type { HttpTarget } from './request-bodies.ts';
import { createPool } from './undici.ts';

export interface OpenLoopOptions {
  /** Requests per second, evenly spaced. */
  rate: number;
  durationMs: number;
  /** Requests due in this first stretch are sent but not counted (pools and JIT warm up). */
  warmupMs?: number;
  /** Sockets the generator may open (requests beyond them queue, and the wait counts). */
  connections?: number;
  /** A request not answered this long after its due time counts as an error. */
  timeoutMs?: number;
}

export interface OpenLoopResult {
  offeredRate: number;
  /** Counted completions per second of the counted stretch. */
  achievedRate: number;
  sent: number;
  completed: number;
  errors: number;
  non2xx: number;
  /** From each request's due time to the last byte of its reply (ms). */
  latency: LatencySummary;
  /** How late the generator itself sent requests after their due time (ms): its own error. */
  sendLag: LatencySummary;
}

/**
 * A fixed-rate (open-loop) load generator: request i is due at `start + i / rate`, is sent at
 * its due time whatever happened to earlier ones, and its latency is measured from the due time,
 * not from when it went out. A slow server therefore shows as growing latency instead of as a
 * quietly lower send rate (coordinated omission), and, unlike autocannon's rate mode (each
 * second's quota sent in one burst), the load is evenly spaced. One timer at a time, set for the
 * next due request; requests whose time has come when it fires go out together (timers have
 * about 1 ms of grain, which `sendLag` reports).
 */
export async function runOpenLoop(target: HttpTarget, options: OpenLoopOptions): Promise<OpenLoopResult> {
  const { rate, durationMs } = options;
  const warmupMs = options.warmupMs ?? 0;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pool = createPool(target.origin, options.connections ?? 256);
  const intervalMs = 1000 / rate;
  const total = Math.floor(((warmupMs + durationMs) * rate) / 1000);
  const firstCounted = Math.floor((warmupMs * rate) / 1000);
  const latencies = new SampleBuffer();
  const lags = new SampleBuffer();
  let completed = 0;
  let errors = 0;
  let non2xx = 0;
  let inFlight = 0;
  let next = 0;
  const start = performance.now() + 5;
  const request = { path: target.path, method: 'POST' as const, headers: target.headers, body: target.body };

  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const fire = (index: number, due: number) => {
    const counted = index >= firstCounted;
    if (counted) lags.push(performance.now() - due);
    inFlight++;
    pool
      .request({ ...request, signal: AbortSignal.timeout(timeoutMs) })
      .then(async (response) => {
        await response.body.text();
        if (!counted) return;
        if (response.statusCode >= 300) non2xx++;
        else {
          completed++;
          latencies.push(performance.now() - due);
        }
      })
      .catch(() => {
        if (counted) errors++;
      })
      .finally(() => {
        inFlight--;
        if (next >= total && inFlight === 0) finish();
      });
  };

  const tick = () => {
    const now = performance.now();
    while (next < total) {
      const due = start + next * intervalMs;
      if (due > now) break;
      fire(next++, due);
    }
    if (next < total) setTimeout(tick, Math.max(0, start + next * intervalMs - performance.now()));
    else if (inFlight === 0) finish();
  };
  setTimeout(tick, 5);
  await finished;
  await pool.close();
  const countedSeconds = durationMs / 1000;
  return {
    offeredRate: rate,
    achievedRate: Math.round(completed / countedSeconds),
    sent: total,
    completed,
    errors,
    non2xx,
    latency: summarize(latencies.values()),
    sendLag: summarize(lags.values()),
  };
}
