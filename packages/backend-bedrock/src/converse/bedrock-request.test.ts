import type { ChatRequest } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { bedrockConverse } from './index.ts';

const conversation: ChatRequest = {
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Weather in Paris?' },
    {
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'Use the tool.', signature: 'sig-1' },
        { type: 'tool-call', toolCallId: 'tooluse_1', toolName: 'weather', arguments: '{"city":"Paris"}' },
      ],
    },
    {
      role: 'tool',
      content: [{ type: 'tool-result', toolCallId: 'tooluse_1', toolName: 'weather', content: '18°C' }],
    },
    {
      role: 'user',
      content: [{ type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0K' } }],
    },
  ],
  tools: [
    {
      name: 'weather',
      description: 'Weather by city',
      inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
    },
  ],
  toolChoice: { type: 'tool', name: 'weather' },
  maxOutputTokens: 200,
  temperature: 0.2,
  topP: 0.9,
  topK: 40,
  stopSequences: ['END'],
};

describe('bedrock-converse request encoding', () => {
  it('messages, system, tools with toolChoice, inferenceConfig and top_k as Converse fields', () => {
    const { body, warnings } = bedrockConverse.encodeRequest(conversation, {
      model: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
      stream: false,
    });
    expect(warnings).toEqual([]);
    expect(body).toEqual({
      system: [{ text: 'Be brief.' }],
      messages: [
        { role: 'user', content: [{ text: 'Weather in Paris?' }] },
        {
          role: 'assistant',
          content: [
            { reasoningContent: { reasoningText: { text: 'Use the tool.', signature: 'sig-1' } } },
            { toolUse: { toolUseId: 'tooluse_1', name: 'weather', input: { city: 'Paris' } } },
          ],
        },
        {
          role: 'user',
          content: [
            { toolResult: { toolUseId: 'tooluse_1', content: [{ text: '18°C' }] } },
            { image: { format: 'png', source: { bytes: 'iVBORw0K' } } },
          ],
        },
      ],
      inferenceConfig: { maxTokens: 200, temperature: 0.2, topP: 0.9, stopSequences: ['END'] },
      toolConfig: {
        tools: [
          {
            toolSpec: {
              name: 'weather',
              description: 'Weather by city',
              inputSchema: { json: conversation.tools?.[0]?.inputSchema },
            },
          },
        ],
        toolChoice: { tool: { name: 'weather' } },
      },
      additionalModelRequestFields: { top_k: 40 },
    });
  });

  it('the server half reads the body back into the same request', () => {
    const { body } = bedrockConverse.encodeRequest(conversation, { model: 'm', stream: false });
    const call = bedrockConverse.decodeCall(body, {
      model: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
      stream: true,
    });
    expect(call.stream).toBe(true);
    expect(call.request).toEqual({ ...conversation, model: 'anthropic.claude-3-5-sonnet-20240620-v1:0' });
  });

  it('Nova reasoning is reasoningConfig with an effort; unknown fields are refused by name', () => {
    const { body } = bedrockConverse.encodeRequest(
      { messages: [{ role: 'user', content: 'x' }], reasoning: { effort: 'high' } },
      { model: 'us.amazon.nova-premier-v1:0', stream: true },
    );
    expect(body.additionalModelRequestFields).toEqual({
      reasoningConfig: { type: 'enabled', maxReasoningEffort: 'high' },
    });
    expect(() =>
      bedrockConverse.decodeRequest({ messages: [{ role: 'user', content: [{ video: {} }] }] }),
    ).toThrow(/messages\.0\.content\.0/);
  });

  it('what Converse cannot say is a warning, a web image URL an error', () => {
    const { warnings } = bedrockConverse.encodeRequest(
      { messages: [{ role: 'user', content: 'x' }], seed: 1, parallelToolCalls: false },
      { model: 'm', stream: false },
    );
    expect(warnings.map((warning) => warning.setting)).toEqual(['seed', 'parallelToolCalls']);
    expect(() =>
      bedrockConverse.encodeRequest(
        {
          messages: [
            {
              role: 'user',
              content: [{ type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' } }],
            },
          ],
        },
        { model: 'm', stream: false },
      ),
    ).toThrow(/inline \(base64\) or from s3/);
  });
});
