import { UsageError } from '../cli/usage-error.ts';

export type BatchBullmq = typeof import('ai.matey.batch.bullmq');

/**
 * `ai.matey.batch.bullmq`, imported here and only here: a `matey batch` without `--redis` never
 * loads BullMQ or ioredis, and an install without the optional package is told what to add.
 */
export async function loadBatchBullmq(): Promise<BatchBullmq> {
  try {
    return await import('ai.matey.batch.bullmq');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new UsageError(
      '--redis needs the optional package ai.matey.batch.bullmq (npm install ai.matey.batch.bullmq)',
    );
  }
}

/** A Redis URL for messages: its password replaced. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    throw new UsageError(`--redis wants a URL such as redis://127.0.0.1:6379, got "${url}"`);
  }
}
