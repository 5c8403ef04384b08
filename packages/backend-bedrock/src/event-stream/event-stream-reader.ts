import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { UpstreamServerError } from 'ai.matey.core';
import type { SseEvent, StreamFrameReader } from 'ai.matey.wire';

/** Above any real ConverseStream event; a bigger frame length is a broken or hostile stream. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;
/** Prelude (total length, headers length, prelude CRC) plus the message CRC. */
const MIN_FRAME_BYTES = 16;

function malformed(message: string, cause?: unknown): UpstreamServerError {
  return new UpstreamServerError({ message, provider: 'bedrock', code: 'malformed_stream', cause });
}

function headerText(
  headers: Record<string, { type: string; value: unknown }>,
  name: string,
): string | undefined {
  const header = headers[name];
  return header?.type === 'string' ? String(header.value) : undefined;
}

/**
 * Reads an `application/vnd.amazon.eventstream` body into events keyed as the recordings are:
 * `{ "<eventType>": payload }`. Frames are cut by their length prelude and decoded (CRCs
 * checked) by AWS's `EventStreamCodec`; a chunk may end anywhere, even inside a prelude. An
 * exception frame (`:message-type: exception`) becomes `{ "<exceptionType>": payload }`, the
 * member ConverseStream's output union gives it; a generic error frame becomes `{ "error": … }`.
 */
export class EventStreamReader implements StreamFrameReader {
  readonly #codec = new EventStreamCodec(toUtf8, fromUtf8);
  readonly #text = new TextDecoder();
  #buffer: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array | string): SseEvent[] {
    const bytes = typeof chunk === 'string' ? fromUtf8(chunk) : chunk;
    this.#buffer = this.#buffer.length === 0 ? bytes : concat(this.#buffer, bytes);
    const events: SseEvent[] = [];
    let offset = 0;
    while (this.#buffer.length - offset >= 4) {
      const view = new DataView(this.#buffer.buffer, this.#buffer.byteOffset + offset, 4);
      const length = view.getUint32(0, false);
      if (length < MIN_FRAME_BYTES || length > MAX_FRAME_BYTES)
        throw malformed(`Bedrock sent an event-stream frame of ${length} bytes`);
      if (this.#buffer.length - offset < length) break;
      events.push(this.#event(this.#buffer.subarray(offset, offset + length)));
      offset += length;
    }
    this.#buffer = offset === 0 ? this.#buffer : this.#buffer.slice(offset);
    return events;
  }

  end(): SseEvent[] {
    if (this.#buffer.length > 0) throw malformed('The event stream ended inside a frame');
    return [];
  }

  #event(frame: Uint8Array): SseEvent {
    let message: ReturnType<EventStreamCodec['decode']>;
    try {
      message = this.#codec.decode(frame);
    } catch (cause) {
      throw malformed('Bedrock sent an event-stream frame that does not decode (checksum or headers)', cause);
    }
    const headers = message.headers as Record<string, { type: string; value: unknown }>;
    const body = this.#text.decode(message.body).trim() || '{}';
    const kind = headerText(headers, ':message-type') ?? 'event';
    if (kind === 'error') {
      const error = {
        code: headerText(headers, ':error-code'),
        message: headerText(headers, ':error-message'),
      };
      return { event: 'error', data: JSON.stringify({ error }) };
    }
    const type =
      (kind === 'exception' ? headerText(headers, ':exception-type') : headerText(headers, ':event-type')) ??
      'unknown';
    // The payload is passed on as text: a broken one fails in the stream decoder, typed.
    return { event: type, data: `{${JSON.stringify(type)}:${body}}` };
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
