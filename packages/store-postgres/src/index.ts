export { FileSpendOverflow, type FileSpendOverflowOptions } from './file-spend-overflow.ts';
export { KeyStoreUnavailableError } from './key-store-unavailable-error.ts';
export { migrate } from './migrate.ts';
export { MIGRATIONS, type Migration } from './migrations.ts';
export { PostgresKeyStore, type PostgresKeyStoreOptions } from './postgres-key-store.ts';
export { createSpendLogMiddleware, type SpendLogMiddlewareOptions } from './spend-log-middleware.ts';
export { SpendLogWriter, type SpendLogWriterOptions, type SpendRow } from './spend-log-writer.ts';
export type { QueuedSpendRow, SpendBacklogTier, SpendOverflow } from './spend-overflow.ts';
