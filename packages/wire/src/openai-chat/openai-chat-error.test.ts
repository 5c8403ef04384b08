import {
  type AiMateyError,
  AuthenticationError,
  BudgetExceededError,
  ContentFilterError,
  ContextLengthExceededError,
  InvalidRequestError,
  ModelNotFoundError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
  UpstreamServerError,
} from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import type { HeaderLookup } from '../codec.ts';
import { openaiChat } from './index.ts';

function openAIBody(message: string, type: string, code: string | null = null, param: string | null = null) {
  return { error: { message, type, param, code } };
}

function decode(status: number, body: unknown, headers?: HeaderLookup, provider = 'openai'): AiMateyError {
  return openaiChat.decodeError(status, body, headers, { provider });
}

describe('openai-chat decodeError', () => {
  it('maps 401 to AuthenticationError without leaking the key', () => {
    const error = decode(
      401,
      openAIBody(
        'Incorrect API key provided: sk-proj-abcdefghijklmnop1234. You can find your API key at https://platform.openai.com/account/api-keys.',
        'invalid_request_error',
        'invalid_api_key',
      ),
    );
    expect(AuthenticationError.isInstance(error) && error.kind).toBe('authentication');
    expect(error).toMatchObject({
      status: 401,
      provider: 'openai',
      code: 'invalid_api_key',
      isRetryable: false,
    });
    expect(error.message).not.toContain('sk-proj-abcdefghijklmnop1234');
  });

  it('maps 403 to PermissionDeniedError', () => {
    const error = decode(
      403,
      openAIBody('Country not supported', 'request_forbidden', 'unsupported_country_region_territory'),
    );
    expect(error instanceof PermissionDeniedError).toBe(true);
    expect(error.status).toBe(403);
  });

  it('maps 404 and model_not_found to ModelNotFoundError', () => {
    const openai = decode(
      404,
      openAIBody(
        'The model `gpt-9` does not exist or you do not have access to it.',
        'invalid_request_error',
        'model_not_found',
        'model',
      ),
    );
    expect(openai instanceof ModelNotFoundError).toBe(true);
    expect(openai).toMatchObject({
      status: 404,
      code: 'model_not_found',
      param: 'model',
      isRetryable: false,
    });
    // Ollama answers with a bare string error.
    const ollama = decode(404, { error: "model 'llama9' not found" }, undefined, 'ollama');
    expect(ollama instanceof ModelNotFoundError).toBe(true);
    expect(ollama.message).toBe("model 'llama9' not found");
    expect(decode(400, openAIBody('no such model', 'invalid_request_error', 'model_not_found')).kind).toBe(
      'model-not-found',
    );
  });

  it('maps context_length_exceeded (a 400) to ContextLengthExceededError', () => {
    const error = decode(
      400,
      openAIBody(
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
        'invalid_request_error',
        'context_length_exceeded',
        'messages',
      ),
    );
    expect(error instanceof ContextLengthExceededError).toBe(true);
    expect(error).toMatchObject({ status: 400, code: 'context_length_exceeded', param: 'messages' });
    // Compatible servers often say it only in the message.
    const vllm = decode(400, {
      object: 'error',
      message: "This model's maximum context length is 4096 tokens.",
      type: 'BadRequestError',
      code: 400,
    });
    expect(vllm.kind).toBe('context-length-exceeded');
  });

  it('maps content filter codes to ContentFilterError', () => {
    expect(
      decode(400, openAIBody('filtered', 'invalid_request_error', 'content_filter')) instanceof
        ContentFilterError,
    ).toBe(true);
    expect(decode(400, openAIBody('policy', 'invalid_request_error', 'content_policy_violation')).kind).toBe(
      'content-filter',
    );
  });

  it('maps other 400s to InvalidRequestError keeping code and param', () => {
    const error = decode(
      400,
      openAIBody("Invalid type for 'temperature'", 'invalid_request_error', 'invalid_type', 'temperature'),
    );
    expect(error instanceof InvalidRequestError).toBe(true);
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid_type',
      param: 'temperature',
      provider: 'openai',
    });
  });

  describe('429', () => {
    const rateLimited = openAIBody('Rate limit reached for gpt-4o', 'requests', 'rate_limit_exceeded');

    it('takes the delay from retry-after (seconds)', () => {
      const error = decode(429, rateLimited, new Headers({ 'retry-after': '2' }));
      expect(error instanceof RateLimitError).toBe(true);
      expect(error).toMatchObject({
        status: 429,
        isRetryable: true,
        retryAfterMs: 2000,
        code: 'rate_limit_exceeded',
      });
    });

    it('prefers retry-after-ms', () => {
      expect(decode(429, rateLimited, { 'retry-after-ms': '1500', 'retry-after': '9' }).retryAfterMs).toBe(
        1500,
      );
    });

    it('reads x-ratelimit-reset-requests durations like 6m0s', () => {
      const error = decode(429, rateLimited, {
        'x-ratelimit-reset-requests': '6m0s',
        'x-ratelimit-reset-tokens': '7m12s',
      });
      expect(error.retryAfterMs).toBe(360_000);
    });

    it('has no delay when no header gives one', () => {
      expect(decode(429, rateLimited).retryAfterMs).toBeUndefined();
    });

    it('treats insufficient_quota as a 429 that must not be retried', () => {
      const error = decode(
        429,
        openAIBody(
          'You exceeded your current quota, please check your plan and billing details.',
          'insufficient_quota',
          'insufficient_quota',
        ),
        { 'retry-after': '1' },
      );
      expect(error.kind).toBe('rate-limited');
      expect(error).toMatchObject({ status: 429, isRetryable: false, code: 'insufficient_quota' });
    });
  });

  it('maps 5xx to UpstreamServerError and 503 to OverloadedError, both retryable', () => {
    const server = decode(
      500,
      openAIBody('The server had an error while processing your request.', 'server_error'),
    );
    expect(server instanceof UpstreamServerError).toBe(true);
    expect(server).toMatchObject({ status: 500, isRetryable: true });
    const overloaded = decode(503, 'Service Unavailable', { 'retry-after': '3' }, 'groq');
    expect(overloaded instanceof OverloadedError).toBe(true);
    expect(overloaded).toMatchObject({
      status: 503,
      isRetryable: true,
      retryAfterMs: 3000,
      provider: 'groq',
      message: 'Service Unavailable',
    });
  });

  it('reads text bodies, JSON text, FastAPI detail and empty bodies', () => {
    expect(decode(502, 'upstream connect error or disconnect/reset before headers').message).toBe(
      'upstream connect error or disconnect/reset before headers',
    );
    const fromText = decode(400, JSON.stringify(openAIBody('bad', 'invalid_request_error', 'x', 'y')));
    expect(fromText).toMatchObject({ message: 'bad', code: 'x', param: 'y' });
    expect(decode(422, { detail: [{ loc: ['body', 'messages'], msg: 'field required' }] }).message).toContain(
      'field required',
    );
    expect(decode(500, '', undefined, 'together').message).toBe('together returned HTTP 500');
  });
});

