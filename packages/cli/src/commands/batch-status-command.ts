import { describeRedisUrl, loadBatchBullmq } from '../batch/load-batch-bullmq.ts';
import type { CliIo } from '../cli/cli-io.ts';
import { parseCommandArgs } from '../cli/parse-command-args.ts';
import { UsageError } from '../cli/usage-error.ts';

export const BATCH_STATUS_USAGE = `Usage: matey batch status <batch-id> [--redis URL] [options]

The progress of a distributed batch, read from Redis: from any machine, while it runs or after.

Options:
      --redis URL      the Redis of the batch (default redis://127.0.0.1:6379)
      --queue NAME     its queue (default matey-batch)
      --json           one JSON object instead of text
  -h, --help           this text

Exit status: 0 finished with no failure or still running, 1 finished with failures, 2 no such batch.`;

/** `matey batch status <batch-id>`: a distributed batch's counters and its queue's workers. */
export async function batchStatusCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('batch status', args, {
    redis: { type: 'string' },
    queue: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(`${BATCH_STATUS_USAGE}\n`);
    return 0;
  }
  const [batchId, ...extra] = positionals;
  if (!batchId || extra.length > 0) throw new UsageError('batch status takes one batch id');
  const redisUrl = values.redis ?? 'redis://127.0.0.1:6379';
  describeRedisUrl(redisUrl);
  const { readBatchStatus } = await loadBatchBullmq();
  let status: Awaited<ReturnType<typeof readBatchStatus>>;
  try {
    status = await readBatchStatus({ batchId, redisUrl, ...(values.queue ? { queue: values.queue } : {}) });
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(error.message);
    throw error;
  }
  if (!status) {
    io.stderr.write(`no batch "${batchId}" on ${describeRedisUrl(redisUrl)}\n`);
    return 2;
  }
  if (values.json) io.stdout.write(`${JSON.stringify(status)}\n`);
  else {
    const { queue } = status;
    io.stdout.write(
      `batch ${status.batchId}: ${status.done} of ${status.total} done (${status.failed} failed), ` +
        `${status.pending} pending, ${status.ratePerSecond.toFixed(1)} items/s\n` +
        `queue ${queue.name}: ${queue.waiting} waiting, ${queue.active} active, ${queue.delayed} delayed; ` +
        `${queue.workers} worker${queue.workers === 1 ? '' : 's'} connected\n`,
    );
  }
  return status.pending === 0 && status.failed > 0 ? 1 : 0;
}
