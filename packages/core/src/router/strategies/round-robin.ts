import type { Strategy } from './strategy.ts';

/** Each fit backend in turn; the turn counter is this strategy instance's own. */
export function createRoundRobinStrategy(): Strategy {
  let turn = 0;
  return (_request, { pool }) => ({ name: pool[turn++ % pool.length]?.name, reason: 'round-robin' });
}
