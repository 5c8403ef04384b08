import type { ServerResponse } from 'node:http';

/**
 * Writes server-sent events straight to the Node response, with Nagle off and back-pressure
 * respected (a full socket buffer makes the caller wait for `drain`, which stops the reading of
 * the upstream).
 *
 * The first event is written at once (with the headers, in one packet). After it, the text
 * written while the event loop handles one round of socket reads (the events decoded from an
 * upstream read, and often the upstream's end right behind them) is joined and written once,
 * at the end of that round (`setImmediate`): one chunk and one socket write per upstream read,
 * not one per event, and the stream's last events leave with its end. Nothing waits for a
 * timer, so an event that arrives alone still leaves within the same turn of the loop.
 */
export class SseSocket {
  readonly #response: ServerResponse;
  #closed = false;
  #written = false;
  #headersOut = false;
  /** Text written this turn, not yet handed to the socket. */
  #pending = '';
  #flush: NodeJS.Immediate | undefined;
  /** Set while the socket's buffer is full: resolves at `drain` (or close). */
  #drain: Promise<void> | undefined;

  constructor(response: ServerResponse) {
    this.#response = response;
    response.once('close', () => {
      this.#closed = true;
    });
  }

  /** The client went away (or we ended). */
  get closed(): boolean {
    return this.#closed || this.#response.destroyed;
  }

  start(status: number, headers: Record<string, string | string[]>): void {
    this.#response.socket?.setNoDelay(true);
    this.#response.writeHead(status, headers);
    // No flushHeaders: the caller writes the first event at once, and Node sends the headers with
    // it in one packet (one syscall less before the caller's first byte).
  }

  /**
   * Writes SSE text. Returns a promise only when the socket cannot take more yet: wait for it
   * before writing again. (No promise otherwise, so a burst of events costs no await each.)
   */
  write(text: string): Promise<void> | undefined {
    if (this.closed) return undefined;
    if (text === '') {
      // Nothing to send yet: the headers still go now, so the caller knows the stream began.
      if (!this.#headersOut) {
        this.#headersOut = true;
        this.#response.flushHeaders();
      }
      return undefined;
    }
    if (!this.#written) {
      // Node corks a chunked response until the next tick; the first byte goes now.
      this.#written = true;
      this.#headersOut = true;
      const ok = this.#response.write(text);
      this.#response.socket?.uncork();
      if (!ok) this.#waitForDrain();
      return this.#drain;
    }
    this.#pending += text;
    this.#flush ??= setImmediate(this.#flushPending);
    return this.#drain;
  }

  /** Ends the response, after the text still pending (and `text`). */
  end(text = ''): void {
    const rest = this.#pending + text;
    this.#pending = '';
    if (this.#flush) clearImmediate(this.#flush);
    this.#flush = undefined;
    if (this.closed) return;
    this.#response.end(rest);
  }

  readonly #flushPending = (): void => {
    this.#flush = undefined;
    const text = this.#pending;
    this.#pending = '';
    if (text === '' || this.closed) return;
    if (!this.#response.write(text)) this.#waitForDrain();
  };

  #waitForDrain(): void {
    if (this.#drain) return;
    this.#drain = new Promise<void>((resolve) => {
      const done = () => {
        this.#response.off('drain', done);
        this.#response.off('close', done);
        this.#drain = undefined;
        resolve();
      };
      this.#response.on('drain', done);
      this.#response.on('close', done);
    });
  }
}
