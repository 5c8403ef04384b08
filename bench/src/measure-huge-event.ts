/**
 * One huge SSE event from an upstream, through a real gateway, while a client polls
 * `/health/live` (issue 11, item 12): `node bench/src/measure-huge-event.ts [megabytes]`
 * (default 60). Prints how long the call took, how it ended, the slowest `/health/live` answer
 * meanwhile and the heap growth. Gateway and mock upstream share this process, as the event loop
 * a real gateway would block.
 */
import { OpenAIBackendAdapter } from 'ai.matey.backend';
import { Bridge, Router } from 'ai.matey.core';
import { createGateway, serveGateway } from 'ai.matey.http';
import { startMockUpstream } from 'ai.matey.testing';

const megabytes = Number(process.argv[2] ?? 60);
const upstream = await startMockUpstream({
  reply: { text: 'before', hugeEventBytes: megabytes * 1024 * 1024 },
});
const router = new Router({ routingStrategy: 'model-based', modelMapping: { 'gpt-*': 'openai' } });
router.register('openai', new OpenAIBackendAdapter({ apiKey: 'k', baseURL: `${upstream.url}/v1` }));
const running = await serveGateway(createGateway({ bridge: new Bridge({ backend: router }), router }));

const heapBefore = process.memoryUsage().heapUsed;
let peakHeap = heapBefore;
const started = performance.now();
const call = fetch(`${running.url}/v1/chat/completions`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'go' }] }),
}).then(async (response) => {
  const text = await response.text();
  return { ms: performance.now() - started, bytes: text.length, tail: text.slice(-160) };
});
let finished = false;
void call.finally(() => {
  finished = true;
});
let slowestLiveMs = 0;
let polls = 0;
while (!finished) {
  const at = performance.now();
  await (await fetch(`${running.url}/health/live`)).text();
  slowestLiveMs = Math.max(slowestLiveMs, performance.now() - at);
  polls++;
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const result = await call;
const ending = /"code":"(\w+)"/.exec(result.tail)?.[1] ?? (result.tail.includes('[DONE]') ? 'done' : 'other');
console.log(
  `${megabytes} MB event through the gateway: ${result.ms.toFixed(0)} ms, ended: ${ending}, ` +
    `client got ${(result.bytes / 1024 / 1024).toFixed(1)} MB; /health/live slowest ${slowestLiveMs.toFixed(0)} ms ` +
    `over ${polls} polls; heap peak +${((peakHeap - heapBefore) / 1024 / 1024).toFixed(0)} MB`,
);
await running.close();
await upstream.close();
