import type { AiMateyError, ChatRequest, EmbedRequest } from 'ai.matey.core';
import type { WireProtocol } from 'ai.matey.wire';
import type { ScriptedContent } from '../scripted-response.ts';
import type { MockStreamFaults } from './stream-faults.ts';

/** The error kinds a reply can fail with; each becomes the provider's own error body and status. */
export type MockErrorKind =
  | 'rate-limited'
  | 'overloaded'
  | 'authentication'
  | 'permission'
  | 'invalid-request'
  | 'context-length-exceeded'
  | 'model-not-found'
  | 'content-filter'
  | 'upstream-server'
  | 'timeout';

/**
 * What the mock upstream answers one call with: scripted content (or a recorded fixture), timing,
 * and faults. Everything is optional; an empty reply echoes the last user message.
 */
export interface MockUpstreamReply extends ScriptedContent, MockStreamFaults {
  /**
   * Replays a recorded response verbatim: `NAME` in the route's protocol folder, or
   * `PROTOCOL/NAME`; `NAME.chunks.txt` for a stream, `NAME.json` otherwise. A stream of a
   * recording that has only its `.json` is that reply streamed by the protocol's own encoder.
   */
  fixture?: string;

  /**
   * Embedding calls: the vectors to answer with, one per input, instead of the deterministic
   * ones (a real embedding model's, served as a provider would).
   */
  embeddings?: number[][];

  /** Wait before the first byte (headers included). */
  latencyMs?: number;
  /** Wait between SSE events. */
  chunkDelayMs?: number;
  /** Spread text and reasoning deltas over time at this rate (about 4 characters a token). */
  tokensPerSecond?: number;
  /** Split the text into this many deltas (the default reply text is lengthened to fill them). */
  chunkCount?: number;

  /** Answer with this HTTP status; with no `error`, the kind follows from the status. */
  status?: number;
  /** Fail with the provider's error body for this kind (or for this very error). */
  error?: MockErrorKind | AiMateyError;
  /** The message in the error body. */
  errorMessage?: string;
  /** Send `retry-after: N` (seconds) with the error. */
  retryAfter?: number;
  /** Send `retry-after-ms: N` with the error (and `retry-after` rounded up, unless given). */
  retryAfterMs?: number;
  /** Destroy the socket before any byte, or right after the first SSE event (first half of a JSON body). */
  reset?: 'before-headers' | 'after-first-event';
  /** End the stream cleanly after this many SSE events, without the protocol's terminator. */
  cutAfterEvents?: number;
  /** Send a garbage SSE event after the first one, or a JSON body that does not parse. */
  malformed?: boolean;
  /** A 200 stream that carries the protocol's in-band error event after this many events. */
  errorEventAfter?: number;
  /** Answer nothing for this long, then drop the connection. */
  hangMs?: number;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

/** What a reply function knows about the call besides the decoded request. */
export interface MockReplyContext {
  protocol: WireProtocol;
  /** The model asked for (body, Gemini path or Azure deployment). */
  model: string | undefined;
  stream: boolean;
  /** The request headers, as received (secrets included: this never leaves the process). */
  headers: Record<string, string | string[] | undefined>;
  /** 0 for the first chat call since start (or `reset()`), then 1, 2, … */
  callIndex: number;
}

/** A reply for every call, or a function of the decoded request. */
export type MockUpstreamReplySource =
  | MockUpstreamReply
  | ((request: ChatRequest, context: MockReplyContext) => MockUpstreamReply | Promise<MockUpstreamReply>);

/**
 * The reply for embedding calls with nothing queued: its faults and `fixture` (a recorded reply in
 * the recordings' `embeddings/` folder) apply; without a fixture or `embeddings` the vectors are
 * deterministic.
 */
export type MockEmbedReplySource =
  | MockUpstreamReply
  | ((request: EmbedRequest, context: MockReplyContext) => MockUpstreamReply | Promise<MockUpstreamReply>);
