/**
 * Strict stream decoding (issue 11, item 19): each codec's decoder ends a stream that splices a
 * second reply into the first with a `malformed_stream` error event, and tolerates what real
 * providers do (the recorded repeat of Anthropic's own message_start is covered in its fixtures).
 */
import type { StreamEvent } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { anthropicMessages } from './anthropic-messages/index.ts';
import { gemini } from './gemini/index.ts';
import { openaiChat } from './openai-chat/index.ts';

function decode(codec: typeof openaiChat, chunks: unknown[]): StreamEvent[] {
  const decoder = codec.createStreamDecoder({ provider: 'test' });
  return chunks.flatMap((chunk) => decoder.push({ data: JSON.stringify(chunk) }));
}

const errorCode = (events: StreamEvent[]) => {
  const last = events.at(-1);
  return last?.type === 'error' ? last.error.code : undefined;
};

describe('a spliced stream', () => {
  it('anthropic: a message_start with a new id inside an open message', () => {
    const start = (id: string) => ({ type: 'message_start', message: { id, model: 'm', usage: {} } });
    const events = decode(anthropicMessages, [
      start('msg_a'),
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'a' } },
      start('msg_b'),
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'b' } },
    ]);
    expect(errorCode(events)).toBe('malformed_stream');
    expect(events.filter((event) => event.type === 'text-delta')).toHaveLength(1);
  });

  it('anthropic: a repeat of the same message_start after content began', () => {
    const start = { type: 'message_start', message: { id: 'msg_a', model: 'm', usage: {} } };
    const block = { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } };
    expect(errorCode(decode(anthropicMessages, [start, block, start]))).toBe('malformed_stream');
    expect(errorCode(decode(anthropicMessages, [start, start, block]))).toBeUndefined();
  });

  it('anthropic: content before any message_start', () => {
    const events = decode(anthropicMessages, [
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'orphan' } },
    ]);
    expect(errorCode(events)).toBe('malformed_stream');
  });

  it('openai: a chunk of another completion id', () => {
    const chunk = (id: string) => ({ id, model: 'm', choices: [{ index: 0, delta: { content: id } }] });
    expect(errorCode(decode(openaiChat, [chunk('a'), chunk('b')]))).toBe('malformed_stream');
    // An empty id (Azure's prompt-filter chunk) is no other completion.
    expect(errorCode(decode(openaiChat, [{ id: '', choices: [] }, chunk('a'), chunk('a')]))).toBeUndefined();
  });

  it('gemini: a chunk of another responseId', () => {
    const chunk = (responseId: string) => ({
      responseId,
      candidates: [{ content: { role: 'model', parts: [{ text: responseId }] } }],
    });
    expect(errorCode(decode(gemini, [chunk('r1'), chunk('r2')]))).toBe('malformed_stream');
    expect(errorCode(decode(gemini, [chunk('r1'), chunk('r1')]))).toBeUndefined();
  });
});
