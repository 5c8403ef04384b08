import { CancelledError } from './errors/cancelled-error.ts';
import type { ChatResponse } from './spec/response.ts';
import type { StreamEvent } from './spec/stream.ts';
import { StreamAccumulator } from './spec/stream-accumulator.ts';
import { StreamRelay } from './stream-relay.ts';

/** How a stream ended: the response it described, or what had arrived when it failed or stopped. */
export type StreamOutcome =
  | { status: 'completed'; response: ChatResponse }
  | { status: 'failed'; error: unknown; partial: ChatResponse }
  | { status: 'cancelled'; partial: ChatResponse };

/**
 * One relay that passes a stream on unchanged, folds its events into the response they describe,
 * calls `onFirst` at its first event and `onDone` once when it ends, fails or is stopped early
 * (stopped after an in-band `error` event, it failed).
 * Shared by `ChatStream.onFinish` and `observeCall`, so watching a stream costs one relay.
 */
export function outcomeRelay(
  source: AsyncIterator<StreamEvent>,
  onDone: (outcome: StreamOutcome) => void,
  onFirst?: () => void,
): StreamRelay {
  const accumulator = new StreamAccumulator();
  let first = onFirst;
  return new StreamRelay(source, {
    event: (event) => {
      if (first) {
        const call = first;
        first = undefined;
        call();
      }
      accumulator.push(event);
      return event;
    },
    end: () =>
      onDone(
        accumulator.error
          ? { status: 'failed', error: accumulator.error, partial: accumulator.response() }
          : { status: 'completed', response: accumulator.response() },
      ),
    fail: (error) => {
      onDone(
        CancelledError.isInstance(error) && error.kind === 'cancelled'
          ? { status: 'cancelled', partial: accumulator.response() }
          : { status: 'failed', error, partial: accumulator.response() },
      );
      return error;
    },
    // A reader that stops at an in-band error event (the Bridge does) saw the stream fail.
    cancel: () =>
      onDone(
        accumulator.error
          ? { status: 'failed', error: accumulator.error, partial: accumulator.response() }
          : { status: 'cancelled', partial: accumulator.response() },
      ),
  });
}
