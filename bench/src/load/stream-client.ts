import { type LatencySummary, SampleBuffer, summarize } from '../stats/percentiles.ts';
import type { HttpTarget } from './request-bodies.ts';
import { createPool, type UndiciPool } from './undici.ts';

/** Timings of streamed replies, over many streams. */
export interface StreamTimings {
  streams: number;
  errors: number;
  /** SSE events per stream (median). */
  eventsPerStream: number;
  /** From sending the request to the response headers (ms). */
  headers: LatencySummary;
  /** From sending the request to the first body byte (the first SSE event) (ms). */
  firstByte: LatencySummary;
  /** Between two consecutive socket reads that carried events, over all streams (ms). */
  gap: LatencySummary;
  /** From sending the request to the end of the stream (ms). */
  total: LatencySummary;
  /** Completed streams per second of wall time, over the measured (not warm-up) streams. */
  streamsPerSecond: number;
}

/** Counts SSE events in a chunk of text: each ends with a blank line. */
function countEvents(text: string): number {
  let count = 0;
  let at = text.indexOf('\n\n');
  while (at !== -1) {
    count++;
    at = text.indexOf('\n\n', at + 2);
  }
  return count;
}

async function timeOneStream(
  pool: UndiciPool,
  target: HttpTarget,
  samples: { headers: SampleBuffer; firstByte: SampleBuffer; gap: SampleBuffer; total: SampleBuffer },
): Promise<number> {
  const started = performance.now();
  const response = await pool.request({
    path: target.path,
    method: 'POST',
    headers: target.headers,
    body: target.body,
  });
  const headersAt = performance.now();
  if (response.statusCode !== 200) {
    await response.body.text();
    throw new Error(`status ${response.statusCode}`);
  }
  const decoder = new TextDecoder();
  let first = true;
  let last = 0;
  let events = 0;
  for await (const chunk of response.body) {
    const now = performance.now();
    const count = countEvents(decoder.decode(chunk, { stream: true }));
    events += count;
    if (first) {
      samples.firstByte.push(now - started);
      first = false;
    } else if (count > 0) samples.gap.push(now - last);
    if (count > 0) last = now;
  }
  samples.headers.push(headersAt - started);
  samples.total.push(performance.now() - started);
  return events;
}

/**
 * Runs `count` streamed calls, `concurrency` at a time, timing headers, first byte, the gaps
 * between reads and the whole stream. The first `warmup` streams are not counted.
 */
export async function timeStreams(
  target: HttpTarget,
  options: {
    count: number;
    concurrency?: number;
    warmup?: number;
    /** Called once the warm-up streams are done, before the measured ones (to start a meter). */
    afterWarmup?: () => Promise<void>;
  },
): Promise<StreamTimings> {
  const concurrency = options.concurrency ?? 1;
  const pool = createPool(target.origin, concurrency);
  const fresh = () => ({
    headers: new SampleBuffer(),
    firstByte: new SampleBuffer(),
    gap: new SampleBuffer(),
    total: new SampleBuffer(),
  });
  const scratch = fresh();
  for (let i = 0; i < (options.warmup ?? 0); i++) await timeOneStream(pool, target, scratch).catch(() => 0);
  await options.afterWarmup?.();
  const samples = fresh();
  const started = performance.now();
  const eventCounts: number[] = [];
  let errors = 0;
  let next = 0;
  const worker = async () => {
    while (next < options.count) {
      next++;
      try {
        eventCounts.push(await timeOneStream(pool, target, samples));
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallSeconds = (performance.now() - started) / 1000;
  await pool.close();
  eventCounts.sort((a, b) => a - b);
  return {
    streams: eventCounts.length,
    errors,
    eventsPerStream: eventCounts[Math.floor(eventCounts.length / 2)] ?? 0,
    headers: summarize(samples.headers.values()),
    firstByte: summarize(samples.firstByte.values()),
    gap: summarize(samples.gap.values()),
    total: summarize(samples.total.values()),
    streamsPerSecond: Math.round(eventCounts.length / wallSeconds),
  };
}
