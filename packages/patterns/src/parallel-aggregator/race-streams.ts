import {
  AllBackendsFailedError,
  type Backend,
  type BackendAttempt,
  CancelledError,
  type ChatRequest,
  ChatStream,
  TimeoutError,
  toAiMateyError,
} from 'ai.matey.core';

/** One provider's call in a parallel run: its own abort controller, linked to the caller's signal. */
export interface CallSlot {
  name: string;
  backend: Backend;
  controller: AbortController;
  elapsed(): number;
  dispose(): void;
}

/** Opens one slot per backend; aborting `signal` (or running past `timeoutMs`) aborts every call. */
export function openCallSlots(
  backends: ReadonlyArray<[string, Backend]>,
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
): CallSlot[] {
  const started = performance.now();
  return backends.map(([name, backend]) => {
    const controller = new AbortController();
    const onAbort = () =>
      controller.abort(toAiMateyError(signal?.reason ?? new CancelledError({ message: 'Cancelled' })));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(
            () =>
              controller.abort(
                new TimeoutError({
                  message: `'${name}' took longer than ${timeoutMs} ms`,
                  provider: backend.metadata.provider,
                }),
              ),
            timeoutMs,
          );
    return {
      name,
      backend,
      controller,
      elapsed: () => performance.now() - started,
      dispose() {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      },
    };
  });
}

/**
 * Starts every slot's stream and resolves with the first one to send an event. The others are
 * aborted, and any that sent its first event too late is closed, so no upstream call is left
 * running. Rejects with `AllBackendsFailedError` when none sends anything.
 */
export async function raceFirstEvent(
  slots: CallSlot[],
  request: ChatRequest,
  onFailure: (slot: CallSlot, error: unknown) => void,
): Promise<{ slot: CallSlot; stream: ChatStream }> {
  const attempts: BackendAttempt[] = [];
  let winner: CallSlot | undefined;
  return new Promise((resolve, reject) => {
    let pending = slots.length;
    for (const slot of slots) {
      const iterator = slot.backend
        .stream(request, { signal: slot.controller.signal })
        [Symbol.asyncIterator]();
      iterator.next().then(
        (first) => {
          if (winner) {
            void iterator.return?.();
            return;
          }
          winner = slot;
          for (const other of slots) {
            if (other !== slot)
              other.controller.abort(new CancelledError({ message: `'${slot.name}' was faster` }));
          }
          resolve({ slot, stream: ChatStream.resume(first, iterator) });
        },
        (error: unknown) => {
          pending--;
          if (winner) return;
          onFailure(slot, error);
          attempts.push({
            backend: slot.name,
            error: toAiMateyError(error, slot.backend.metadata.provider),
            durationMs: slot.elapsed(),
          });
          if (pending === 0) reject(new AllBackendsFailedError(attempts));
        },
      );
    }
  });
}
