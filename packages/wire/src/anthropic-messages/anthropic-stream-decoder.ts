import { type AiMateyError, NetworkError, type StreamEvent, UpstreamServerError } from 'ai.matey.core';
import type { DecodeContext, StreamDecoder } from '../codec.ts';
import type { SseEvent } from '../sse/sse-parser.ts';
import { decodeAnthropicError } from './anthropic-error.ts';
import { isJsonModeRequest } from './anthropic-json-mode.ts';
import { replyMetadata } from './anthropic-response.ts';
import { finishReasonFromAnthropic } from './anthropic-stop-reason.ts';
import { AnthropicStreamBlocks } from './anthropic-stream-blocks.ts';
import type { AnthropicUsage } from './anthropic-types.ts';
import { mergeAnthropicUsage, usageFromAnthropic } from './anthropic-usage.ts';

/** Events that belong inside a message: none may come before its message_start. */
const MESSAGE_EVENTS = new Set([
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
]);

/**
 * Anthropic's SSE events as spec stream events.
 *
 * The spec `index` is the part's position in the final content, looked up through a table by
 * Anthropic's block index: blocks with no spec part (`fallback`, server tools) take no
 * position, and the forced `json` tool of JSON mode becomes a text part. A text or reasoning
 * block that streamed nothing still yields one empty delta, so every block has its part and a
 * collected stream equals the non-streamed reply. Thinking signatures are passed on piece by
 * piece (the spec accumulator joins them); usage counters are cumulative, so the latest wins.
 */
export class AnthropicStreamDecoder implements StreamDecoder {
  readonly #context: DecodeContext;
  readonly #blocks: AnthropicStreamBlocks;
  #started = false;
  #messageId = '';
  #done = false;
  #usage: AnthropicUsage = {};
  #stopReason: string | null = null;
  #stopSequence: string | null = null;
  #stopDetails: unknown;

  constructor(context: DecodeContext) {
    this.#context = context;
    this.#blocks = new AnthropicStreamBlocks(isJsonModeRequest(context.request));
  }

  push(event: SseEvent): StreamEvent[] {
    if (this.#done || event.data.trim() === '') return [];
    let data: Json;
    try {
      data = record(JSON.parse(event.data));
    } catch (cause) {
      return this.#fail(
        new UpstreamServerError({
          message: 'Anthropic sent a stream event that is not JSON',
          provider: this.#context.provider,
          cause,
        }),
      );
    }
    const type = typeof data.type === 'string' ? data.type : event.event;
    if (!this.#started && MESSAGE_EVENTS.has(type ?? ''))
      return this.#fail(this.#malformed(`${type} arrived before message_start`));
    switch (type) {
      case 'message_start':
        return this.#start(record(data.message));
      case 'content_block_start':
        return this.#blocks.start(Number(data.index), record(data.content_block));
      case 'content_block_delta':
        return this.#blocks.delta(Number(data.index), record(data.delta));
      case 'content_block_stop':
        return this.#blocks.stop(Number(data.index));
      case 'message_delta': {
        const delta = record(data.delta);
        if ('stop_reason' in delta)
          this.#stopReason = typeof delta.stop_reason === 'string' ? delta.stop_reason : null;
        if ('stop_sequence' in delta)
          this.#stopSequence = typeof delta.stop_sequence === 'string' ? delta.stop_sequence : null;
        if (delta.stop_details != null) this.#stopDetails = delta.stop_details;
        this.#usage = mergeAnthropicUsage(this.#usage, record(data.usage));
        return [{ type: 'usage', usage: usageFromAnthropic(this.#usage) }];
      }
      case 'message_stop':
        return this.#finish();
      case 'error':
        return this.#fail(decodeAnthropicError(0, data, undefined, this.#context));
      default:
        // `ping` and event types newer than this codec.
        return [];
    }
  }

  end(): StreamEvent[] {
    if (this.#done) return [];
    return this.#fail(
      new NetworkError({ message: 'stream ended before it completed', provider: this.#context.provider }),
    );
  }

  #malformed(why: string): UpstreamServerError {
    return new UpstreamServerError({
      message: `Malformed stream from ${this.#context.provider}: ${why}`,
      provider: this.#context.provider,
      code: 'malformed_stream',
    });
  }

  #fail(error: AiMateyError): StreamEvent[] {
    this.#done = true;
    return [{ type: 'error', error }];
  }

  #start(message: Json): StreamEvent[] {
    if (this.#started) {
      // A recorded stream repeats its own message_start before any content: harmless, skipped.
      // Any other (a new id, or after content began) splices a second message into the first,
      // which the official client refuses too: the stream ends with an error, not a merged reply.
      if (text(message.id) === this.#messageId && this.#blocks.size === 0) return [];
      return this.#fail(this.#malformed('a second message_start arrived before message_stop'));
    }
    this.#started = true;
    this.#messageId = text(message.id);
    this.#usage = mergeAnthropicUsage({}, record(message.usage));
    return [
      { type: 'start', id: text(message.id), model: text(message.model), provider: this.#context.provider },
    ];
  }

  #finish(): StreamEvent[] {
    const events = this.#blocks.stopAll();
    this.#done = true;
    events.push({
      type: 'finish',
      finishReason: finishReasonFromAnthropic(this.#stopReason, this.#blocks.onlyJson),
      ...(this.#stopReason ? { rawFinishReason: this.#stopReason } : {}),
      usage: usageFromAnthropic(this.#usage),
      ...replyMetadata({
        stopSequence: this.#stopSequence,
        stopDetails: this.#stopDetails,
        otherBlocks: this.#blocks.otherBlocks,
      }),
    });
    return events;
  }
}

type Json = Record<string, unknown>;

function record(value: unknown): Json {
  return typeof value === 'object' && value !== null ? (value as Json) : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
