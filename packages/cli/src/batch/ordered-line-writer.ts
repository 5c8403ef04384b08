import { createWriteStream, openSync, type WriteStream } from 'node:fs';

/**
 * Writes lines to a file in index order although they arrive in any order: each line waits
 * until every line before it is written, so the file is always a clean prefix of the output.
 */
export class OrderedLineWriter {
  readonly #stream: WriteStream;
  readonly #waiting = new Map<number, string>();
  #next = 0;
  #error: Error | undefined;

  /** Opens (and truncates) the file at once, so a path that cannot be written fails here. */
  constructor(path: string) {
    this.#stream = createWriteStream(path, { fd: openSync(path, 'w'), encoding: 'utf8' });
    this.#stream.on('error', (error) => {
      this.#error ??= error;
    });
  }

  /** Lines written so far (the length of the clean prefix). */
  get written(): number {
    return this.#next;
  }

  set(index: number, value: unknown): void {
    if (index < this.#next || this.#waiting.has(index)) return;
    this.#waiting.set(index, `${JSON.stringify(value)}\n`);
    let chunk = '';
    for (let line = this.#waiting.get(this.#next); line !== undefined; line = this.#waiting.get(this.#next)) {
      this.#waiting.delete(this.#next);
      this.#next++;
      chunk += line;
    }
    if (chunk) this.#stream.write(chunk);
  }

  /** Flushes and closes the file; rejects with the first write error. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#stream.end((error?: Error | null) => {
        const failure = error ?? this.#error;
        if (failure) reject(failure);
        else resolve();
      });
    });
  }
}
