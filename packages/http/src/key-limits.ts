import type { Middleware, ModelCatalog } from 'ai.matey.core';
import {
  createCostTrackingMiddleware,
  createRateLimitMiddleware,
  type KeyValueStore,
} from 'ai.matey.middleware';
import { BUDGET_WINDOW_MS, budgetName } from './budget-counters.ts';
import type { GatewayKey } from './gateway-keys.ts';
import type { TeamLimits } from './key-source.ts';
import { perKeyMiddleware } from './per-key-middleware.ts';

type Limits = Pick<
  TeamLimits,
  'requestsPerMinute' | 'tokensPerMinute' | 'budgetUsdPerDay' | 'budgetUsdPerMonth'
>;

/**
 * Each key's rate limit and budgets, and its team's (counted once for all the team's keys under
 * `team:<id>` in the shared store; rate limits and budgets may each have a store of their own,
 * `StoreHealth.guarded`). A key whose limits change (a database key edited by an admin)
 * gets a limiter with the new figures, over the same counters.
 */
export function keyLimitMiddleware(
  keyOf: (keyId: string) => GatewayKey | undefined,
  stores: { rateLimits: KeyValueStore; budgets: KeyValueStore },
  catalog: ModelCatalog | undefined,
): Middleware[] {
  const team = (keyId: string) => {
    const limits = keyOf(keyId)?.team;
    return limits && { subject: `team:${limits.id}`, limits };
  };
  const own = (keyId: string) => {
    const limits = keyOf(keyId);
    return limits && { subject: keyId, limits: limits as Limits };
  };
  return [
    rateLimit('key-rate-limit', own, stores.rateLimits),
    budget('key-budget', own, stores.budgets, catalog),
    rateLimit('team-rate-limit', team, stores.rateLimits),
    budget('team-budget', team, stores.budgets, catalog),
  ];
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
