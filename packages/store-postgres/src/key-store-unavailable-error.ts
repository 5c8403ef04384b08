import { StoreUnavailableError } from 'ai.matey.core';

/**
 * The key database could not be asked about a key that is not in the cache: the call is refused
 * with 503 `store_unavailable` in the caller's format, with a message naming no host or table
 * (PostgreSQL's own words stay in `cause`, for the operator).
 */
export class KeyStoreUnavailableError extends StoreUnavailableError {
  constructor(cause: unknown) {
    super({ message: 'The gateway cannot reach its key database; try again shortly', cause });
    this.name = 'KeyStoreUnavailableError';
  }
}
