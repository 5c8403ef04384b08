import { UnknownOptionError } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { HttpTransport } from '../transport/http-transport.ts';
import { AnthropicBackendAdapter } from './anthropic-backend-adapter.ts';
import { AzureOpenAIBackendAdapter } from './azure-openai-backend-adapter.ts';
import { OpenAICompatibleBackendAdapter } from './create-backend.ts';
import { OpenAIBackendAdapter } from './openai-backend-adapter.ts';
import { GroqBackendAdapter } from './openai-compatible-adapters.ts';

function unknownOption(work: () => unknown): UnknownOptionError {
  try {
    work();
  } catch (error) {
    if (error instanceof UnknownOptionError) return error;
    throw error;
  }
  throw new Error('expected an UnknownOptionError');
}

describe('adapter constructors reject options they do not know', () => {
  it('names the adapter, the option and the one meant', () => {
    const error = unknownOption(() => new OpenAIBackendAdapter({ apikey: 'sk-test' } as never));
    expect(error.message).toMatch(
      /^new OpenAIBackendAdapter: unknown option 'apikey'\. Did you mean 'apiKey'\?/,
    );
    expect(error.message).not.toContain('sk-test');
    expect(unknownOption(() => new GroqBackendAdapter({ baseUrl: 'http://x' } as never)).suggestion).toBe(
      'baseURL',
    );
    expect(unknownOption(() => new AnthropicBackendAdapter({ model: 'claude' } as never)).suggestion).toBe(
      'defaultModel',
    );
    expect(
      unknownOption(
        () => new OpenAICompatibleBackendAdapter({ name: 'x', baseURL: 'http://x', timeout: 1 } as never),
      ).suggestion,
    ).toBe('timeoutMs');
  });

  it('the transport too', () => {
    expect(unknownOption(() => new HttpTransport({ keepAliveTimeout: 1 } as never)).suggestion).toBe(
      'keepAliveTimeoutMs',
    );
  });

  it("Azure knows its own options too, and refuses another adapter's", () => {
    expect(
      () => new AzureOpenAIBackendAdapter({ apiVersion: '2024-10-21', deployment: 'prod' }),
    ).not.toThrow();
    const error = unknownOption(() => new AzureOpenAIBackendAdapter({ deploymentName: 'prod' } as never));
    expect(error.message).toMatch(/^new AzureOpenAIBackendAdapter: unknown option 'deploymentName'/);
    expect(error.suggestion).toBe('deployment');
    expect(unknownOption(() => new OpenAIBackendAdapter({ deployment: 'prod' } as never)).option).toBe(
      'deployment',
    );
  });
});
