import type { StreamEvent } from 'ai.matey.core';
import type { DecodeContext, StreamEncoderOptions, WireCodec } from '../codec.ts';
import { SseParser } from '../sse/sse-parser.ts';

/** Spec events through a codec's stream encoder, as the SSE text a server sends (end included). */
export function encodeStreamText(
  codec: WireCodec,
  events: StreamEvent[],
  options?: StreamEncoderOptions,
): string {
  const encoder = codec.createStreamEncoder(options);
  return events.map((event) => encoder.encode(event)).join('') + encoder.end();
}

/**
 * Decodes SSE text through a codec's stream decoder as a client reads a socket: whole, or in
 * pieces of `pieceSize` bytes (so frames and multi-byte characters are split). One batch of
 * spec events per decoder call, the batch of the decoder's `end()` last.
 */
export function decodeStreamBatches(
  codec: WireCodec,
  sse: string,
  context: DecodeContext,
  pieceSize?: number,
): StreamEvent[][] {
  const pieces: Array<string | Uint8Array> = [];
  if (pieceSize === undefined) pieces.push(sse);
  else {
    const bytes = new TextEncoder().encode(sse);
    for (let at = 0; at < bytes.length; at += pieceSize) pieces.push(bytes.slice(at, at + pieceSize));
  }
  const parser = new SseParser();
  const decoder = codec.createStreamDecoder(context);
  const batches: StreamEvent[][] = [];
  for (const piece of pieces) for (const event of parser.push(piece)) batches.push(decoder.push(event));
  for (const event of parser.end()) batches.push(decoder.push(event));
  batches.push(decoder.end());
  return batches;
}

/** The spec events SSE text decodes to (see `decodeStreamBatches`). */
export function decodeStreamText(
  codec: WireCodec,
  sse: string,
  context: DecodeContext,
  pieceSize?: number,
): StreamEvent[] {
  return decodeStreamBatches(codec, sse, context, pieceSize).flat();
}
