/**
 * A batch worker process for the tests and the bench: an OpenAI adapter pointed at a mock
 * upstream, run by `startBatchWorker`. Its settings come as one JSON argument; it says "ready"
 * over IPC once it listens for jobs, and "closed" after a SIGTERM.
 */
import { OpenAIBackendAdapter } from 'ai.matey.backend';
import type { ChatRequest } from 'ai.matey.core';
import { startBatchWorker } from '../start-batch-worker.ts';

export interface MockWorkerSettings {
  upstreamUrl: string;
  prefix: string;
  queue: string;
  name: string;
  concurrency: number;
  limiter: { max: number; duration: number };
  lockDurationMs: number;
  stalledIntervalMs: number;
}

const settings = JSON.parse(process.argv[2] ?? '{}') as MockWorkerSettings;
const adapter = new OpenAIBackendAdapter({
  apiKey: 'test-key',
  baseURL: `${settings.upstreamUrl}/v1`,
  // Lets the upstream's request log say which worker sent a call.
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
    () => {
      process.send?.('closed');
      process.exit(0);
    },
    () => process.exit(1),
  );
});
