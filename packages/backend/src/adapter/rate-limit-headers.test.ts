import { describe, expect, it } from 'vitest';
import { rateLimitFromHeaders } from './rate-limit-headers.ts';

describe('rateLimitFromHeaders', () => {
  it('reads OpenAI-style headers with Go-style reset durations', () => {
    const info = rateLimitFromHeaders({
      'x-ratelimit-limit-requests': '10000',
      'x-ratelimit-remaining-requests': '9999',
      'x-ratelimit-reset-requests': '6ms',
      'x-ratelimit-limit-tokens': '200000',
      'x-ratelimit-remaining-tokens': '199000',
      'x-ratelimit-reset-tokens': '1m30s',
    });
    expect(info).toEqual({
      limitRequests: 10000,
      remainingRequests: 9999,
      resetRequestsMs: 6,
      limitTokens: 200000,
      remainingTokens: 199000,
      resetTokensMs: 90_000,
    });
  });

  it('reads Anthropic headers with RFC 3339 reset times', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const info = rateLimitFromHeaders(
      {
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '49',
        'anthropic-ratelimit-requests-reset': '2026-01-01T00:00:02Z',
        'anthropic-ratelimit-tokens-limit': '40000',
        'anthropic-ratelimit-tokens-remaining': '39000',
        'anthropic-ratelimit-tokens-reset': '2026-01-01T00:00:10Z',
      },
      now,
    );
    expect(info).toEqual({
      limitRequests: 50,
      remainingRequests: 49,
      resetRequestsMs: 2000,
      limitTokens: 40000,
      remainingTokens: 39000,
      resetTokensMs: 10_000,
    });
  });

  it('is undefined when the reply carries no rate-limit headers, and skips junk values', () => {
    expect(rateLimitFromHeaders({ 'content-type': 'application/json' })).toBeUndefined();
    expect(rateLimitFromHeaders({ 'x-ratelimit-remaining-requests': 'lots' })).toBeUndefined();
  });
});
