import {
  AuthenticationError,
  ContextLengthExceededError,
  InvalidRequestError,
  ModelNotFoundError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
  UpstreamServerError,
} from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { gemini } from './index.ts';

function googleError(code: number, status: string, message: string, details?: unknown[]) {
  return { error: { code, message, status, ...(details ? { details } : {}) } };
}

describe('gemini decodeError', () => {
  it.each([
    [401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.', AuthenticationError],
    [400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', AuthenticationError],
    [
      403,
      'PERMISSION_DENIED',
      "Method doesn't allow unregistered callers (callers without established identity).",
      AuthenticationError,
    ],
    [403, 'PERMISSION_DENIED', 'The caller does not have permission', PermissionDeniedError],
    [404, 'NOT_FOUND', 'models/gemini-9 is not found for API version v1beta', ModelNotFoundError],
    [
      400,
      'INVALID_ARGUMENT',
      '* GenerateContentRequest.contents: contents is not specified',
      InvalidRequestError,
    ],
    [
      400,
      'INVALID_ARGUMENT',
      'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).',
      ContextLengthExceededError,
    ],
    [429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).', RateLimitError],
    [503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.', OverloadedError],
    [500, 'INTERNAL', 'An internal error has occurred.', UpstreamServerError],
    [504, 'DEADLINE_EXCEEDED', 'Deadline expired before operation could complete.', TimeoutError],
  ])('%i %s "%s" is %o', (status, googleStatus, message, expected) => {
    const error = gemini.decodeError(status, googleError(status, googleStatus, message), undefined, {
      provider: 'google',
    });
    expect(error).toBeInstanceOf(expected);
    expect(error.message).toBe(message);
    expect(error.provider).toBe('google');
  });

  it('reads an API_KEY_INVALID reason as an authentication failure whatever the message says', () => {
    const error = gemini.decodeError(
      400,
      googleError(400, 'INVALID_ARGUMENT', 'Bad key', [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'API_KEY_INVALID',
          domain: 'googleapis.com',
        },
      ]),
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe('API_KEY_INVALID');
  });

  it('takes the retry delay from RetryInfo, else from headers', () => {
    const withInfo = gemini.decodeError(
      429,
      googleError(429, 'RESOURCE_EXHAUSTED', 'quota', [
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '0.5s' },
      ]),
    );
    expect(withInfo.retryAfterMs).toBe(500);
    const fromHeader = gemini.decodeError(429, googleError(429, 'RESOURCE_EXHAUSTED', 'quota'), {
      'retry-after': '13',
    });
    expect(fromHeader.retryAfterMs).toBe(13_000);
    const fromHeaders = gemini.decodeError(
      503,
      googleError(503, 'UNAVAILABLE', 'busy'),
      new Headers({ 'Retry-After': '2' }),
    );
    expect(fromHeaders.retryAfterMs).toBe(2000);
  });

  it('reads the array form, plain text and empty bodies by status', () => {
    expect(gemini.decodeError(429, [googleError(429, 'RESOURCE_EXHAUSTED', 'quota')])).toBeInstanceOf(
      RateLimitError,
    );
    const text = gemini.decodeError(502, '<html>Bad Gateway</html>');
    expect(text).toBeInstanceOf(UpstreamServerError);
    expect(text.message).toMatch(/^Google returned HTTP 502 with a body that is not JSON/);
    expect(gemini.decodeError(404, undefined).message).toBe('HTTP 404');
  });

  it('keeps the field at fault from a BadRequest detail', () => {
    const error = gemini.decodeError(
      400,
      googleError(400, 'INVALID_ARGUMENT', 'Invalid value', [
        {
          '@type': 'type.googleapis.com/google.rpc.BadRequest',
          fieldViolations: [{ field: 'generation_config.temperature', description: 'Invalid value' }],
        },
      ]),
    );
    expect(error.param).toBe('generation_config.temperature');
  });
});

describe('gemini encodeError', () => {
  it.each([
    [new AuthenticationError({ message: 'bad key' }), 401, 'UNAUTHENTICATED'],
    [new PermissionDeniedError({ message: 'no' }), 403, 'PERMISSION_DENIED'],
    [new ModelNotFoundError({ message: 'no model' }), 404, 'NOT_FOUND'],
    [new InvalidRequestError({ message: 'bad', param: 'contents' }), 400, 'INVALID_ARGUMENT'],
    [
      new ContextLengthExceededError({
        message: 'The input token count exceeds the maximum number of tokens allowed',
      }),
      400,
      'INVALID_ARGUMENT',
    ],
    [new RateLimitError({ message: 'slow', retryAfterMs: 13_000 }), 429, 'RESOURCE_EXHAUSTED'],
    [new OverloadedError({ message: 'busy' }), 503, 'UNAVAILABLE'],
    [new UpstreamServerError({ message: 'oops' }), 500, 'INTERNAL'],
    [new TimeoutError({ message: 'late' }), 504, 'DEADLINE_EXCEEDED'],
  ])('%o answers %i %s and decodes back to the same kind', (error, status, googleStatus) => {
    const encoded = gemini.encodeError(error);
    expect(encoded.status).toBe(status);
    expect(encoded.body).toMatchObject({
      error: { code: status, message: error.message, status: googleStatus },
    });
    expect(encoded.headers['content-type']).toBe('application/json');
    const decoded = gemini.decodeError(encoded.status, encoded.body, encoded.headers);
    expect(decoded.kind).toBe(error.kind);
    expect(decoded.retryAfterMs).toBe(error.retryAfterMs);
    expect(decoded.param).toBe(error.param);
  });

  it('puts the retry delay in a RetryInfo detail and a retry-after header', () => {
    const encoded = gemini.encodeError(new RateLimitError({ message: 'slow', retryAfterMs: 1500 }));
    expect(encoded.body).toEqual({
      error: {
        code: 429,
        message: 'slow',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' }],
      },
    });
    expect(encoded.headers['retry-after']).toBe('2');
  });
});
