import { describe, expect, it } from 'vitest';
import { AiMateyError } from './ai-matey-error.ts';
import { errorForKind } from './error-for-kind.ts';
import { OverloadedError } from './overloaded-error.ts';
import { RateLimitError } from './rate-limit-error.ts';

describe('errorForKind', () => {
  it('makes the typed error of the kind, with its class defaults', () => {
    const error = errorForKind('rate-limited', { message: 'Slow down', retryAfterMs: 2000 });
    expect(error).toBeInstanceOf(RateLimitError);
    expect(AiMateyError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'rate-limited', status: 429, isRetryable: true, retryAfterMs: 2000 });
  });

  it('lets the options override the default status and retryability', () => {
    const error = errorForKind('overloaded', { message: 'Busy', status: 503, isRetryable: false });
    expect(error).toBeInstanceOf(OverloadedError);
    expect(error).toMatchObject({ kind: 'overloaded', status: 503, isRetryable: false });
  });
});
