import {
  type AiMateyError,
  NetworkError,
  type StreamEvent,
  UpstreamServerError,
  type Usage,
} from 'ai.matey.core';
import { type DecodeContext, mintId, type SseEvent, type StreamDecoder } from 'ai.matey.wire';
import { decodeBedrockError } from './bedrock-error.ts';
import { isJsonModeRequest } from './bedrock-json-mode.ts';
import { replyMetadata } from './bedrock-response.ts';
import { BedrockStreamBlocks } from './bedrock-stream-blocks.ts';
import type { BedrockUsage } from './bedrock-types.ts';
import { finishReasonFromBedrock, usageFromBedrock } from './bedrock-usage.ts';

type Json = Record<string, unknown>;

function record(value: unknown): Json {
  return typeof value === 'object' && value !== null ? (value as Json) : {};
}

/**
 * ConverseStream events as spec stream events. Each event arrives as `{ "<eventType>": payload }`
 * (the shape of the recordings, and what the event-stream reader makes of a binary frame).
 * Bedrock sends `messageStop` (the stop reason) and `metadata` (usage) in either order, so the
 * finish goes out once both are in, or when the stream closes after `messageStop`. An exception
 * event (`throttlingException`, …) ends the stream with its typed error.
 */
export class BedrockStreamDecoder implements StreamDecoder {
  readonly #context: DecodeContext;
  readonly #blocks: BedrockStreamBlocks;
  #started = false;
  #done = false;
  #stop: { reason: string; fields: unknown } | undefined;
  #usage: Usage | undefined;
  #metadata: { metrics?: unknown; trace?: unknown } | undefined;

  constructor(context: DecodeContext) {
    this.#context = context;
    this.#blocks = new BedrockStreamBlocks(isJsonModeRequest(context.request));
  }

  push(event: SseEvent): StreamEvent[] {
    if (this.#done || event.data.trim() === '') return [];
    let data: Json;
    try {
      data = record(JSON.parse(event.data));
    } catch (cause) {
      return this.#fail(
        new UpstreamServerError({
          message: 'Bedrock sent a stream event that is not JSON',
          provider: this.#context.provider,
          cause,
        }),
      );
    }
    const type = Object.keys(data)[0] ?? event.event ?? '';
    const payload = record(data[type]);
    if (/exception$/i.test(type) || type === 'error') {
      return this.#fail(decodeBedrockError(0, { ...payload, __type: type }, undefined, this.#context));
    }
    const events: StreamEvent[] = [];
    if (!this.#started) {
      this.#started = true;
      events.push({
        type: 'start',
        id: mintId('bedrock-'),
        model: this.#context.request?.model ?? '',
        provider: this.#context.provider,
      });
    }
    const blockIndex = Number(payload.contentBlockIndex);
    switch (type) {
      case 'contentBlockStart':
        events.push(...this.#blocks.start(blockIndex, record(payload.start)));
        break;
      case 'contentBlockDelta':
        events.push(...this.#blocks.delta(blockIndex, record(payload.delta)));
        break;
      case 'contentBlockStop':
        events.push(...this.#blocks.stop(blockIndex));
        break;
      case 'messageStop':
        this.#stop = {
          reason: typeof payload.stopReason === 'string' ? payload.stopReason : '',
          fields: payload.additionalModelResponseFields,
        };
        if (this.#metadata) events.push(...this.#finish());
        break;
      case 'metadata':
        this.#metadata = { metrics: payload.metrics, trace: payload.trace };
        if (payload.usage !== undefined) {
          this.#usage = usageFromBedrock(payload.usage as BedrockUsage);
          events.push({ type: 'usage', usage: this.#usage });
        }
        if (this.#stop) events.push(...this.#finish());
        break;
      default:
        // messageStart, and event types newer than this codec.
        break;
    }
    return events;
  }

  end(): StreamEvent[] {
    if (this.#done) return [];
    if (this.#stop) return this.#finish();
    return this.#fail(
      new NetworkError({ message: 'stream ended before it completed', provider: this.#context.provider }),
    );
  }

  #finish(): StreamEvent[] {
    const events = this.#blocks.stopAll();
    this.#done = true;
    const stop = this.#stop?.reason || undefined;
    events.push({
      type: 'finish',
      finishReason: finishReasonFromBedrock(
        stop,
        isJsonModeRequest(this.#context.request) && this.#blocks.noToolCalls,
      ),
      ...(stop ? { rawFinishReason: stop } : {}),
      usage: this.#usage ?? usageFromBedrock(undefined),
      ...replyMetadata({ ...this.#metadata, additionalModelResponseFields: this.#stop?.fields }),
    });
    return events;
  }

  #fail(error: AiMateyError): StreamEvent[] {
    this.#done = true;
    return [{ type: 'error', error }];
  }
}
