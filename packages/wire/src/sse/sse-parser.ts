/** One server-sent event: its `event:` name (if any) and its `data:` lines joined by `\n`. */
export interface SseEvent {
  event?: string;
  data: string;
  id?: string;
}

/**
 * An incremental parser for the `text/event-stream` format (WHATWG HTML §9.2): lines end in
 * `\n`, `\r\n` or `\r`; a blank line dispatches; several `data:` lines join with `\n`; lines
 * starting with `:` are comments; a chunk may end anywhere, even inside a line or a `\r\n`.
 */
const LINE_END = /\r\n|\r|\n/g;

export class SseParser {
  #buffer = '';
  #data: string[] = [];
  #event: string | undefined;
  #id: string | undefined;
  #pendingCarriageReturn = false;
  readonly #decoder = new TextDecoder();

  /** Feeds text or bytes; returns the events completed by it. */
  push(chunk: string | Uint8Array): SseEvent[] {
    let text = typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true });
    if (this.#pendingCarriageReturn) {
      this.#pendingCarriageReturn = false;
      if (text.startsWith('\n')) text = text.slice(1);
    }
    const buffer = this.#buffer + text;
    const events: SseEvent[] = [];
    // Line ends found natively: `\n` alone when the text has no `\r` (the common case).
    const crlf = buffer.indexOf('\r') !== -1;
    let start = 0;
    for (;;) {
      let end: number;
      let next: number;
      if (crlf) {
        LINE_END.lastIndex = start;
        const match = LINE_END.exec(buffer);
        if (!match) break;
        end = match.index;
        next = end + match[0].length;
        if (match[0] === '\r' && next === buffer.length) this.#pendingCarriageReturn = true;
      } else {
        end = buffer.indexOf('\n', start);
        if (end === -1) break;
        next = end + 1;
      }
      const event = this.#line(buffer.slice(start, end));
      start = next;
      if (event) events.push(event);
    }
    this.#buffer = start === 0 ? buffer : buffer.slice(start);
    return events;
  }

  /** The input ended: a last event without its blank line is still dispatched. */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.#buffer.length > 0) {
      const event = this.#line(this.#buffer);
      this.#buffer = '';
      if (event) events.push(event);
    }
    const last = this.#dispatch();
    if (last) events.push(last);
    return events;
  }

  #line(line: string): SseEvent | undefined {
    if (line === '') return this.#dispatch();
    if (line.charCodeAt(0) === 58) return undefined; // ':' comment
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    else if (field === 'id') this.#id = value;
    return undefined;
  }

  #dispatch(): SseEvent | undefined {
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
export async function* parseSse(source: AsyncIterable<string | Uint8Array>): AsyncGenerator<SseEvent> {
  const parser = new SseParser();
  for await (const chunk of source) yield* parser.push(chunk);
  yield* parser.end();
}
