import { describe, expect, it } from 'vitest';
import { parseModelRef } from './parse-model-ref.ts';

describe('parseModelRef', () => {
  it('splits at the first slash only, so a provider-side id with a slash survives', () => {
    expect(parseModelRef('anthropic/claude-sonnet-4-5')).toEqual({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
    });
    expect(parseModelRef('openrouter/openai/gpt-4o')).toEqual({
      provider: 'openrouter',
      model: 'openai/gpt-4o',
    });
  });

  it('gives no provider for a bare id or a leading slash', () => {
    expect(parseModelRef('gpt-4o')).toEqual({ model: 'gpt-4o' });
    expect(parseModelRef('/gpt-4o')).toEqual({ model: '/gpt-4o' });
  });
});
