import { UpstreamServerError } from 'ai.matey.core';

/** One server-sent event: its `event:` name (if any) and its `data:` lines joined by `\n`. */
export interface SseEvent {
  event?: string;
  data: string;
  id?: string;
}

export interface SseParserOptions {
  /**
   * Largest event accepted, in characters of its lines (field names included). A bigger one
   * throws `UpstreamServerError` (code `sse_event_too_large`) as soon as it passes the limit, so
   * a peer cannot make us hold an endless event in memory. Default 16 MiB.
   */
  maxEventBytes?: number;
}

/** The default cap on one SSE event: above any real provider event (images included). */
export const DEFAULT_MAX_SSE_EVENT_BYTES = 16 * 1024 * 1024;

/**
 * An incremental parser for the `text/event-stream` format (WHATWG HTML §9.2): lines end in
 * `\n`, `\r\n` or `\r`; a blank line dispatches; several `data:` lines join with `\n`; lines
 * starting with `:` are comments; a chunk may end anywhere, even inside a line or a `\r\n`.
 *
 * Linear in the input: each chunk is scanned once, and the unfinished line is kept as a list of
 * pieces joined only when its end arrives (re-scanning a growing buffer made one 60 MB event
 * cost 20 s).
 */
export class SseParser {
  /** The unfinished line, in pieces; it holds no line end. */
  #pending: string[] = [];
  #pendingLength = 0;
  #data: string[] = [];
  #event: string | undefined;
  #id: string | undefined;
  /** Characters of the event so far (complete lines). */
  #eventLength = 0;
  #pendingCarriageReturn = false;
  readonly #decoder = new TextDecoder();
  readonly #maxEventBytes: number;

  constructor(options: SseParserOptions = {}) {
    this.#maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_SSE_EVENT_BYTES;
  }

  /** Feeds text or bytes; returns the events completed by it. Throws when an event passes the cap. */
  push(chunk: string | Uint8Array): SseEvent[] {
    let text = typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true });
    if (this.#pendingCarriageReturn) {
      this.#pendingCarriageReturn = false;
      if (text.startsWith('\n')) text = text.slice(1);
    }
    const events: SseEvent[] = [];
    // Line ends found natively: `\n` alone when the text has no `\r` (the common case).
    let nextCarriageReturn = text.indexOf('\r');
    let nextNewline = -1;
    let start = 0;
    for (;;) {
      let end: number;
      let next: number;
      if (nextCarriageReturn !== -1) {
        // Each search resumes past the previous hit, so mixed line ends stay one pass.
        if (nextNewline < start && nextNewline !== Number.MAX_SAFE_INTEGER) {
          nextNewline = text.indexOf('\n', start);
          if (nextNewline === -1) nextNewline = Number.MAX_SAFE_INTEGER;
        }
        if (nextCarriageReturn < start) {
          nextCarriageReturn = text.indexOf('\r', start);
          if (nextCarriageReturn === -1) nextCarriageReturn = Number.MAX_SAFE_INTEGER;
        }
        end = Math.min(nextNewline, nextCarriageReturn);
        if (end === Number.MAX_SAFE_INTEGER) break;
        next = end + 1;
        if (text.charCodeAt(end) === 13) {
          if (next === text.length) this.#pendingCarriageReturn = true;
          else if (text.charCodeAt(next) === 10) next++;
        }
      } else {
        end = text.indexOf('\n', start);
        if (end === -1) break;
        next = end + 1;
      }
      const event = this.#line(this.#takeLine(text.slice(start, end)));
      start = next;
      if (event) events.push(event);
    }
    if (start < text.length) {
      const rest = start === 0 ? text : text.slice(start);
      this.#pending.push(rest);
      this.#pendingLength += rest.length;
      this.#checkSize(this.#eventLength + this.#pendingLength);
    }
    return events;
  }

  /** The input ended: a last event without its blank line is still dispatched. */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.#pendingLength > 0) {
      const event = this.#line(this.#takeLine(''));
      if (event) events.push(event);
    }
    const last = this.#dispatch();
    if (last) events.push(last);
    return events;
  }

  /** The unfinished line's pieces plus its last piece, as one string. */
  #takeLine(tail: string): string {
    if (this.#pending.length === 0) return tail;
    this.#pending.push(tail);
    const line = this.#pending.length === 2 ? `${this.#pending[0]}${tail}` : this.#pending.join('');
    this.#pending = [];
    this.#pendingLength = 0;
    return line;
  }

  #line(line: string): SseEvent | undefined {
    if (line === '') return this.#dispatch();
    if (line.charCodeAt(0) === 58) return undefined; // ':' comment
    this.#eventLength += line.length + 1;
    this.#checkSize(this.#eventLength);
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    else if (field === 'id') this.#id = value;
    return undefined;
  }

  #checkSize(length: number): void {
    if (length <= this.#maxEventBytes) return;
    this.#pending = [];
    this.#pendingLength = 0;
    this.#data = [];
    throw new UpstreamServerError({
      message: `A streamed event passed the size limit of ${this.#maxEventBytes} bytes; the stream was stopped`,
      code: 'sse_event_too_large',
      isRetryable: false,
    });
  }

  #dispatch(): SseEvent | undefined {
    this.#eventLength = 0;
    if (this.#data.length === 0 && this.#event === undefined) return undefined;
    const event: SseEvent = { data: this.#data.join('\n') };
    if (this.#event !== undefined) event.event = this.#event;
    if (this.#id !== undefined) event.id = this.#id;
    this.#data = [];
    this.#event = undefined;
    this.#id = undefined;
    return event;
  }
}

/** Parses a whole byte or text stream into SSE events. */
export async function* parseSse(
  source: AsyncIterable<string | Uint8Array>,
  options?: SseParserOptions,
): AsyncGenerator<SseEvent> {
  const parser = new SseParser(options);
  for await (const chunk of source) yield* parser.push(chunk);
  yield* parser.end();
}
