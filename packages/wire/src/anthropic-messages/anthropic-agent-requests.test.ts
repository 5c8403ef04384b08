import { describe, expect, it } from 'vitest';
import { readAnthropicBetas } from './anthropic-betas.ts';
import { anthropicMessages } from './index.ts';

/** What Claude Code 2.1 sends for a model it does not know, in small. */
const agentBody = {
  model: 'gpt-4o-mini',
  max_tokens: 32_000,
  system: [{ type: 'text', text: 'You are an agent.' }],
  messages: [
    { role: 'user', content: [{ type: 'text', text: 'Read note.txt' }] },
    {
      role: 'system',
      content: [{ type: 'text', text: '# Environment', cache_control: { type: 'ephemeral' } }],
    },
  ],
  thinking: { type: 'adaptive', display: 'omitted' },
  context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
  output_config: { effort: 'high' },
  metadata: { user_id: '{"device_id":"d"}' },
  stream: true,
};

const betaHeaders = {
  'anthropic-beta': 'claude-code-20250219,context-management-2025-06-27, effort-2025-11-24',
};

describe('anthropic-messages: what agent clients send', () => {
  it('reads a system message inside messages as a spec system message at its place', () => {
    const request = anthropicMessages.decodeRequest(agentBody);
    expect(request.messages.map((message) => message.role)).toEqual(['system', 'user', 'system']);
    expect(request.messages[2]).toEqual({
      role: 'system',
      content: [
        {
          type: 'text',
          text: '# Environment',
          providerMetadata: { anthropic: { cacheControl: { type: 'ephemeral' } } },
        },
      ],
    });
  });

  it('maps adaptive thinking and output_config.effort to the reasoning effort, keeping both for Anthropic', () => {
    const request = anthropicMessages.decodeRequest(agentBody);
    expect(request.reasoning).toEqual({ effort: 'high' });
    expect(request.providerOptions?.anthropic).toEqual({
      thinking: { type: 'adaptive', display: 'omitted' },
      output_config: { effort: 'high' },
      context_management: agentBody.context_management,
    });
    const max = anthropicMessages.decodeRequest({ ...agentBody, output_config: { effort: 'max' } });
    expect(max.reasoning).toEqual({ effort: 'high' });
    const low = anthropicMessages.decodeRequest({ ...agentBody, output_config: { effort: 'low' } });
    expect(low.reasoning).toEqual({ effort: 'low' });
    const adaptiveOnly = anthropicMessages.decodeRequest({ ...agentBody, output_config: undefined });
    expect(adaptiveOnly.reasoning).toEqual({ effort: 'high' });
  });

  it('leaves effort without thinking to an Anthropic upstream (elsewhere it would switch thinking on)', () => {
    const request = anthropicMessages.decodeRequest({ ...agentBody, thinking: undefined });
    expect(request.reasoning).toBeUndefined();
    expect(request.providerOptions?.anthropic?.output_config).toEqual({ effort: 'high' });
  });

  it('a system message that opens the current turn sets its effort', () => {
    const request = anthropicMessages.decodeRequest({
      ...agentBody,
      messages: [
        ...agentBody.messages,
        { role: 'system', content: 'Think less.', output_config: { effort: 'low' } },
      ],
    });
    expect(request.reasoning).toEqual({ effort: 'low' });
  });

  it('drops a system message that clear_at retired once a later user turn exists', () => {
    const request = anthropicMessages.decodeRequest({
      ...agentBody,
      system: undefined,
      messages: [
        { role: 'user', content: 'one' },
        { role: 'system', content: 'only for this turn', clear_at: 'next_user_message' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: 'two' },
        { role: 'system', content: 'still current', clear_at: 'next_user_message' },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'two' },
      { role: 'system', content: 'still current' },
    ]);
  });

  it('maps output_config.format and output_format to a JSON schema response format', () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } } };
    for (const body of [
      { ...agentBody, output_config: { effort: 'low', format: { type: 'json_schema', schema } } },
      { ...agentBody, output_config: undefined, output_format: { type: 'json_schema', schema } },
    ]) {
      const request = anthropicMessages.decodeRequest(body);
      expect(request.responseFormat).toEqual({ type: 'json-schema', schema });
      expect(JSON.stringify(request.providerOptions)).not.toContain('json_schema');
    }
  });

  it('refuses a system message with a block type it cannot hold, naming it', () => {
    expect(() =>
      anthropicMessages.decodeRequest({
        ...agentBody,
        messages: [{ role: 'system', content: [{ type: 'image', source: { type: 'url', url: 'x' } }] }],
      }),
    ).toThrow(/messages\.0\.content/);
    expect(() =>
      anthropicMessages.decodeRequest({ ...agentBody, messages: [{ role: 'robot', content: 'x' }] }),
    ).toThrow(/messages\.0\.role/);
  });

  it('carries the anthropic-beta header values as betas, sent back to Anthropic as a header', () => {
    expect(readAnthropicBetas({ 'anthropic-beta': ['a-1, b-2', 'a-1', 'bad value!'] })).toEqual([
      'a-1',
      'b-2',
    ]);
    const { request } = anthropicMessages.decodeCall(agentBody, {}, betaHeaders);
    expect(request.providerOptions?.anthropic?.betas).toEqual([
      'claude-code-20250219',
      'context-management-2025-06-27',
      'effort-2025-11-24',
    ]);
    const encoded = anthropicMessages.encodeRequest(request, {
      model: 'claude-sonnet-4-5',
      stream: true,
      provider: 'anthropic',
    });
    expect(encoded.headers).toEqual({
      'anthropic-beta': 'claude-code-20250219,context-management-2025-06-27,effort-2025-11-24',
    });
    expect(encoded.body.betas).toBeUndefined();
    // The Anthropic upstream gets adaptive thinking and output_config as the client sent them.
    expect(encoded.body.thinking).toEqual({ type: 'adaptive', display: 'omitted' });
    expect(encoded.body.output_config).toEqual({ effort: 'high' });
    expect(encoded.body.context_management).toEqual(agentBody.context_management);
  });

  it('sends the mid-conversation system message to OpenAI in place, with the reasoning effort', async () => {
    const { openaiChat } = await import('../openai-chat/index.ts');
    const { request } = anthropicMessages.decodeCall(agentBody, {}, betaHeaders);
    const { body } = openaiChat.encodeRequest(request, {
      model: 'o4-mini',
      stream: false,
      provider: 'openai',
    });
    expect((body.messages as Array<{ role: string }>).map((message) => message.role)).toEqual([
      'system',
      'user',
      'system',
    ]);
    expect(body.reasoning_effort).toBe('high');
    expect(body).not.toHaveProperty('context_management');
    expect(body).not.toHaveProperty('betas');
  });

  it('takes an effort level or clear_at value newer than this version instead of refusing it', () => {
    const request = anthropicMessages.decodeRequest({
      ...agentBody,
      output_config: { effort: 'ultra' },
      messages: [...agentBody.messages, { role: 'system', content: 'kept', clear_at: 'next_week' }],
    });
    expect(request.reasoning).toEqual({ effort: 'high' });
    expect(request.providerOptions?.anthropic?.output_config).toEqual({ effort: 'ultra' });
    expect(request.messages.at(-1)).toEqual({ role: 'system', content: 'kept' });
  });
});
