import { describe, expect, it } from 'vitest';
import { UpstreamServerError } from '../errors/upstream-server-error.ts';
import { redactSecrets } from './redact-secrets.ts';
import { registerSecret, scrubRegisteredSecrets } from './secret-registry.ts';

describe('secret registry', () => {
  it('scrubs a registered secret of any shape exactly, in its encoded forms too, and in every error message', () => {
    const mistral = 'Zq7bR2mN9pL4vT8wK3jH6gF1dS5aZ0cQ';
    const password = 'p@ss/word"9';
    expect(redactSecrets(`bad key ${mistral}`)).toContain(mistral);
    registerSecret(mistral);
    registerSecret(password);
    expect(redactSecrets(`bad key ${mistral}!`)).toBe('bad key [redacted]!');
    expect(scrubRegisteredSecrets(`redis://:${encodeURIComponent(password)}@host`)).toBe(
      'redis://:[redacted]@host',
    );
    expect(scrubRegisteredSecrets(JSON.stringify({ password }))).toBe('{"password":"[redacted]"}');
    expect(new UpstreamServerError({ message: `echo: ${mistral}` }).message).toBe('echo: [redacted]');
  });

  it('ignores secrets too short to scrub safely', () => {
    registerSecret('ollama1');
    registerSecret(undefined);
    expect(redactSecrets('ollama1 stays')).toBe('ollama1 stays');
  });
});
