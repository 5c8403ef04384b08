import { describe, expect, it } from 'vitest';
import { AuthenticationError } from '../errors/authentication-error.ts';
import { redactSecrets } from './redact-secrets.ts';

describe('redactSecrets', () => {
  it.each([
    ['Incorrect API key provided: sk-proj-abcdefghijklmnop1234', 'sk-proj-abcdefghijklmnop1234'],
    ['API key not valid: AIzaSyA1234567890abcdefghijklmnopqrs', 'AIzaSyA1234567890abcdefghijklmnopqrs'],
    ['groq key gsk_abcdefgh12345678 rejected', 'gsk_abcdefgh12345678'],
    ['xai key xai-abcdefgh12345678 rejected', 'xai-abcdefgh12345678'],
    ['header Authorization: Bearer abc.def.ghi-123456', 'abc.def.ghi-123456'],
    ['GET /v1/models?key=AIzaSecretValue123&alt=sse', 'AIzaSecretValue123'],
  ])('removes the credential from %s', (text, secret) => {
    const redacted = redactSecrets(text);
    expect(redacted).not.toContain(secret);
    expect(redacted).toContain('[redacted]');
  });

  it('keeps ordinary text and is applied to every error message', () => {
    expect(redactSecrets('The model gpt-4o is overloaded')).toBe('The model gpt-4o is overloaded');
    const error = new AuthenticationError({ message: 'bad key AIzaSyA1234567890abcdefghijklmnopqrs' });
    expect(error.message).toBe('bad key [redacted]');
  });
});