describe('openai-chat encodeError', () => {
  const cases: Array<[AiMateyError, number, string, string | null]> = [
    [new AuthenticationError({ message: 'bad key' }), 401, 'authentication_error', 'invalid_api_key'],
    [new PermissionDeniedError({ message: 'no' }), 403, 'permission_error', null],
    [new ModelNotFoundError({ message: 'no model' }), 404, 'not_found_error', 'model_not_found'],
    [new InvalidRequestError({ message: 'bad', param: 'messages' }), 400, 'invalid_request_error', null],
    [
      new ContextLengthExceededError({ message: 'long' }),
      400,
      'invalid_request_error',
      'context_length_exceeded',
    ],
    [new ContentFilterError({ message: 'filtered' }), 400, 'invalid_request_error', 'content_filter'],
    [new RateLimitError({ message: 'slow' }), 429, 'rate_limit_error', 'rate_limit_exceeded'],
    [new BudgetExceededError({ message: 'budget' }), 429, 'insufficient_quota', 'budget_exceeded'],
    [new UpstreamServerError({ message: 'boom' }), 502, 'server_error', null],
    [new OverloadedError({ message: 'busy' }), 529, 'server_error', 'overloaded'],
    [new OverloadedError({ message: 'busy', status: 503 }), 503, 'server_error', 'overloaded'],
  ];

  for (const [error, status, type, code] of cases) {
    it(`writes ${error.name} as ${status} ${type}`, () => {
      const encoded = openaiChat.encodeError(error);
      expect(encoded.status).toBe(status);
      expect(encoded.body).toEqual({
        error: { message: error.message, type, param: error.param ?? null, code },
      });
      // And a client of ours reading it back gets the same kind of error.
      expect(
        openaiChat.decodeError(encoded.status, encoded.body, encoded.headers, { provider: 'gateway' }).kind,
      ).toBe(error.kind === 'budget-exceeded' ? 'rate-limited' : error.kind);
    });
  }

  it('sends retry-after in whole seconds, rounded up', () => {
    const encoded = openaiChat.encodeError(new RateLimitError({ message: 'slow', retryAfterMs: 1500 }));
    expect(encoded.headers).toEqual({ 'retry-after': '2' });
    expect(openaiChat.encodeError(new RateLimitError({ message: 'slow' })).headers).toEqual({});
  });

  it('keeps the provider code and param it was given', () => {
    const encoded = openaiChat.encodeError(
      new InvalidRequestError({
        message: 'Unsupported parameter',
        code: 'unsupported_parameter',
        param: 'max_tokens',
      }),
    );
    expect(encoded.body).toEqual({
      error: {
        message: 'Unsupported parameter',
        type: 'invalid_request_error',
        param: 'max_tokens',
        code: 'unsupported_parameter',
      },
    });
  });
});
