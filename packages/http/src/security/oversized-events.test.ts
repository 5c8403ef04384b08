/**
 * Oversized stream events (issue 11, item 12): an upstream event past the size cap ends the
 * stream with a clear error event and stops the upstream call, and the gateway stays responsive
 * while it reads one (the parser is linear: one 60 MB event used to block it for 20 s).
 */
import { DEFAULT_MAX_SSE_EVENT_BYTES } from 'ai.matey.wire';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANES, startTestFleet, type TestFleet } from '../test-gateway.ts';

let fleet: TestFleet;
beforeAll(async () => {
  fleet = await startTestFleet();
});
afterAll(() => fleet.close());

/** Polls `/health/live` until `done` settles; resolves with the slowest answer in ms. */
async function slowestLiveness(url: string, done: Promise<unknown>): Promise<number> {
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  let slowest = 0;
  while (!finished) {
    const started = performance.now();
    const response = await fetch(`${url}/health/live`);
    await response.text();
    slowest = Math.max(slowest, performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return slowest;
}

describe.each(LANES)('$lane upstream', ({ lane, model }) => {
  it('ends the stream with sse_event_too_large, stops the upstream, and keeps /health/live quick', async () => {
    const upstream = fleet.upstreams[lane];
    upstream.reset();
    // Far past the cap: socket buffers on loopback hold megabytes, and the upstream must not be
    // able to finish writing before the gateway stops reading.
    upstream.setReply({ text: 'before', hugeEventBytes: DEFAULT_MAX_SSE_EVENT_BYTES + 64 * 1024 * 1024 });
    const call = fetch(`${fleet.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'go' }] }),
    }).then(async (response) => ({ status: response.status, text: await response.text() }));
    const slowest = await slowestLiveness(fleet.url, call);
    const { status, text } = await call;
    expect(status).toBe(200);
    expect(text).toContain('before');
    expect(text).toMatch(/"code":"sse_event_too_large"/);
    expect(text).toMatch(/size limit of 16777216 bytes/);
    expect(text).not.toContain('[DONE]');
    // The upstream saw us leave instead of streaming the rest.
    expect((await upstream.waitForClientAbort(10_000)).clientAborted).toBe(true);
    // Under a loaded CI machine a GC of the 16 MiB buffers may pause a few hundred ms; before the
    // fix a caller waited seconds, and the event was passed on whole.
    expect(slowest).toBeLessThan(2_000);
  });
});
