import { StoreUnavailableError } from 'ai.matey.middleware';

const marker = Symbol.for('ai.matey.store.redis.error');

/** The store operation that failed. */
export type RedisStoreOperation = 'get' | 'set' | 'delete' | 'increment';

export interface RedisStoreErrorOptions {
  operation: RedisStoreOperation;
  /** The full store key, with its prefix. */
  key: string;
  /** What went wrong, for the operator: server address, key, Redis's own words. */
  detail: string;
  cause?: unknown;
}

/**
 * A Redis store call that failed: Redis unreachable, a command timed out, or a value that is not
 * what the operation needs. It is a `StoreUnavailableError` (status 503, code
 * `store_unavailable`), so a gateway answers a client with that, in the client's format. Its
 * `message` goes to clients and names no host, port or key; `detail` (for logs) does, but never
 * the connection URL or password. Check with `RedisStoreError.isInstance(e)`, which works across
 * duplicate copies of the package.
 */
export class RedisStoreError extends StoreUnavailableError {
  readonly [marker] = true;
  readonly operation: RedisStoreOperation;
  readonly key: string;
  /** The operator's account of the failure (address, key); not for clients. */
  readonly detail: string;

  constructor(options: RedisStoreErrorOptions) {
    super(options.cause === undefined ? {} : { cause: options.cause });
    this.name = 'RedisStoreError';
    this.operation = options.operation;
    this.key = options.key;
    this.detail = options.detail;
  }

  static override isInstance(error: unknown): error is RedisStoreError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
