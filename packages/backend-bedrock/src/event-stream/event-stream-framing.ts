import type { StreamFraming } from 'ai.matey.wire';
import { EventStreamReader } from './event-stream-reader.ts';
import { sseToEventFrames } from './event-stream-writer.ts';

/** AWS's binary event stream, as the Converse codec's stream framing (both halves). */
export const eventStreamFraming: StreamFraming = {
  contentType: 'application/vnd.amazon.eventstream',
  createReader: () => new EventStreamReader(),
  frame: sseToEventFrames,
};
