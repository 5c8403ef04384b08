export { RedisBacklog, type RedisBacklogOptions } from './redis-backlog.ts';
export { RedisStore, type RedisStoreOptions } from './redis-store.ts';
export {
  RedisStoreError,
  type RedisStoreErrorOptions,
  type RedisStoreOperation,
} from './redis-store-error.ts';
