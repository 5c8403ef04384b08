import { randomBytes } from 'node:crypto';
import type { CliIo } from '../cli/cli-io.ts';
import { UsageError } from '../cli/usage-error.ts';
import { type BatchBullmq, describeRedisUrl, loadBatchBullmq } from './load-batch-bullmq.ts';
import type { BatchItem } from './read-batch-input.ts';

/** The flags of a distributed `matey batch`. */
export interface DistributedFlags {
  redisUrl: string;
  batchId: string | undefined;
  queue: string | undefined;
  submitOnly: boolean;
}

/**
 * The BullMQ engine for a distributed `matey batch`, its batch id printed with the commands that
 * watch it and work on it. Items are known by their input `id` where they have one, else by line
 * position, so a rerun of the same file under the same batch id finds them again.
 */
export async function openDistributedBatch(
  flags: DistributedFlags,
  items: readonly BatchItem[],
  io: CliIo,
): Promise<InstanceType<BatchBullmq['BullmqBatch']>> {
  const where = describeRedisUrl(flags.redisUrl);
  const { createBullmqBatch } = await loadBatchBullmq();
  const batchId =
    flags.batchId ?? `batch-${new Date().toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`;
  let engine: InstanceType<BatchBullmq['BullmqBatch']>;
  try {
    engine = createBullmqBatch({
      redisUrl: flags.redisUrl,
      batchId,
      ...(flags.queue ? { queue: flags.queue } : {}),
      work: !flags.submitOnly,
      itemId: (_item, index) => {
        const id = items[index]?.id;
        return id === undefined ? `#${index}` : `id:${id}`;
      },
    });
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(error.message);
    throw error;
  }
  const redisFlag = `--redis ${where}`;
  const queueFlag = flags.queue ? ` --queue ${flags.queue}` : '';
  io.stderr.write(
    `distributed batch ${batchId} on ${where}\n` +
      `  progress: matey batch status ${batchId} ${redisFlag}${queueFlag}\n` +
      `  more workers: matey batch worker ${redisFlag}${queueFlag}\n`,
  );
  return engine;
}
