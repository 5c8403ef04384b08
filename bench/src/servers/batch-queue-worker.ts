// One worker process of the distributed-batch scenario: `startBatchWorker` over an
// OpenAIBackendAdapter pointed at the scenario's mock upstream. Settings come as one JSON
// argument; it says "ready" over IPC once it takes jobs. The scenario SIGKILLs one of them.

import { OpenAIBackendAdapter } from 'ai.matey.backend';
import { startBatchWorker } from 'ai.matey.batch.bullmq';
import type { ChatRequest } from 'ai.matey.core';

export interface BatchQueueWorkerSettings {
  upstreamUrl: string;
  prefix: string;
  queue: string;
  name: string;
  concurrency: number;
  limiter: { max: number; duration: number };
  lockDurationMs: number;
  stalledIntervalMs: number;
}

const settings = JSON.parse(process.argv[2] ?? '{}') as BatchQueueWorkerSettings;
const adapter = new OpenAIBackendAdapter({
  apiKey: 'bench',
  baseURL: `${settings.upstreamUrl}/v1`,
  headers: { 'x-batch-worker': settings.name },
});
const worker = await startBatchWorker<ChatRequest, unknown>({
  prefix: settings.prefix,
  queue: settings.queue,
  name: settings.name,
  concurrency: settings.concurrency,
  limiter: settings.limiter,
  lockDurationMs: settings.lockDurationMs,
  stalledIntervalMs: settings.stalledIntervalMs,
  executor: (request, { signal }) => adapter.execute(request, { signal }),
});
process.send?.('ready');
process.on('SIGTERM', () => {
  worker.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
