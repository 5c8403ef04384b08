// The mock upstreams of a load test, in a worker thread of their own (see `startUpstreamWorker`).
import { parentPort, workerData } from 'node:worker_threads';
import { type MockUpstreamReply, startMockUpstream } from 'ai.matey.testing';

type Ask = { id: number; type: 'count' | 'close'; index?: number };

const replies = workerData as MockUpstreamReply[];
const upstreams = await Promise.all(replies.map((reply) => startMockUpstream({ reply })));
parentPort?.postMessage({ ready: upstreams.map((upstream) => upstream.url) });
parentPort?.on('message', async ({ id, type, index }: Ask) => {
  if (type === 'count') {
    parentPort?.postMessage({ id, value: upstreams[index ?? 0]?.requests.length ?? 0 });
  } else {
    await Promise.all(upstreams.map((upstream) => upstream.close()));
    parentPort?.postMessage({ id, value: 0 });
  }
});
