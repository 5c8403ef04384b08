import type { IncomingMessage } from 'node:http';
import { InvalidRequestError } from 'ai.matey.core';
import { readChunks } from 'ai.matey.core/internal';

export interface BodyLimits {
  /** Largest accepted body in bytes. Default 4 MiB. */
  maxBodyBytes: number;
  /** Deepest accepted JSON nesting. Default 64. */
  maxJsonDepth: number;
  /**
   * Time to receive the whole body once the headers are in; past it the caller gets a 408 in its
   * own format and the connection is closed (a chunked body that never ends holds nothing). Default 30 s.
   */
  bodyTimeoutMs: number;
}

export const defaultBodyLimits: BodyLimits = {
  maxBodyBytes: 4 * 1024 * 1024,
  maxJsonDepth: 64,
  bodyTimeoutMs: 30_000,
};

// `application/json`, `application/vnd.x+json`, with or without parameters.
const JSON_CONTENT_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * Reads and parses a JSON request body straight from the socket, refusing it as soon as it
 * passes the size limit (413) and when it nests deeper than allowed (400), so a hostile body
 * costs us neither memory nor a deep recursion.
 *
 * A body declared as something other than JSON is refused (415): the content types a browser
 * may send cross-site without a preflight (text/plain, forms) would otherwise let any web page
 * spend a keyless local gateway's quota. No content-type at all is read as JSON.
 */
export async function readJsonBody(
  incoming: IncomingMessage,
  limits: BodyLimits,
  signal?: AbortSignal,
): Promise<unknown> {
  const type = incoming.headers['content-type'];
  if (type !== undefined && !JSON_CONTENT_TYPE.test(type)) {
    throw new InvalidRequestError({
      message: 'The request body must be JSON: send content-type: application/json',
      status: 415,
      code: 'unsupported_media_type',
    });
  }
  const declared = Number(incoming.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBodyBytes) throw tooLarge(limits.maxBodyBytes);
  const { chunks, size, overLimit } = await readWithin(incoming, limits, signal);
  if (overLimit) {
    incoming.resume();
    throw tooLarge(limits.maxBodyBytes);
  }
  const text =
    chunks.length === 1
      ? (chunks[0] as Buffer).toString('utf8')
      : Buffer.concat(chunks, size).toString('utf8');
  if (text.trim() === '')
    throw new InvalidRequestError({ message: 'The request body is empty; send a JSON object' });
  const depth = jsonDepth(text);
  if (depth > limits.maxJsonDepth) {
    throw new InvalidRequestError({
      message: `The JSON body nests ${depth} levels deep; the limit is ${limits.maxJsonDepth}`,
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidRequestError({
      message: `The request body is not valid JSON: ${(error as Error).message}`,
      code: 'invalid_json',
    });
  }
}

/** The body's chunks, or a 408 once `bodyTimeoutMs` passes (or the signal's reason if it aborts first). */
function readWithin(incoming: IncomingMessage, limits: BodyLimits, signal: AbortSignal | undefined) {
  const read = readChunks(incoming, limits.maxBodyBytes);
  if (incoming.complete) return read;
  return new Promise<Awaited<typeof read>>((resolve, reject) => {
    const stop = (error: unknown) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // The read is abandoned: it settles when the socket closes, after our reply.
      read.catch(() => {});
      incoming.pause();
      reject(error);
    };
    const onAbort = () => stop(signal?.reason);
    const timer = setTimeout(
      () =>
        stop(
          new InvalidRequestError({
            message: `The request body did not arrive within ${limits.bodyTimeoutMs} ms`,
            status: 408,
            code: 'request_timeout',
          }),
        ),
      limits.bodyTimeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    read.then(
      (value) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function tooLarge(limit: number): InvalidRequestError {
  return new InvalidRequestError({
    message: `The request body is larger than the limit of ${limit} bytes`,
    status: 413,
    code: 'request_too_large',
  });
}

/** Nesting depth of JSON text, counted without parsing (brackets outside strings). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 92)
        i++; // backslash: skip the escaped character
      else if (char === 34) inString = false;
      continue;
    }
    if (char === 34) inString = true;
    else if (char === 123 || char === 91) {
      depth++;
      if (depth > max) max = depth;
    } else if (char === 125 || char === 93) depth--;
  }
  return max;
}
