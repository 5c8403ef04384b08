import { anthropicMessages, parseDuration, retryAfterFromHeaders } from 'ai.matey.wire';
import { describe, expect, it } from 'vitest';
import { startMockUpstream } from './mock-upstream.ts';
import { formatDuration, SlidingWindowRateLimiter } from './rate-limiter.ts';
import { sendChat } from './test-requests.ts';

describe('SlidingWindowRateLimiter', () => {
  it('admits up to the limit within the window, then frees slots as old requests leave it', () => {
    const limiter = new SlidingWindowRateLimiter({ requestsPerMinute: 3, windowMs: 1000 });
    expect(limiter.take(1, 0).allowed).toBe(true);
    expect(limiter.take(1, 100).allowed).toBe(true);
    const third = limiter.take(1, 200);
    expect(third.allowed).toBe(true);
    expect(third.headers['x-ratelimit-remaining-requests']).toBe('0');
    const rejected = limiter.take(1, 300);
    expect(rejected.allowed).toBe(false);
    expect(rejected.retryAfterMs).toBe(700);
    // Rejected requests do not count: the slot of the request at 0 frees at 1000.
    expect(limiter.take(1, 1000).allowed).toBe(true);
    expect(limiter.take(1, 1050).allowed).toBe(false);
    expect(limiter.take(1, 1100).allowed).toBe(true);
  });

  it('limits tokens too, and says when enough of them free up', () => {
    const limiter = new SlidingWindowRateLimiter({
      requestsPerMinute: 100,
      tokensPerMinute: 100,
      windowMs: 1000,
    });
    expect(limiter.take(60, 0).allowed).toBe(true);
    expect(limiter.take(30, 500).allowed).toBe(true);
    const over = limiter.take(50, 600);
    expect(over).toMatchObject({ allowed: false, retryAfterMs: 400 });
    expect(over.headers['x-ratelimit-remaining-tokens']).toBe('10');
    expect(limiter.take(50, 1000).allowed).toBe(true);
  });

  it('writes reset durations the way OpenAI does (and our header reader parses them back)', () => {
    for (const ms of [20, 999, 1500, 59_990, 360_000]) {
      expect(Math.abs((parseDuration(formatDuration(ms)) ?? -1) - ms)).toBeLessThanOrEqual(10);
    }
    expect(formatDuration(360_000)).toBe('6m0s');
  });
});

describe('rate-limit mode', () => {
  it('answers 429 with retry-after once over the limit, with headroom headers on every success', async () => {
    await using upstream = await startMockUpstream({ rateLimit: { requestsPerMinute: 2 } });
    const first = await sendChat(upstream.url, 'anthropic-messages');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect(first.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+(\.\d+)?(ms|s)$|^\d+m\d+s$/);
    const second = await sendChat(upstream.url, 'anthropic-messages', { stream: true });
    expect(second.status).toBe(200);
    expect(second.headers.get('x-ratelimit-remaining-requests')).toBe('0');

    const limited = await sendChat(upstream.url, 'anthropic-messages');
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(50);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(retryAfterFromHeaders(limited.headers)).toBeGreaterThan(50_000);
    expect(limited.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    const error = anthropicMessages.decodeError(429, JSON.parse(limited.text), limited.headers);
    expect(error.kind).toBe('rate-limited');
    // The limited request reached the log but never a reply script.
    expect(upstream.requests.map((entry) => entry.callIndex)).toEqual([0, 1, undefined]);
  });

  it('frees the window on reset()', async () => {
    await using upstream = await startMockUpstream({ rateLimit: { requestsPerMinute: 1 } });
    expect((await sendChat(upstream.url, 'gemini')).status).toBe(200);
    expect((await sendChat(upstream.url, 'gemini')).status).toBe(429);
    upstream.reset();
    expect((await sendChat(upstream.url, 'gemini')).status).toBe(200);
  });
});
