import type { ChatResponse, StreamEvent } from 'ai.matey.core';
import { responseToEvents } from 'ai.matey.core';
import type { StreamEncoder } from 'ai.matey.wire';
import { estimateTokens } from '../scripted-response.ts';

/** SSE text to write (one or more events) and the wait before it. */
export interface StreamPiece {
  text: string;
  delayMs: number;
}

/** How a response is cut into stream events and spread over time. */
export interface StreamTiming {
  /** Wait between events. */
  chunkDelayMs?: number;
  /** Text and reasoning deltas take (tokens / rate) seconds each. */
  tokensPerSecond?: number;
  /** Split the text into this many deltas (default: word by word). */
  chunkCount?: number;
}

const WORDS = /\S+\s*|\s+/g;
const MAX_ARGUMENT_PIECES = 3;
const SURROGATE = /[\uD800-\uDFFF]/;

/** The spec events of a response, deltas split as a provider streams them. */
export function splitResponseEvents(response: ChatResponse, chunkCount: number | undefined): StreamEvent[] {
  const events: StreamEvent[] = [];
  for (const event of responseToEvents(response)) {
    if (event.type === 'text-delta' && event.delta.length > 0) {
      const { citations, ...rest } = event;
      const pieces = chunkCount ? splitEvenly(event.delta, chunkCount) : (event.delta.match(WORDS) ?? []);
      for (const delta of pieces) events.push({ ...rest, delta });
      // Citations follow the text they cite, as Cohere streams them.
      if (citations) events.push({ ...rest, delta: '', citations });
    } else if (event.type === 'reasoning-delta' && event.delta.length > 0) {
      const pieces = event.delta.match(WORDS) ?? [event.delta];
      const { signature, ...rest } = event;
      // The signature closes the reasoning, as Anthropic's signature_delta does.
      pieces.forEach((delta, i) => {
        const last = i === pieces.length - 1;
        events.push(last && signature !== undefined ? { ...rest, delta, signature } : { ...rest, delta });
      });
    } else if (event.type === 'tool-call-delta' && event.argumentsDelta.length > 0) {
      const size = Math.ceil(event.argumentsDelta.length / MAX_ARGUMENT_PIECES);
      for (let start = 0; start < event.argumentsDelta.length; start += size) {
        events.push({ ...event, argumentsDelta: event.argumentsDelta.slice(start, start + size) });
      }
    } else {
      events.push(event);
    }
  }
  return events;
}

/** Encodes the events with the protocol's stream encoder; each piece carries its wait. */
export function encodeStreamPieces(
  events: readonly StreamEvent[],
  encoder: StreamEncoder,
  timing: StreamTiming,
): StreamPiece[] {
  const pieces: StreamPiece[] = [];
  const chunkDelayMs = timing.chunkDelayMs ?? 0;
  const tokensPerSecond = timing.tokensPerSecond ?? 0;
  for (const event of events) {
    const text = encoder.encode(event);
    if (text === '') continue;
    let delayMs = pieces.length > 0 ? chunkDelayMs : 0;
    if (tokensPerSecond > 0 && (event.type === 'text-delta' || event.type === 'reasoning-delta')) {
      delayMs += (estimateTokens(event.delta.length) * 1000) / tokensPerSecond;
    }
    pieces.push({ text, delayMs });
  }
  return pieces;
}

/** Splits text into `count` pieces of near-equal length (fewer when it is shorter), code points kept whole. */
export function splitEvenly(text: string, count: number): string[] {
  // Most text has no surrogate pairs: slice the string itself, skipping a code-point array.
  const units: string | string[] = SURROGATE.test(text) ? Array.from(text) : text;
  const n = Math.max(1, Math.min(count, units.length));
  const pieces: string[] = [];
  for (let i = 0; i < n; i++) {
    const start = Math.floor((i * units.length) / n);
    const end = Math.floor(((i + 1) * units.length) / n);
    pieces.push(typeof units === 'string' ? units.slice(start, end) : units.slice(start, end).join(''));
  }
  return pieces;
}

/** Splits SSE text into its events (each ends with a blank line). */
export function splitSseFrames(text: string): string[] {
  const frames: string[] = [];
  let start = 0;
  for (let end = text.indexOf('\n\n', start); end !== -1; end = text.indexOf('\n\n', start)) {
    frames.push(text.slice(start, end + 2));
    start = end + 2;
  }
  if (start < text.length) frames.push(text.slice(start));
  return frames;
}

/** One piece per SSE event: the piece's wait goes with its first event. */
export function piecesToFrames(pieces: readonly StreamPiece[]): StreamPiece[] {
  const frames: StreamPiece[] = [];
  for (const piece of pieces) {
    splitSseFrames(piece.text).forEach((text, i) => {
      frames.push({ text, delayMs: i === 0 ? piece.delayMs : 0 });
    });
  }
  return frames;
}
