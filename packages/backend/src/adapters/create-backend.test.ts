import { describe, expect, it } from 'vitest';
import { HttpBackend } from '../adapter/http-backend.ts';
import { PROVIDER_PROFILES, type ProviderName } from '../adapter/provider-profiles.ts';
import { createBackend } from './create-backend.ts';

describe('createBackend', () => {
  it('builds the adapter of a known provider', () => {
    expect(createBackend('groq', { apiKey: 'k' }).metadata).toMatchObject({ name: 'groq', provider: 'groq' });
  });

  it('names the known providers when given an unknown one (config files and CLIs pass any string)', () => {
    for (const name of ['x', 'constructor', 'toString']) {
      expect(() => createBackend(name as ProviderName)).toThrow(
        new RegExp(
          `^createBackend: unknown provider '${name}' \\(known: openai, anthropic, gemini, azure-openai, groq, .*vllm; for any other OpenAI-compatible server use OpenAICompatibleBackendAdapter\\)$`,
        ),
      );
    }
  });
});

describe('HttpBackend', () => {
  it('names the known wire protocols when a profile names one nobody registered', () => {
    expect(() => new HttpBackend({ ...PROVIDER_PROFILES.openai, protocol: 'acme-v9' })).toThrow(
      /^Unknown wire protocol 'acme-v9' \(known: openai-chat, anthropic-messages, gemini.*add one with registerWireProtocol\)$/,
    );
  });
});
