import { costStrategy } from './cost.ts';
import { customStrategy } from './custom.ts';
import { explicitStrategy } from './explicit.ts';
import { leastBusyStrategy } from './least-busy.ts';
import { leastLatencyStrategy } from './least-latency.ts';
import { modelBasedStrategy } from './model-based.ts';
import { createRoundRobinStrategy } from './round-robin.ts';
import type { Strategy } from './strategy.ts';
import { createWeightedStrategy } from './weighted.ts';

export type RoutingStrategy =
  | 'explicit'
  | 'model-based'
  | 'round-robin'
  | 'weighted'
  | 'least-latency'
  | 'least-busy'
  | 'cost'
  | 'custom';

/** Each strategy by name; a factory, so a stateful one (turns, weights) is per Router. */
const strategies: Record<RoutingStrategy, () => Strategy> = {
  explicit: () => explicitStrategy,
  'model-based': () => modelBasedStrategy,
  'round-robin': createRoundRobinStrategy,
  weighted: createWeightedStrategy,
  'least-latency': () => leastLatencyStrategy,
  'least-busy': () => leastBusyStrategy,
  cost: () => costStrategy,
  custom: () => customStrategy,
};

export function createStrategy(name: RoutingStrategy): Strategy {
  const create = Object.hasOwn(strategies, name) ? strategies[name] : undefined;
  if (!create) throw new TypeError(`Unknown routingStrategy '${String(name)}'`);
  return create();
}

export type { Strategy, StrategyContext, StrategyPick } from './strategy.ts';
