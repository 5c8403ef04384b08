import { AiMateyError, CancelledError } from 'ai.matey.core';

/**
 * The promise's value, or a rejection with the signal's reason once it aborts: a backend that
 * does not watch its signal cannot hold a call past the deadline or a shutdown before it answers.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {});
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function abortReason(signal: AbortSignal): unknown {
  return AiMateyError.isInstance(signal.reason)
    ? signal.reason
    : new CancelledError({ message: 'The client closed the connection' });
}
