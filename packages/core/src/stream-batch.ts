import type { StreamEvent } from './spec/stream.ts';

/** A read of several events at once: the events ready now (at least one), or the end. */
export type BatchResult = IteratorResult<StreamEvent[]>;

/**
 * An event iterator that can also hand over, in one result, every event it has ready: the
 * events decoded from one upstream read go through the relays and onto the socket as one unit,
 * with one promise per read instead of one per event. `next()` still reads one at a time, and
 * both may be mixed.
 */
export interface BatchSource extends AsyncIterator<StreamEvent> {
  nextBatch?(): Promise<BatchResult>;
}

const toBatch = (result: IteratorResult<StreamEvent>): BatchResult =>
  result.done ? result : { done: false, value: [result.value] };

/** The next events of `source`: all it has ready when it reads in batches, else the next one. */
export function readBatch(source: BatchSource): Promise<BatchResult> {
  return source.nextBatch ? source.nextBatch() : source.next().then(toBatch);
}
