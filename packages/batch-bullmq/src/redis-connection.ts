import { Redis } from 'ioredis';
import { DEFAULT_REDIS_URL } from './batch-keys.ts';

/** How BullMQ connects: its blocking commands need `maxRetriesPerRequest: null`. */
export function bullmqConnection(url: string | undefined): { url: string; maxRetriesPerRequest: null } {
  return { url: url ?? DEFAULT_REDIS_URL, maxRetriesPerRequest: null };
}

/** A client for the batch's own records: fails fast instead of queueing while Redis is down. */
export function openRecordsClient(url: string | undefined): Redis {
  const client = new Redis(url ?? DEFAULT_REDIS_URL, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
  // Errors surface on the commands; an unhandled 'error' event would crash the process.
  client.on('error', () => {});
  return client;
}
