import { Pool } from 'undici';

/** An undici `Pool`: keep-alive sockets to one origin. */
export type UndiciPool = Pool;

/** A keep-alive pool of at most `connections` sockets to `origin`. */
export function createPool(origin: string, connections: number): UndiciPool {
  return new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
}
