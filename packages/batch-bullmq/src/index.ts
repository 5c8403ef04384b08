export { DEFAULT_PREFIX, DEFAULT_QUEUE, DEFAULT_REDIS_URL } from './batch-keys.ts';
export { type BatchStatus, type ReadBatchStatusOptions, readBatchStatus } from './batch-status.ts';
export { BullmqBatch, type BullmqBatchOptions, createBullmqBatch } from './bullmq-batch.ts';
export { limiterFromRateLimit, limiterRatePerSecond, type QueueLimiter } from './limiter-from-rate-limit.ts';
export { type BatchWorker, type BatchWorkerOptions, startBatchWorker } from './start-batch-worker.ts';
