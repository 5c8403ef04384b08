import type { ChatRequest } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { AnthropicBackendAdapter } from '../adapters/anthropic-backend-adapter.ts';
import { OpenAIBackendAdapter } from '../adapters/openai-backend-adapter.ts';
import { GroqBackendAdapter } from '../adapters/openai-compatible-adapters.ts';
import { TEST_KEY } from '../test-support/adapter-families.ts';
import { useMockUpstream } from '../test-support/upstream-harness.ts';

/** A call as Claude Code's decoded request carries it: Anthropic-only fields and beta values. */
const agentCall: ChatRequest = {
  messages: [{ role: 'user', content: 'Hello' }],
  reasoning: { effort: 'high' },
  providerOptions: {
    anthropic: {
      thinking: { type: 'adaptive' },
      context_management: { edits: [] },
      betas: ['context-management-2025-06-27', 'effort-2025-11-24'],
    },
  },
};

describe('fitRequest: a request as the provider and model can take it', () => {
  const mock = useMockUpstream();

  it('go to an Anthropic upstream, betas as its anthropic-beta header, with no warning', async () => {
    const claude = new AnthropicBackendAdapter({
      apiKey: TEST_KEY,
      baseURL: mock.upstream.url,
      transport: mock.transport,
    });
    const reply = await claude.execute({ ...agentCall, model: 'claude-sonnet-4-5' });
    expect(reply.warnings).toEqual([]);
    const [sent] = mock.upstream.requests;
    expect(sent?.headers['anthropic-beta']).toBe('context-management-2025-06-27,effort-2025-11-24');
    expect(sent?.body).toMatchObject({ thinking: { type: 'adaptive' }, context_management: { edits: [] } });
    expect(sent?.body).not.toHaveProperty('betas');
  });

  it('are said to be left out toward another provider, never dropped silently', async () => {
    const groq = new GroqBackendAdapter({
      apiKey: TEST_KEY,
      baseURL: `${mock.upstream.url}/openai/v1`,
      transport: mock.transport,
    });
    const reply = await groq.execute({ ...agentCall, model: 'llama-3.3-70b-versatile' });
    expect(reply.warnings).toEqual([
      expect.objectContaining({ setting: 'reasoning' }),
      {
        type: 'unsupported-setting',
        setting: 'providerOptions.anthropic',
        message: 'thinking, context_management, betas (anthropic options) were not sent to groq.',
      },
    ]);
    const [sent] = mock.upstream.requests;
    expect(sent?.headers['anthropic-beta']).toBeUndefined();
    expect(sent?.body).not.toHaveProperty('context_management');
  });

  it('leaves reasoning out for a model the catalog says does not reason, saying so', async () => {
    const openai = new OpenAIBackendAdapter({
      apiKey: TEST_KEY,
      baseURL: `${mock.upstream.url}/v1`,
      transport: mock.transport,
    });
    const reply = await openai.execute({ ...agentCall, providerOptions: {}, model: 'gpt-4o-mini' });
    expect(reply.warnings).toEqual([
      {
        type: 'unsupported-setting',
        setting: 'reasoning',
        message: 'openai model gpt-4o-mini does not reason; the reasoning setting was not sent.',
      },
    ]);
    expect(mock.upstream.requests[0]?.body).not.toHaveProperty('reasoning_effort');
    await openai.execute({ ...agentCall, providerOptions: {}, model: 'o4-mini' });
    expect(mock.upstream.requests[1]?.body).toMatchObject({ reasoning_effort: 'high' });
  });
});
