/**
 * The checks `packages/wire/src/wire-protocol-module.test.ts` makes of every built-in codec, made
 * of this one (it lives in a package the wire package cannot import), and the server half's
 * stream written through the event-stream framing and read back by the client half.
 */
import {
  type ChatRequest,
  type ChatResponse,
  collectStream,
  responseToEvents,
  type StreamEvent,
} from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { eventStreamFraming } from '../event-stream/event-stream-framing.ts';
import { bedrockConverse as codec } from './index.ts';

const hello: ChatRequest = { messages: [{ role: 'user', content: 'ping' }] };

describe('the bedrock-converse module', () => {
  it('reads back the model list it writes', () => {
    const decoded = codec.endpoints.decodeModelList(
      codec.encodeModelList([{ id: 'model-a' }, { id: 'model-b' }]),
    );
    expect(decoded?.map((model) => model.id)).toEqual(['model-a', 'model-b']);
    expect(codec.endpoints.matchModelsCall('/foundation-models', {})).toBe('certain');
  });

  it.each([false, true])('reads the chat path it calls back into the call (stream: %s)', (stream) => {
    const base = codec.endpoints.versionedPath('/api');
    for (const model of [
      'some-model',
      'us.anthropic.claude-3-5-haiku-20241022-v1:0',
      'arn:aws:bedrock:us-east-1:1:inference-profile/x',
    ]) {
      expect(codec.endpoints.parseChatPath(codec.endpoints.chatPath(base, model, stream))).toEqual({
        model,
        stream,
      });
    }
    expect(codec.endpoints.parseChatPath(`${base}/not-a-call`)).toBeUndefined();
    expect(codec.endpoints.parseChatPath('/model/a/b/converse')).toBeUndefined();
  });

  it('decodes the call it encodes, model and streaming from the path', () => {
    const body = codec.encodeRequest(hello, { model: 'body-model', stream: false }).body;
    expect(body.model).toBeUndefined();
    const call = codec.decodeCall(body, { model: 'path-model', stream: true });
    expect(call.request).toEqual({ ...hello, model: 'path-model' });
    expect(call.stream).toBe(true);
  });
});

describe('the server half stream, framed and read back', () => {
  const response: ChatResponse = {
    id: 'x',
    model: 'm',
    provider: 'bedrock',
    content: [
      { type: 'reasoning', text: 'Think first.', signature: 'c2lnbmF0dXJl' },
      { type: 'text', text: 'Calling the tool.' },
      { type: 'tool-call', toolCallId: 'tooluse_a', toolName: 'lookup', arguments: '{"q":"ß ✓"}' },
    ],
    finishReason: 'tool-calls',
    rawFinishReason: 'tool_use',
    usage: { inputTokens: 30, outputTokens: 12, totalTokens: 42, cachedInputTokens: 10, cacheWriteTokens: 5 },
    warnings: [],
  };

  it('collects to the same response, cache tokens included', async () => {
    const encoder = codec.createStreamEncoder();
    const sse =
      responseToEvents(response)
        .map((event) => encoder.encode(event))
        .join('') + encoder.end();
    const bytes = eventStreamFraming.frame(sse);
    const reader = eventStreamFraming.createReader();
    const decoder = codec.createStreamDecoder({ provider: 'bedrock' });
    const events: StreamEvent[] = [];
    for (let at = 0; at < bytes.length; at += 13)
      for (const event of reader.push(bytes.subarray(at, at + 13))) events.push(...decoder.push(event));
    events.push(...decoder.end());
    const collected = await collectStream(
      (async function* () {
        yield* events;
      })(),
    );
    expect(collected.content).toEqual(response.content);
    expect(collected.finishReason).toBe('tool-calls');
    expect(collected.usage).toEqual(response.usage);
  });

  it('the wire usage counts cache reads and writes apart from inputTokens, as Bedrock does', () => {
    const body = codec.encodeResponse(response) as { usage: Record<string, number> };
    expect(body.usage).toEqual({
      inputTokens: 15,
      outputTokens: 12,
      totalTokens: 42,
      cacheReadInputTokens: 10,
      cacheWriteInputTokens: 5,
    });
  });
});
