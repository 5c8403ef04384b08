import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { SseParser } from 'ai.matey.wire';

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const JSON_TYPE = { type: 'string', value: 'application/json' } as const;

/** One event of the stream as a binary frame: an exception frame for `…Exception` keys. */
export function encodeEventFrame(type: string, payload: Uint8Array): Uint8Array {
  const exception = /Exception$/.test(type);
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: exception ? 'exception' : 'event' },
      [exception ? ':exception-type' : ':event-type']: { type: 'string', value: type },
      ':content-type': JSON_TYPE,
    },
    body: payload,
  });
}

/**
 * The SSE text of the Bedrock stream encoder (`data: {"<eventType>": payload}` per event, the
 * recordings' shape) as `application/vnd.amazon.eventstream` frames, encoded with AWS's codec. A
 * data line that is not such an object (a fault injected by a test) goes out as a frame whose
 * payload is that text, so the reader's decoder meets it as Bedrock would send it.
 */
export function sseToEventFrames(sse: string): Uint8Array {
  // Our own encoder's text: no size cap (a test may send a frame past the reader's limit).
  const parser = new SseParser({ maxEventBytes: Number.POSITIVE_INFINITY });
  const frames: Uint8Array[] = [];
  for (const event of [...parser.push(sse), ...parser.end()]) {
    let type = event.event ?? 'unknown';
    let payload = event.data;
    try {
      const parsed: unknown = JSON.parse(event.data);
      const keys = typeof parsed === 'object' && parsed !== null ? Object.keys(parsed) : [];
      if (keys.length === 1 && keys[0] !== undefined) {
        type = keys[0];
        payload = JSON.stringify((parsed as Record<string, unknown>)[type]);
      }
    } catch {
      // Not JSON: sent as it is.
    }
    frames.push(encodeEventFrame(type, fromUtf8(payload)));
  }
  const out = new Uint8Array(frames.reduce((sum, frame) => sum + frame.length, 0));
  let offset = 0;
  for (const frame of frames) {
    out.set(frame, offset);
    offset += frame.length;
  }
  return out;
}
