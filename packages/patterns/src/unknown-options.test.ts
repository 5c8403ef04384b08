import { UnknownOptionError } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import {
  BatchProcessor,
  CostOptimizer,
  createBatchProcessor,
  createComplexityRouter,
  createCostOptimizer,
  createFailoverMiddleware,
  createHealthMonitor,
  createParallelAggregator,
  RateGate,
} from './index.ts';

const backend = new MockBackend({ name: 'openai' });

// Each factory or class with an option a user could get wrong, and the option it names.
const cases: Array<[string, string, () => unknown, string | undefined]> = [
  [
    'BatchProcessor',
    'rateLimit.maxRequest',
    () => new BatchProcessor({ concurrency: 3, rateLimit: { maxRequest: 10, perMinutes: 1 } } as never),
    'rateLimit.maxRequests',
  ],
  ['BatchProcessor', 'concurency', () => createBatchProcessor({ concurency: 3 } as never), 'concurrency'],
  [
    'BatchProcessor',
    'retry.attempts',
    () => createBatchProcessor({ retry: { attempts: 2 } } as never),
    'retry.maxAttempts',
  ],
  [
    'new RateGate',
    'requestPerMinute',
    () => new RateGate({ requestPerMinute: 60 } as never),
    'requestsPerMinute',
  ],
  [
    'ComplexityRouter',
    'analyser',
    () => createComplexityRouter({ tiers: [{ backend }], analyser: () => 0 } as never),
    'analyzer',
  ],
  ['CostOptimizer', 'prices', () => new CostOptimizer({ prices: {} } as never), 'pricing'],
  [
    'CostOptimizer',
    'budget.maxUsd',
    () => createCostOptimizer({ budget: { maxUsd: 1 } } as never),
    'budget.maxUsdPerCall',
  ],
  [
    'FailoverMiddleware',
    'unhealthyAfterFailures',
    () => createFailoverMiddleware({ chain: ['openai'], unhealthyAfterFailures: 2 } as never),
    'unhealthyAfter',
  ],
  [
    'HealthMonitor',
    'thresholds.highLatency',
    () => createHealthMonitor({ thresholds: { highLatency: 100 } } as never),
    'thresholds.highLatencyMs',
  ],
  [
    'ParallelAggregator',
    'strategie',
    () => createParallelAggregator({ backends: [backend], strategie: 'all' } as never),
    'strategy',
  ],
];

describe('patterns factories reject options they do not know', () => {
  it.each(cases)('%s: %s', (owner, option, create, suggestion) => {
    let thrown: unknown;
    try {
      create();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnknownOptionError);
    expect((thrown as UnknownOptionError).option).toBe(option);
    expect((thrown as UnknownOptionError).suggestion).toBe(suggestion);
    expect((thrown as Error).message).toMatch(new RegExp(`^${owner}: unknown option '${option}'`));
  });

  it("accepts the guide's batch options, and refuses a window with no requests", () => {
    expect(
      () => new BatchProcessor({ concurrency: 3, rateLimit: { maxRequests: 10, perMinutes: 1 } }),
    ).not.toThrow();
    expect(() => new BatchProcessor({ rateLimit: { maxRequests: 0, perMinutes: 1 } })).toThrow(RangeError);
    expect(() => new BatchProcessor({ rateLimit: { maxRequests: 10, requestsPerMinute: 5 } })).toThrow(
      'rateLimit takes requestsPerMinute or maxRequests/perMinutes, not both',
    );
  });
});

describe('options in a list are checked one by one', () => {
  it('a misspelt maxScore in a complexity tier would make it a catch-all: refused instead', () => {
    expect(() =>
      createComplexityRouter({
        tiers: [{ backend, maxScore: 40 }, { backend: 'openai', maxscore: 80 } as never],
      }),
    ).toThrow("ComplexityRouter: unknown option 'tiers[1].maxscore'. Did you mean 'tiers[1].maxScore'?");
  });
});
