/** A Node readable (an `IncomingMessage`, an undici body), as far as reading it whole needs. */
export interface ChunkSource {
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  off(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  off(event: 'end' | 'close', listener: () => void): unknown;
  off(event: 'error', listener: (error: Error) => void): unknown;
  readonly destroyed?: boolean;
}

/** What `readChunks` read: the chunks in order, their size, and whether it stopped at the limit. */
export interface ReadChunks {
  chunks: Uint8Array[];
  size: number;
  /** True when the body passed `limit`: reading stopped there, and the rest is the caller's to drop. */
  overLimit: boolean;
}

/**
 * Reads a Node readable to its end with `data` events, stopping once it passes `limit` bytes.
 * Rejects with the stream's error, or when it closes before its end (a peer that went away).
 *
 * `for await` over a readable builds an async iterator and an end-of-stream watcher for every
 * body (about 5 KB and a few promises per call): on the gateway's hot path, twice per request.
 */
export function readChunks(source: ChunkSource, limit: number): Promise<ReadChunks> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const finish = (error: Error | undefined, overLimit = false) => {
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('close', onClose);
      source.off('error', onError);
      if (error) reject(error);
      else resolve({ chunks, size, overLimit });
    };
    const onData = (chunk: Uint8Array) => {
      size += chunk.byteLength;
      if (size > limit) finish(undefined, true);
      else chunks.push(chunk);
    };
    const onEnd = () => finish(undefined);
    const onError = (error: Error) => finish(error);
    const onClose = () => finish(prematureClose());
    if (source.destroyed) return reject(prematureClose());
    source.on('data', onData);
    source.on('end', onEnd);
    source.on('close', onClose);
    source.on('error', onError);
  });
}

function prematureClose(): Error {
  const error = new Error('The stream closed before its end');
  (error as Error & { code: string }).code = 'ERR_STREAM_PREMATURE_CLOSE';
  return error;
}
