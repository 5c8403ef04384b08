export {
  AdminApiError,
  type AdminOptions,
  type AdminStore,
  adminApp,
  adminOpenApi,
  type KeyHash,
  type KeyInput,
  type KeyPatch,
  type KeyRecord,
  type SpendGroup,
  type SpendQuery,
  type TeamInput,
  type TeamPatch,
  type TeamRecord,
} from './admin/index.ts';
export {
  BUDGET_WINDOW_MS,
  type BudgetWindow,
  budgetCounterKey,
  budgetWindowStart,
  type LoggedSpend,
  reconcileBudgetCounters,
} from './budget-counters.ts';
export { createGateway, type Gateway } from './create-gateway.ts';
export type { DashboardOptions, DashboardSnapshot, ProviderHealth, RecordedCall } from './dashboard/index.ts';
export { type GatewayKey, type GatewayKeyConfig, GatewayKeyring, hashKey } from './gateway-keys.ts';
export { GatewayMetrics, type GaugeReading } from './gateway-metrics.ts';
export type { GatewayOptions } from './gateway-options.ts';
export { GatewayPolicy, type GatewayPolicyOptions } from './gateway-policy.ts';
export type { KeyConcurrencyOptions } from './key-bulkhead.ts';
export type { KeySource, TeamLimits } from './key-source.ts';
export { type BodyLimits, defaultBodyLimits, jsonDepth } from './read-json-body.ts';
export {
  type ConnectionLimits,
  defaultConnectionLimits,
  type RunningGateway,
  type ServeOptions,
  serveGateway,
} from './serve-gateway.ts';
export {
  type OnStoreDown,
  onStoreDownOf,
  type StoreDownPolicy,
  StoreHealth,
  type StoreHealthOptions,
} from './store-health.ts';
