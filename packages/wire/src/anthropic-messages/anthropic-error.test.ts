import {
  AiMateyError,
  AuthenticationError,
  BudgetExceededError,
  ContextLengthExceededError,
  InvalidRequestError,
  ModelNotFoundError,
  NetworkError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
  UpstreamServerError,
} from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { anthropicMessages } from './index.ts';

const body = (type: string, message = `${type} happened`) => ({ type: 'error', error: { type, message } });

describe('anthropic-messages decodeError', () => {
  it.each([
    ['authentication_error', 401, 'authentication', AuthenticationError],
    ['permission_error', 403, 'permission', PermissionDeniedError],
    ['not_found_error', 404, 'model-not-found', ModelNotFoundError],
    ['invalid_request_error', 400, 'invalid-request', InvalidRequestError],
    ['request_too_large', 413, 'invalid-request', InvalidRequestError],
    ['rate_limit_error', 429, 'rate-limited', RateLimitError],
    ['api_error', 500, 'upstream-server', UpstreamServerError],
    ['timeout_error', 504, 'timeout', TimeoutError],
    ['billing_error', 402, 'budget-exceeded', BudgetExceededError],
    ['overloaded_error', 529, 'overloaded', OverloadedError],
  ] as const)('maps %s (%i) to %s', (type, status, kind, errorClass) => {
    const error = anthropicMessages.decodeError(status, body(type), undefined, { provider: 'anthropic' });
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({
      kind,
      status,
      code: type,
      provider: 'anthropic',
      message: `${type} happened`,
    });
  });

  it('marks overloaded (529) as retryable', () => {
    const error = anthropicMessages.decodeError(529, JSON.stringify(body('overloaded_error')));
    expect(error).toMatchObject({ kind: 'overloaded', status: 529, isRetryable: true });
  });

  it('recognises a prompt that does not fit the context window', () => {
    for (const message of [
      'prompt is too long: 215000 tokens > 200000 maximum',
      'input length and `max_tokens` exceed context limit: 197232 + 8192 > 200000, decrease input length',
    ]) {
      const error = anthropicMessages.decodeError(400, body('invalid_request_error', message));
      expect(error).toBeInstanceOf(ContextLengthExceededError);
      expect(error.status).toBe(400);
    }
  });

  it('reads the retry delay from retry-after, else from the exhausted anthropic-ratelimit reset', () => {
    const fromRetryAfter = anthropicMessages.decodeError(429, body('rate_limit_error'), {
      'retry-after': '12',
    });
    expect(fromRetryAfter.retryAfterMs).toBe(12_000);
    const soon = new Date(Date.now() + 5_000).toISOString();
    const later = new Date(Date.now() + 40_000).toISOString();
    const fromReset = anthropicMessages.decodeError(
      429,
      body('rate_limit_error'),
      new Headers({
        'anthropic-ratelimit-requests-reset': soon,
        'anthropic-ratelimit-requests-remaining': '12',
        'anthropic-ratelimit-tokens-reset': later,
        'anthropic-ratelimit-tokens-remaining': '0',
      }),
    );
    // The token limit is the one spent, so its (later) reset is the wait.
    expect(fromReset.retryAfterMs).toBeGreaterThan(30_000);
    expect(fromReset.retryAfterMs).toBeLessThanOrEqual(40_000);
  });

  it('falls back to the status for a body that is not Anthropic JSON, without passing its markup on', () => {
    const error = anthropicMessages.decodeError(502, '<html><title>nginx 10.0.3.7</title>Bad gateway</html>');
    expect(error).toBeInstanceOf(UpstreamServerError);
    expect(error).toMatchObject({ status: 502, message: expect.stringMatching(/HTTP 502 .*not JSON/) });
    expect(error.message).not.toMatch(/html|nginx|10\.0/);
    expect(anthropicMessages.decodeError(503, 'upstream unavailable').message).toBe('upstream unavailable');
  });

  it('treats an in-stream error type named like an object key (`constructor`) as unknown: a 500', () => {
    const error = anthropicMessages.decodeError(0, body('constructor'));
    expect(error).toBeInstanceOf(UpstreamServerError);
    expect(error.status).toBe(500);
  });
});

describe('anthropic-messages encodeError', () => {
  it.each([
    [new AuthenticationError({ message: 'bad key' }), 401, 'authentication_error'],
    [new PermissionDeniedError({ message: 'no' }), 403, 'permission_error'],
    [new ModelNotFoundError({ message: 'no model' }), 404, 'not_found_error'],
    [new InvalidRequestError({ message: 'bad' }), 400, 'invalid_request_error'],
    [new InvalidRequestError({ message: 'huge', status: 413 }), 413, 'request_too_large'],
    [new ContextLengthExceededError({ message: 'prompt is too long' }), 400, 'invalid_request_error'],
    [new RateLimitError({ message: 'slow down' }), 429, 'rate_limit_error'],
    [new OverloadedError({ message: 'busy' }), 529, 'overloaded_error'],
    [new OverloadedError({ message: 'busy', status: 503 }), 529, 'overloaded_error'],
    [new TimeoutError({ message: 'slow' }), 504, 'timeout_error'],
    [new UpstreamServerError({ message: 'boom', status: 502 }), 502, 'api_error'],
    [new NetworkError({ message: 'reset' }), 502, 'api_error'],
    [new AiMateyError({ message: 'odd' }), 500, 'api_error'],
  ])('answers %s with %i %s', (error, status, type) => {
    const encoded = anthropicMessages.encodeError(error);
    expect(encoded.status).toBe(status);
    expect(encoded.body).toEqual({ type: 'error', error: { type, message: error.message } });
    // What the gateway answers, an Anthropic backend reads back as the same kind.
    expect(anthropicMessages.decodeError(encoded.status, encoded.body).kind).toBe(
      error.kind === 'network' || error.kind === 'unknown' ? 'upstream-server' : error.kind,
    );
  });

  it('says when to retry in seconds and never leaks a key', () => {
    const encoded = anthropicMessages.encodeError(
      new RateLimitError({ message: 'limit for key sk-ant-api03-abcdefghijklmnop', retryAfterMs: 1500 }),
    );
    expect(encoded.headers).toEqual({ 'retry-after': '2' });
    expect(JSON.stringify(encoded.body)).not.toContain('abcdefghijklmnop');
  });
});
