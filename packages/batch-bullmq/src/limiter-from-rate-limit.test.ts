import { describe, expect, it } from 'vitest';
import { limiterFromRateLimit, limiterRatePerSecond } from './limiter-from-rate-limit.ts';

describe('limiterFromRateLimit', () => {
  it.each([
    [{ requestsPerMinute: 1_200 }, { max: 2, duration: 100 }],
    [{ requestsPerMinute: 1_500 }, { max: 3, duration: 120 }],
    [{ requestsPerMinute: 60 }, { max: 1, duration: 1_000 }],
    [
      { maxRequests: 10, perMinutes: 1 },
      { max: 10, duration: 60_000 },
    ],
  ])('spreads %o as %o, at exactly the allowed rate', (rateLimit, limiter) => {
    expect(limiterFromRateLimit(rateLimit)).toEqual(limiter);
    const perSecond =
      (rateLimit.requestsPerMinute ?? (rateLimit.maxRequests ?? 0) / (rateLimit.perMinutes ?? 1)) / 60;
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
