import type { StreamEvent } from 'ai.matey.core';
import type { StreamEncoder } from 'ai.matey.wire';
import { delay, drained, type Exchange, onTheWire, streamHeaders } from './reply-writer.ts';
import type { StreamPiece } from './stream-pieces.ts';

/** Faults of a 200 stream that a parser or a timeout must stop: no clean end comes on its own. */
export interface MockStreamFaults {
  /**
   * After the first text delta, one more text delta event this many bytes long (a valid event of
   * the protocol, written in 64 KiB pieces with back-pressure); then the stream goes on as scripted.
   */
  hugeEventBytes?: number;
  /**
   * The body never ends: after the scripted events (no terminator) it stays open until the client
   * leaves, `silent` sending nothing more, `trickle` an SSE comment every 100 ms (so no idle
   * timeout fires, only a limit on the whole call).
   */
  unending?: 'silent' | 'trickle';
  /**
   * Raw text sent verbatim as the whole body instead of the mock's own reply: SSE frames for a
   * stream, else a body (a proxy's HTML page, say) with `status` (default 200) and `headers`.
   */
  frames?: string[];
}

const PIECE = 64 * 1024;
const PLACEHOLDER = '\u0000huge\u0000';
const TRICKLE_MS = 100;

/** Whether a reply asks for one of these faults. */
export function hasStreamFault(faults: MockStreamFaults): boolean {
  return faults.hugeEventBytes !== undefined || faults.unending !== undefined || faults.frames !== undefined;
}

/** Where a huge text delta goes: after piece `after`, as `head` + N bytes + `tail`. */
export interface HugeEventSlot {
  after: number;
  head: string;
  tail: string;
}

/**
 * Runs the events through a fresh encoder up to the first text delta and encodes one more delta
 * there, so the huge event is valid in the protocol's state at that point.
 */
export function hugeEventSlot(events: readonly StreamEvent[], encoder: StreamEncoder): HugeEventSlot {
  let pieces = 0;
  for (const event of events) {
    if (encoder.encode(event) !== '') pieces++;
    if (event.type !== 'text-delta') continue;
    const text = encoder.encode({ ...event, delta: PLACEHOLDER });
    const marker = JSON.stringify(PLACEHOLDER).slice(1, -1);
    const at = text.indexOf(marker);
    if (at === -1) break;
    return { after: pieces - 1, head: text.slice(0, at), tail: text.slice(at + marker.length) };
  }
  throw new Error('hugeEventBytes needs a reply with text');
}

/** Writes a stream with the faults: the pieces (a huge event among them), then no clean end. */
export async function writeFaultyStream(
  exchange: Exchange,
  pieces: readonly StreamPiece[],
  terminator: () => string,
  hugeEvent: () => HugeEventSlot,
  faults: MockStreamFaults,
  headers: Record<string, string>,
): Promise<void> {
  const { res, signal } = exchange;
  const { connection: _connection, ...stream } = streamHeaders(exchange);
  res.writeHead(200, { ...stream, ...headers });
  const frames = faults.frames ?? pieces.map((piece) => piece.text);
  const slot = faults.hugeEventBytes !== undefined && faults.frames === undefined ? hugeEvent() : undefined;
  for (let i = 0; i < frames.length; i++) {
    if (signal.aborted) return;
    if (!(await write(exchange, frames[i] ?? ''))) return;
    if (slot && i === slot.after && !(await writeHugeEvent(exchange, slot, faults.hugeEventBytes ?? 0)))
      return;
  }
  if (faults.unending === undefined) {
    res.end(faults.frames ? '' : onTheWire(exchange, terminator()));
    return;
  }
  while (!signal.aborted) {
    await delay(TRICKLE_MS, signal);
    if (faults.unending === 'trickle' && !signal.aborted) await write(exchange, ': still here\n\n');
  }
}

async function writeHugeEvent(exchange: Exchange, slot: HugeEventSlot, bytes: number): Promise<boolean> {
  // A binary framing (Bedrock's event stream) frames whole events: the event is built first.
  if (exchange.framing) return writeFramed(exchange, `${slot.head}${'x'.repeat(bytes)}${slot.tail}`);
  if (!(await write(exchange, slot.head))) return false;
  const piece = 'x'.repeat(PIECE);
  for (let sent = 0; sent < bytes; sent += PIECE) {
    if (!(await write(exchange, sent + PIECE <= bytes ? piece : piece.slice(0, bytes - sent)))) return false;
  }
  return write(exchange, slot.tail);
}

/** Sends `frames` as a plain body: `text/html` when it looks like markup, else `text/plain`. */
export function writeRawBody(
  exchange: Exchange,
  frames: readonly string[],
  status: number,
  headers: Record<string, string>,
): void {
  const body = frames.join('');
  exchange.res.writeHead(status, {
    'content-type': body.trimStart().startsWith('<') ? 'text/html' : 'text/plain',
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  exchange.res.end(body);
}

/** One event through the framing, written in pieces with back-pressure. */
async function writeFramed(exchange: Exchange, text: string): Promise<boolean> {
  const { res, signal } = exchange;
  const framed = onTheWire(exchange, text);
  for (let at = 0; at < framed.length; at += PIECE) {
    if (signal.aborted || res.destroyed) return false;
    if (!res.write(framed.slice(at, at + PIECE))) await drained(res, signal);
  }
  return !signal.aborted;
}

/** Writes, waiting for `drain` when the socket is full; false once the client is gone. */
async function write(exchange: Exchange, text: string): Promise<boolean> {
  const { res, signal } = exchange;
  if (signal.aborted || res.destroyed) return false;
  if (!res.write(onTheWire(exchange, text))) await drained(res, signal);
  return !signal.aborted;
}
