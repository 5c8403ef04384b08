import type { ServerResponse } from 'node:http';

/**
 * Writes server-sent events straight to the Node response: no buffering (each write is
 * flushed as it comes, with Nagle off), and back-pressure respected (a full socket buffer
 * makes `write` wait for `drain`, which stops the reading of the upstream).
 */
export class SseSocket {
  readonly #response: ServerResponse;
  #closed = false;
  #written = false;
  #headersOut = false;

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

  /** Writes SSE text; resolves once the socket can take more. */
  async write(text: string): Promise<void> {
    if (this.closed) return;
    if (text === '') {
      // Nothing to send yet: the headers still go now, so the caller knows the stream began.
      if (!this.#headersOut) {
        this.#headersOut = true;
        this.#response.flushHeaders();
      }
      return;
    }
    const ok = this.#response.write(text);
    if (!this.#written) {
      // Node corks a chunked response until the next tick; events already in hand (a burst
      // read in one go) are then written together, behind the first. The first byte goes now.
      this.#written = true;
      this.#headersOut = true;
      this.#response.socket?.uncork();
    }
    if (ok) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.#response.off('drain', done);
        this.#response.off('close', done);
        resolve();
      };
      this.#response.on('drain', done);
      this.#response.on('close', done);
    });
  }

  end(text = ''): void {
    if (this.closed) return;
    this.#response.end(text);
  }
}
