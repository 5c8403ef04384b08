import type { ChatRequest } from 'ai.matey.core';
import { describeRedisUrl, loadBatchBullmq } from '../batch/load-batch-bullmq.ts';
import type { CliIo } from '../cli/cli-io.ts';
import { openLocalGateway } from '../cli/open-local-gateway.ts';
import { numberFlag, parseCommandArgs } from '../cli/parse-command-args.ts';

export const BATCH_WORKER_USAGE = `Usage: matey batch worker [--redis URL] [options]

Works on distributed batches (\`matey batch in.jsonl --out out.jsonl --redis URL\`): takes their
items from the Redis queue and sends them to this machine's providers, within the queue's one
rate limit. Start as many as you like, on any machine that reaches the Redis. A worker that dies
leaves its items to the others (after --lock-ms). Stops on Ctrl-C or SIGTERM, letting calls in
flight finish.

Options:
      --redis URL      the Redis of the queue (default redis://127.0.0.1:6379)
      --queue NAME     the queue (default matey-batch)
  -j, --concurrency N  items in flight at once in this worker (default 4)
      --rpm N          the queue's limit, requests a minute, the same on every worker
                       (default: the limit the batch's submitter published)
      --lock-ms N      how long a dead worker's items wait before another takes them (default 30000)
  -c, --config FILE    gateway config file (YAML or JSON)
  -v, --verbose        per-call log lines on stderr
  -h, --help           this text`;

/** `matey batch worker`: one worker process of distributed batches, until it is told to stop. */
export async function batchWorkerCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('batch worker', args, {
    redis: { type: 'string' },
    queue: { type: 'string' },
    concurrency: { type: 'string', short: 'j' },
    rpm: { type: 'string' },
    'lock-ms': { type: 'string' },
    config: { type: 'string', short: 'c' },
    verbose: { type: 'boolean', short: 'v' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help || positionals.length > 0) {
    (values.help ? io.stdout : io.stderr).write(`${BATCH_WORKER_USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const redisUrl = values.redis ?? 'redis://127.0.0.1:6379';
  const where = describeRedisUrl(redisUrl);
  const concurrency = numberFlag('concurrency', values.concurrency, { min: 1, max: 1_000 }) ?? 4;
  const rpm = numberFlag('rpm', values.rpm, { min: 1, max: 1_000_000 });
  const lockMs = numberFlag('lock-ms', values['lock-ms'], { min: 200, max: 3_600_000 }) ?? 30_000;
  const { startBatchWorker, limiterFromRateLimit, limiterRatePerSecond } = await loadBatchBullmq();
  const built = await openLocalGateway(io, { config: values.config, verbose: values.verbose });
  try {
    const worker = await startBatchWorker<ChatRequest, unknown>({
      redisUrl,
      ...(values.queue ? { queue: values.queue } : {}),
      concurrency,
      ...(rpm === undefined ? {} : { limiter: limiterFromRateLimit({ requestsPerMinute: rpm }) }),
      lockDurationMs: lockMs,
      stalledIntervalMs: Math.max(100, Math.round(lockMs / 2)),
      executor: (request, { signal }) => built.bridge.execute(request, { signal }),
    });
    io.stderr.write(
      `worker ready: queue ${values.queue ?? 'matey-batch'} on ${where}, ${concurrency} at once, ` +
        `at most ${limiterRatePerSecond(worker.limiter).toFixed(1)} requests/s across the queue\n`,
    );
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    io.stderr.write('stopping: letting calls in flight finish\n');
    await worker.close();
    io.stderr.write(`worker stopped: ${worker.stored} items stored\n`);
    return 0;
  } finally {
    await built.close();
  }
}
