/**
 * Malformed upstream streams (issue 11, item 19): a second message spliced into an open one is
 * not passed on as one merged reply. The gateway ends the stream with an error event
 * (`malformed_stream`), as the official Anthropic client throws on the same bytes; the text and
 * tool call of the second message never reach the caller.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../test-gateway.ts';

let fleet: TestFleet;
beforeAll(async () => {
  fleet = await startTestFleet();
});
afterAll(() => fleet.close());

const frame = (data: Record<string, unknown>) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
const messageStart = (id: string) =>
  frame({
    type: 'message_start',
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 5, output_tokens: 1 },
    },
  });
const textBlock = (index: number, text: string) => [
  frame({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }),
  frame({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } }),
  frame({ type: 'content_block_stop', index }),
];
const toolBlock = (index: number) => [
  frame({
    type: 'content_block_start',
    index,
    content_block: { type: 'tool_use', id: 'toolu_2', name: 'transfer', input: {} },
  }),
  frame({
    type: 'content_block_delta',
    index,
    delta: { type: 'input_json_delta', partial_json: '{"to":"x"}' },
  }),
  frame({ type: 'content_block_stop', index }),
];
const SPLICED = [
  messageStart('msg_first'),
  ...textBlock(0, 'first message'),
  messageStart('msg_second'),
  ...textBlock(0, 'second message'),
  ...toolBlock(1),
  frame({
    type: 'message_delta',
    delta: { stop_reason: 'tool_use', stop_sequence: null },
    usage: { output_tokens: 9 },
  }),
  frame({ type: 'message_stop' }),
];

describe('an Anthropic stream that starts a second message inside the first', () => {
  it('is refused by the official client read straight from the upstream (the reference)', async () => {
    fleet.upstreams.anthropic.setReply({ frames: SPLICED });
    const direct = new Anthropic({ apiKey: 'unused', baseURL: fleet.upstreams.anthropic.url, maxRetries: 0 });
    const stream = direct.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'hi' }],
    });
    await expect(stream.finalMessage()).rejects.toThrow(/Unexpected event order, got message_start/);
  });

  it('reaches an Anthropic caller as the first text, then an error event', async () => {
    fleet.upstreams.anthropic.setReply({ frames: SPLICED });
    const client = new Anthropic({ apiKey: 'unused', baseURL: fleet.url, maxRetries: 0 });
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'hi' }],
    });
    let text = '';
    stream.on('text', (delta) => {
      text += delta;
    });
    const failure = await stream.finalMessage().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    expect(String(failure)).toMatch(/second message_start arrived before message_stop/);
    expect(text).toBe('first message');
  });

  it('reaches an OpenAI caller as the first text, then an error, and no tool call', async () => {
    fleet.upstreams.anthropic.setReply({ frames: SPLICED });
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${fleet.url}/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'claude-sonnet-4-5',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    let text = '';
    let toolCalls = 0;
    const failure = await (async () => {
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        toolCalls += chunk.choices[0]?.delta.tool_calls?.length ?? 0;
      }
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(String(failure)).toMatch(/Malformed stream/);
    expect(text).toBe('first message');
    expect(toolCalls).toBe(0);
  });
});

describe('an OpenAI stream that splices in chunks of another completion', () => {
  it('ends with an error event after the first completion text', async () => {
    const chunk = (id: string, content: string) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
    fleet.upstreams.openai.setReply({
      frames: [chunk('chatcmpl-a', 'first '), chunk('chatcmpl-b', 'second'), 'data: [DONE]\n\n'],
    });
    const response = await fetch(`${fleet.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    const text = await response.text();
    expect(text).toContain('first ');
    expect(text).not.toContain('second');
    expect(text).toMatch(/"code":"malformed_stream"/);
  });
});
