import { AuthenticationError, RateLimitError } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { decodeBedrockError, encodeBedrockError } from './bedrock-error.ts';

describe('Bedrock errors', () => {
  it('reads the exception from x-amzn-errortype, a body __type, or a stream event key', () => {
    const header = decodeBedrockError(429, '{"message":"Too many requests"}', {
      'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/',
      'retry-after': '2',
    });
    expect(header).toBeInstanceOf(RateLimitError);
    expect(header).toMatchObject({
      code: 'ThrottlingException',
      retryAfterMs: 2000,
      isRetryable: true,
      message: 'Too many requests',
    });
    const typed = decodeBedrockError(400, {
      __type: 'com.amazon.coral.validate#ValidationException',
      message: 'bad',
    });
    expect(typed).toMatchObject({ kind: 'invalid-request', code: 'ValidationException' });
    const event = decodeBedrockError(0, { __type: 'modelStreamErrorException', message: 'stream broke' });
    expect(event).toMatchObject({ kind: 'upstream-server', status: 424, isRetryable: true });
  });

  it('a ValidationException about length is a context-length error; an unknown one goes by status', () => {
    const long = decodeBedrockError(
      400,
      { message: 'Input is too long for requested model.' },
      { 'x-amzn-errortype': 'ValidationException' },
    );
    expect(long.kind).toBe('context-length-exceeded');
    expect(decodeBedrockError(502, '<html>Bad Gateway</html>').kind).toBe('upstream-server');
  });

  it('encodes a spec error as Bedrock answers it, keeping a Bedrock exception name given as the code', () => {
    const encoded = encodeBedrockError(new RateLimitError({ message: 'slow down', retryAfterMs: 1500 }));
    expect(encoded).toMatchObject({
      status: 429,
      body: { message: 'slow down' },
      headers: { 'retry-after': '2' },
    });
    expect(encoded.headers['x-amzn-errortype']).toMatch(/^ThrottlingException:/);
    const signature = encodeBedrockError(
      new AuthenticationError({ message: 'no', code: 'InvalidSignatureException' }),
    );
    expect(signature.status).toBe(403);
    expect(signature.headers['x-amzn-errortype']).toMatch(/^InvalidSignatureException:/);
  });
});
