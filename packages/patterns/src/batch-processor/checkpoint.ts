import { type FileHandle, open, readFile, truncate } from 'node:fs/promises';
import { AiMateyError, type AiMateyErrorOptions, type ErrorKind } from 'ai.matey.core';
import { errorForKind } from 'ai.matey.core/internal';
import type { BatchItemResult } from './batch-run.ts';

/** One finished item, one JSON line of the checkpoint file. */
export type CheckpointEntry =
  | { index: number; ok: true; attempts: number; result: unknown }
  | { index: number; ok: false; attempts: number; error: Record<string, unknown> };

/**
 * Reads a checkpoint file: the finished items by index. A missing file is an empty checkpoint.
 * A torn last line (the process died mid-write) is cut off the file, so appending goes on from
 * a clean line; a line that does not parse is skipped, and its item runs again.
 */
export async function readCheckpoint(path: string): Promise<Map<number, CheckpointEntry>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  if (complete.length !== text.length) await truncate(path, Buffer.byteLength(complete));
  const entries = new Map<number, CheckpointEntry>();
  for (const line of complete.split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as CheckpointEntry;
      if (Number.isInteger(entry.index) && typeof entry.ok === 'boolean') entries.set(entry.index, entry);
    } catch {
      // A damaged line: its item is simply done again.
    }
  }
  return entries;
}

/**
 * Appends entries to a checkpoint file, one line each, in the order given. Writes are chained so
 * lines never interleave; `flush()` waits for those under way.
 */
export class CheckpointWriter {
  readonly #handle: FileHandle;
  #writes: Promise<void> = Promise.resolve();
  #error: unknown;

  private constructor(handle: FileHandle) {
    this.#handle = handle;
  }

  static async open(path: string): Promise<CheckpointWriter> {
    return new CheckpointWriter(await open(path, 'a'));
  }

  append(entry: CheckpointEntry): void {
    const line = `${JSON.stringify(entry)}\n`;
    this.#writes = this.#writes.then(
      () => this.#handle.appendFile(line, 'utf8'),
      (error: unknown) => {
        this.#error ??= error;
      },
    );
  }

  /** Waits for pending writes; throws the first write error, if any. */
  async flush(): Promise<void> {
    await this.#writes.catch((error: unknown) => {
      this.#error ??= error;
    });
    if (this.#error) throw this.#error;
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.#handle.close();
    }
  }
}

/**
 * The result an entry records (of a checkpoint file, or of a distributed batch's store): a
 * failure comes back as the typed error of its kind, its recorded fields kept as the cause.
 */
export function resultFromCheckpointEntry<O>(
  entry: CheckpointEntry,
  fromCheckpoint = true,
): BatchItemResult<O> {
  const { index, attempts } = entry;
  if (entry.ok) return { index, success: true, result: entry.result as O, attempts, fromCheckpoint };
  return { index, success: false, error: errorFromFields(entry.error), attempts, fromCheckpoint };
}

function errorFromFields(fields: Record<string, unknown>): AiMateyError {
  const { kind, message, provider, status, code, isRetryable, retryAfterMs } = fields;
  const options: AiMateyErrorOptions = {
    message: typeof message === 'string' ? message : 'failed in an earlier run',
    provider: typeof provider === 'string' ? provider : undefined,
    status: typeof status === 'number' ? status : undefined,
    code: typeof code === 'string' ? code : undefined,
    isRetryable: isRetryable === true,
    retryAfterMs: typeof retryAfterMs === 'number' ? retryAfterMs : undefined,
    cause: fields,
  };
  if (typeof kind !== 'string' || kind === 'unknown' || kind === 'all-backends-failed') {
    return new AiMateyError(options);
  }
  try {
    return errorForKind(kind as Exclude<ErrorKind, 'unknown' | 'all-backends-failed'>, options);
  } catch {
    // A kind this version does not know (a file from a newer one): the base class keeps the fields.
    return new AiMateyError(options);
  }
}
