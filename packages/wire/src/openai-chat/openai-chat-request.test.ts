import type { ChatRequest } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { fullRequest } from '../test-support/openai-chat-full-request.ts';
import { openaiChat } from './index.ts';

describe('openai-chat request round trip', () => {
  it('decodes what it encodes, for everything OpenAI can express (DeepSeek, with reasoning in history)', () => {
    const { body, warnings } = openaiChat.encodeRequest(fullRequest, {
      model: 'deepseek-chat',
      stream: false,
      provider: 'deepseek',
    });
    expect(warnings).toEqual([]);
    expect(openaiChat.decodeRequest(JSON.parse(JSON.stringify(body)))).toEqual(fullRequest);
  });

  it('round-trips each tool choice and response format', () => {
    const choices: ChatRequest['toolChoice'][] = ['auto', 'none', 'required', { type: 'tool', name: 'noop' }];
    const formats: ChatRequest['responseFormat'][] = [
      { type: 'text' },
      { type: 'json' },
      { type: 'json-schema', name: 'x', schema: { type: 'object' } },
    ];
    for (const toolChoice of choices) {
      for (const responseFormat of formats) {
        const request: ChatRequest = {
          model: 'gpt-4o',
          messages: [{ role: 'user', content: 'hi' }],
          tools: [{ name: 'noop', inputSchema: { type: 'object', properties: {} } }],
          toolChoice,
          responseFormat,
        };
        const { body } = openaiChat.encodeRequest(request, {
          model: 'gpt-4o',
          stream: false,
          provider: 'openai',
        });
        expect(openaiChat.decodeRequest(body)).toEqual(request);
      }
    }
  });

  it('keeps OpenAI-only fields through an OpenAI-to-OpenAI passthrough', () => {
    const inbound = {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
      n: 2,
      logprobs: true,
      top_logprobs: 3,
      store: true,
      metadata: { team: 'search' },
      service_tier: 'flex',
      logit_bias: { '50256': -100 },
      reasoning_effort: 'xhigh',
      tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [] } },
    };
    const request = openaiChat.decodeRequest(inbound);
    const { body } = openaiChat.encodeRequest(request, {
      model: 'gpt-4o',
      stream: false,
      provider: 'openai',
    });
    expect(body).toEqual(inbound);
  });
});
