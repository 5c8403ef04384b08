/**
 * Times one huge SSE event through `SseParser`, fed in 64 KiB chunks as a socket delivers it:
 * `node scripts/measure-sse-event.ts [megabytes]` (default 60). Prints the parse time, the
 * longest pause a timer on the same thread saw (how long `/health/live` would wait), and the
 * heap growth. With the event-size cap in force the parser refuses the event at the cap.
 */
import { SseParser } from '../packages/wire/src/sse/sse-parser.ts';

const megabytes = Number(process.argv[2] ?? 60);
const chunk = 'x'.repeat(64 * 1024);
const chunks = Math.ceil((megabytes * 1024 * 1024) / chunk.length);
const parser = new SseParser({ maxEventBytes: Number.POSITIVE_INFINITY });
const heapBefore = process.memoryUsage().heapUsed;
let longestPauseMs = 0;
let last = performance.now();
const ticker = setInterval(() => {
  const now = performance.now();
  longestPauseMs = Math.max(longestPauseMs, now - last);
  last = now;
}, 1);
const started = performance.now();
parser.push('event: content_block_delta\ndata: ');
for (let i = 0; i < chunks; i++) {
  parser.push(chunk);
  // Yield as a socket read would, so the ticker shows how long one push blocks the thread.
  await new Promise((resolve) => setImmediate(resolve));
}
const events = parser.push('\n\n');
const elapsedMs = performance.now() - started;
clearInterval(ticker);
const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
console.log(
  `${megabytes} MB event: ${elapsedMs.toFixed(0)} ms, longest event-loop pause ${longestPauseMs.toFixed(0)} ms, ` +
    `heap +${heapMb.toFixed(0)} MB, events ${events.length}, data ${(events[0]?.data.length ?? 0) / 1024 / 1024} MB`,
);
