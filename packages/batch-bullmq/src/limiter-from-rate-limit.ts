import type { RateGateOptions } from 'ai.matey.patterns';

/** BullMQ's limiter: at most `max` jobs start in each `duration` ms, across every worker of a queue. */
export interface QueueLimiter {
  max: number;
  duration: number;
}

/** The shortest window the limiter is given: short enough to spread starts evenly, long enough for Redis. */
const MIN_WINDOW_MS = 100;

/**
 * The batch processor's `rateLimit` as BullMQ's limiter. `requestsPerMinute` becomes the
 * smallest whole number of starts per window of at least 100 ms (1 200/min → 2 per 100 ms), so
 * starts stay spread and the rate is exact; `maxRequests` per `perMinutes` is a window of that
 * length, bursts included, as in the single-process mode. BullMQ counts jobs, not tokens, so
 * `tokensPerMinute` is refused rather than ignored. No limit at all still gets a limiter (of a
 * million starts a second), because BullMQ honours a provider's retry-after
 * (`queue.rateLimit`) only on a limited queue.
 */
export function limiterFromRateLimit(rateLimit: Omit<RateGateOptions, 'now'> | undefined): QueueLimiter {
  if (rateLimit?.tokensPerMinute !== undefined) {
    throw new TypeError('a distributed batch limits requests, not tokens: drop rateLimit.tokensPerMinute');
  }
  const candidates: QueueLimiter[] = [];
  if (rateLimit?.maxRequests !== undefined) {
    const max = Math.max(1, Math.floor(rateLimit.maxRequests));
    candidates.push({ max, duration: Math.round((rateLimit.perMinutes ?? 1) * 60_000) });
  }
  const rpm = rateLimit?.requestsPerMinute;
  if (rpm !== undefined && rpm > 0) {
    const max = Math.max(1, Math.ceil((rpm * MIN_WINDOW_MS) / 60_000));
    candidates.push({ max, duration: Math.round((max * 60_000) / rpm) });
  }
  // With both shapes given, the stricter one wins, as in the single-process gate.
  candidates.sort((a, b) => limiterRatePerSecond(a) - limiterRatePerSecond(b));
  return candidates[0] ?? { max: 1_000_000, duration: 1_000 };
}

/** The limiter's rate in requests a second, for reports. */
export function limiterRatePerSecond(limiter: QueueLimiter): number {
  return (limiter.max * 1000) / limiter.duration;
}
