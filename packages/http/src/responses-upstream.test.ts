/**
 * Chat Completions and Anthropic Messages clients served by a Responses API upstream (a model
 * that exists only there), replaying recorded Responses replies: the official clients read the
 * same text, tool calls and usage the recording holds.
 */
import Anthropic from '@anthropic-ai/sdk';
import { responseText } from 'ai.matey.core';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ProtocolFleet, recordedReply, startProtocolFleet } from './responses-test-fleet.ts';

let fleet: ProtocolFleet;
beforeAll(async () => {
  fleet = await startProtocolFleet();
});
afterAll(() => fleet.close());
beforeEach(() => fleet.upstreams['openai-responses'].reset());

const model = 'responses/gpt-5-codex';
const upstream = () => fleet.upstreams['openai-responses'];

describe('a Responses API upstream', () => {
  it.each([false, true])('serves the OpenAI chat client (stream: %s)', async (stream) => {
    const chat = new OpenAI({ apiKey: 'unused', baseURL: `${fleet.url}/v1`, maxRetries: 0 });
    const recorded = await recordedReply('openai-responses', 'azure-tool-call.1', stream);
    upstream().enqueue({ fixture: 'azure-tool-call.1' });
    const params = {
      model,
      messages: [
        { role: 'system' as const, content: 'Be brief.' },
        { role: 'user' as const, content: 'Weather in San Francisco?' },
      ],
      tools: [
        {
          type: 'function' as const,
          function: {
            name: 'weather',
            parameters: { type: 'object', properties: { location: { type: 'string' } } },
          },
        },
      ],
    };
    const completion = stream
      ? await chat.chat.completions
          .stream({ ...params, stream_options: { include_usage: true } })
          .finalChatCompletion()
      : await chat.chat.completions.create(params);
    const call = completion.choices[0]?.message.tool_calls?.[0];
    const want = recorded.content.find((part) => part.type === 'tool-call');
    expect(call?.type === 'function' ? call.function.name : '').toBe(
      want?.type === 'tool-call' ? want.toolName : '?',
    );
    expect(call?.id).toBe(want?.type === 'tool-call' ? want.toolCallId : '?');
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.usage?.prompt_tokens).toBe(recorded.usage.inputTokens);
    // What went upstream is a Responses body: instructions, input items, flat function tools.
    const sent = upstream().requests.at(-1)?.body as Record<string, unknown>;
    expect(sent.instructions).toBe('Be brief.');
    expect(sent.input).toEqual([{ type: 'message', role: 'user', content: 'Weather in San Francisco?' }]);
    expect(sent.tools).toMatchObject([{ type: 'function', name: 'weather' }]);
    expect(upstream().requests.at(-1)?.path).toBe('/v1/responses');
  });

  it.each([false, true])('serves the Anthropic client (stream: %s)', async (stream) => {
    const anthropic = new Anthropic({ apiKey: 'unused', baseURL: fleet.url, maxRetries: 0 });
    const recorded = await recordedReply('openai-responses', 'azure-text.1', stream);
    upstream().enqueue({ fixture: 'azure-text.1' });
    const params = { model, max_tokens: 200, messages: [{ role: 'user' as const, content: 'Hello' }] };
    const message = stream
      ? await anthropic.messages.stream(params).finalMessage()
      : await anthropic.messages.create(params);
    const text = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    expect(text).toBe(responseText(recorded));
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.output_tokens).toBe(recorded.usage.outputTokens);
    const sent = upstream().requests.at(-1)?.body as Record<string, unknown>;
    expect(sent.max_output_tokens).toBe(200);
  });

  it('passes an in-band upstream error on to a Responses client and to a Chat client', async () => {
    const responses = new OpenAI({ apiKey: 'unused', baseURL: `${fleet.url}/v1`, maxRetries: 0 });
    upstream().enqueue({ fixture: 'openai-error.1' }, { fixture: 'openai-error.1' });
    const seen: string[] = [];
    const failed = await (async () => {
      for await (const event of await responses.responses.create({ model, input: 'hi', stream: true }))
        seen.push(event.type);
    })().catch((caught: unknown) => caught);
    expect(failed).toBeInstanceOf(OpenAI.APIError);
    expect((failed as InstanceType<typeof OpenAI.APIError>).code).toBe('insufficient_quota');
    expect(seen.slice(0, 2)).toEqual(['response.created', 'response.in_progress']);

    const chat = await (async () => {
      const stream = await responses.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      });
      for await (const _chunk of stream);
    })().catch((caught: unknown) => caught);
    expect(chat).toBeInstanceOf(OpenAI.APIError);
    expect(String((chat as Error).message)).toMatch(/quota/);
  });
});
