const marker = Symbol.for('ai.matey.store.redis.error');

/** The store operation that failed. */
export type RedisStoreOperation = 'get' | 'set' | 'delete' | 'increment';

export interface RedisStoreErrorOptions {
  operation: RedisStoreOperation;
  /** The full store key, with its prefix. */
  key: string;
  message: string;
  cause?: unknown;
}

/**
 * A Redis store call that failed: Redis unreachable, a command timed out, or a value that is not
 * what the operation needs. Check with `RedisStoreError.isInstance(e)`, which works across
 * duplicate copies of the package. The message never carries the connection URL or password.
 */
export class RedisStoreError extends Error {
  readonly [marker] = true;
  readonly operation: RedisStoreOperation;
  readonly key: string;

  constructor(options: RedisStoreErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RedisStoreError';
    this.operation = options.operation;
    this.key = options.key;
  }

  static isInstance(error: unknown): error is RedisStoreError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
