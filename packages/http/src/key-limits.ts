import type { Middleware, ModelCatalog } from 'ai.matey.core';
import {
  createCostTrackingMiddleware,
  createRateLimitMiddleware,
  type KeyValueStore,
  MemoryStore,
} from 'ai.matey.middleware';
import { BUDGET_WINDOW_MS, budgetName } from './budget-counters.ts';
import type { GatewayKey } from './gateway-keys.ts';
import type { TeamLimits } from './key-source.ts';
import { perKeyMiddleware } from './per-key-middleware.ts';
import { type OnStoreDown, onStoreDownOf, type StoreHealth } from './store-health.ts';

type Limits = Pick<
  TeamLimits,
  'requestsPerMinute' | 'tokensPerMinute' | 'budgetUsdPerDay' | 'budgetUsdPerMonth'
>;

/**
 * Each key's rate limits and budgets, and its team's (counted once for all the team's keys under
 * `team:<id>` in the shared store; rate limits and budgets may each have a store of their own,
 * `StoreHealth.guarded`). A key whose limits change (a database key edited by an admin)
 * gets a limiter with the new figures, over the same counters. The rate limits come first, so a
 * call they refuse reserves no budget; `budgets` alone charge what the gateway spends on a
 * key's behalf (`GatewayPolicy.embedOnBehalf`).
 */
export function keyLimitMiddleware(
  keyOf: (keyId: string) => GatewayKey | undefined,
  stores: { rateLimits: KeyValueStore; budgets: KeyValueStore },
  catalog: ModelCatalog | undefined,
): { rateLimits: Middleware[]; budgets: Middleware[] } {
  const team = (keyId: string) => {
    const limits = keyOf(keyId)?.team;
    return limits && { subject: `team:${limits.id}`, limits };
  };
  const own = (keyId: string) => {
    const limits = keyOf(keyId);
    return limits && { subject: keyId, limits: limits as Limits };
  };
  return {
    rateLimits: [
      rateLimit('key-rate-limit', own, stores.rateLimits),
      rateLimit('team-rate-limit', team, stores.rateLimits),
    ],
    budgets: [
      budget('key-budget', own, stores.budgets, catalog),
      budget('team-budget', team, stores.budgets, catalog),
    ],
  };
}

type SubjectOf = (keyId: string) => { subject: string; limits: Limits } | undefined;

function rateLimit(name: string, subjectOf: SubjectOf, store: KeyValueStore): Middleware {
  return perKeyMiddleware(
    name,
    (keyId) => {
      const found = subjectOf(keyId);
      const { requestsPerMinute, tokensPerMinute } = found?.limits ?? {};
      if (!found || (requestsPerMinute === undefined && tokensPerMinute === undefined)) return undefined;
      return createRateLimitMiddleware({
        ...(requestsPerMinute === undefined ? {} : { requestsPerWindow: requestsPerMinute }),
        ...(tokensPerMinute === undefined ? {} : { tokensPerWindow: tokensPerMinute }),
        windowMs: 60_000,
        store,
        key: () => found.subject,
      });
    },
    (keyId) => {
      const found = subjectOf(keyId);
      return `${found?.subject}/${found?.limits.requestsPerMinute}/${found?.limits.tokensPerMinute}`;
    },
  );
}

function budget(
  name: string,
  subjectOf: SubjectOf,
  store: KeyValueStore,
  catalog: ModelCatalog | undefined,
): Middleware {
  return perKeyMiddleware(
    name,
    (keyId) => {
      const found = subjectOf(keyId);
      if (!found) return undefined;
      const { subject, limits } = found;
      const budgets = [
        ...(limits.budgetUsdPerDay === undefined
          ? []
          : [
              {
                name: budgetName(subject, 'day'),
                limitUsd: limits.budgetUsdPerDay,
                windowMs: BUDGET_WINDOW_MS.day,
                key: () => subject,
              },
            ]),
        ...(limits.budgetUsdPerMonth === undefined
          ? []
          : [
              {
                name: budgetName(subject, 'month'),
                limitUsd: limits.budgetUsdPerMonth,
                windowMs: BUDGET_WINDOW_MS.month,
                key: () => subject,
              },
            ]),
      ];
      if (budgets.length === 0) return undefined;
      return createCostTrackingMiddleware({ ...(catalog ? { catalog } : {}), store, budget: budgets });
    },
    (keyId) => {
      const found = subjectOf(keyId);
      return `${found?.subject}/${found?.limits.budgetUsdPerDay}/${found?.limits.budgetUsdPerMonth}`;
    },
  );
}

/** The stores rate limits and budgets count in, each following its `onStoreDown` policy. */
export function limitStores(options: {
  store?: KeyValueStore;
  storeHealth?: StoreHealth;
  onStoreDown?: OnStoreDown;
}): { rateLimits: KeyValueStore; budgets: KeyValueStore } {
  const store = options.store ?? new MemoryStore();
  const health = options.storeHealth;
  if (!health) return { rateLimits: store, budgets: store };
  const onDown = options.onStoreDown ?? onStoreDownOf(undefined);
  return { rateLimits: health.guarded(onDown.rateLimits), budgets: health.guarded(onDown.budgets) };
}
