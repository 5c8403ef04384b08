import type { RateGateOptions } from 'ai.matey.patterns';
import { describe, expect, it } from 'vitest';
import { limiterFromRateLimit, limiterRatePerSecond, type QueueLimiter } from './limiter-from-rate-limit.ts';

describe('limiterFromRateLimit', () => {
  it.each<[RateGateOptions, QueueLimiter, number]>([
    [{ requestsPerMinute: 1_200 }, { max: 2, duration: 100 }, 20],
    [{ requestsPerMinute: 1_500 }, { max: 3, duration: 120 }, 25],
    [{ requestsPerMinute: 60 }, { max: 1, duration: 1_000 }, 1],
    [{ maxRequests: 10, perMinutes: 1 }, { max: 10, duration: 60_000 }, 1 / 6],
  ])('spreads %o as %o, at exactly the allowed rate', (rateLimit, limiter, perSecond) => {
    expect(limiterFromRateLimit(rateLimit)).toEqual(limiter);
    expect(limiterRatePerSecond(limiter)).toBeCloseTo(perSecond, 6);
  });

  it('takes the stricter of both shapes', () => {
    expect(limiterFromRateLimit({ requestsPerMinute: 30, maxRequests: 100, perMinutes: 1 })).toEqual({
      max: 1,
      duration: 2_000,
    });
  });

  it('refuses a token limit rather than ignoring it', () => {
    expect(() => limiterFromRateLimit({ tokensPerMinute: 10_000 })).toThrow(/not tokens/);
  });
});
