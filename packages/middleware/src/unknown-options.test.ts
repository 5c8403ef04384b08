import { UnknownOptionError } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import {
  CostTracker,
  createBulkheadMiddleware,
  createCacheMiddleware,
  createCircuitBreakerMiddleware,
  createCostTrackingMiddleware,
  createHistoryMiddleware,
  createLoggingMiddleware,
  createPromptInjectionGuard,
  createRateLimitMiddleware,
  createRedactionMiddleware,
  createRetryMiddleware,
  createTelemetryMiddleware,
  createTimeoutMiddleware,
  createValidationMiddleware,
  MemoryStore,
  Redactor,
  RetryBudget,
} from './index.ts';

// Each factory with a misspelling a user could make, the option meant, and the valid form.
const cases: Array<[string, (options: never) => unknown, Record<string, unknown>, string | undefined]> = [
  ['createBulkheadMiddleware', createBulkheadMiddleware, { maxConcurent: 4 }, 'maxConcurrent'],
  ['createCacheMiddleware', createCacheMiddleware, { ttl: 1000 }, 'ttlMs'],
  ['createCircuitBreakerMiddleware', createCircuitBreakerMiddleware, { threshold: 3 }, 'failureThreshold'],
  ['createCostTrackingMiddleware', createCostTrackingMiddleware, { budgets: [] }, 'budget'],
  ['new CostTracker', (o) => new CostTracker(o), { budget: [] }, 'budgets'],
  ['createHistoryMiddleware', createHistoryMiddleware, { maxMessage: 5 }, 'maxMessages'],
  ['createLoggingMiddleware', createLoggingMiddleware, { logBody: true }, 'logBodies'],
  ['createPromptInjectionGuard', createPromptInjectionGuard, { treshold: 2 }, 'threshold'],
  ['createRateLimitMiddleware', createRateLimitMiddleware, { requestsPerMinute: 10 }, 'requestsPerWindow'],
  ['createRedactionMiddleware', createRedactionMiddleware, { categorys: ['email'] }, 'categories'],
  ['new Redactor', (o) => new Redactor(o), { replacement: {} }, 'replacements'],
  ['createRetryMiddleware', createRetryMiddleware, { retries: 3 }, undefined],
  ['createRetryMiddleware', createRetryMiddleware, { attempts: 3 }, 'maxAttempts'],
  ['new RetryBudget', (o) => new RetryBudget(o), { ratios: 0.1 }, 'ratio'],
  ['new MemoryStore', (o) => new MemoryStore(o), { maxEntry: 10 }, 'maxEntries'],
  ['createTelemetryMiddleware', createTelemetryMiddleware, { tracerProvider: {} }, 'tracer'],
  ['createTimeoutMiddleware', createTimeoutMiddleware, { totalMS: 100 }, 'totalMs'],
  ['createValidationMiddleware', createValidationMiddleware, { allowModels: ['m'] }, 'allowedModels'],
];

describe('middleware factories reject options they do not know', () => {
  it.each(cases)('%s', (owner, create, options, suggestion) => {
    let thrown: unknown;
    try {
      create(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnknownOptionError);
    const error = thrown as UnknownOptionError;
    expect(error.option).toBe(Object.keys(options)[0]);
    expect(error.suggestion).toBe(suggestion);
    expect(error.message).toMatch(new RegExp(`^${owner}: unknown option '${error.option}'`));
  });

  it('looks into the object form of redactBodies', () => {
    expect(() => createLoggingMiddleware({ redactBodies: { category: ['email'] } as never })).toThrow(
      "createLoggingMiddleware: unknown option 'redactBodies.category'. Did you mean 'redactBodies.categories'?",
    );
    expect(() => createLoggingMiddleware({ redactBodies: true })).not.toThrow();
  });
});

describe('budgets, one or a list, are checked too', () => {
  it('names the budget and the option', () => {
    expect(() =>
      createCostTrackingMiddleware({ budget: { limitUsd: 1, windowMs: 1000, keyFn: () => 'a' } as never }),
    ).toThrow("createCostTrackingMiddleware: unknown option 'budget.keyFn'.");
    expect(
      () => new CostTracker({ budgets: [{ limitUsd: 1, windowMs: 1000 }, { limitUSD: 1 } as never] }),
    ).toThrow("new CostTracker: unknown option 'budgets[1].limitUSD'. Did you mean 'budgets[1].limitUsd'?");
  });
});
