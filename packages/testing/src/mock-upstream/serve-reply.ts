import type { ChatRequest } from 'ai.matey.core';
import type { WireCodec } from 'ai.matey.wire';
import { loadFixtureReplay } from './fixture-replay.ts';
import { sendError } from './http-io.ts';
import { createMockError, errorForReply } from './mock-error.ts';
import type { MockUpstreamReply } from './mock-upstream-reply.ts';
import { replyToResponse } from './reply-response.ts';
import { delay, type Exchange, resetConnection, writeJsonReply, writeStreamReply } from './reply-writer.ts';
import { hasStreamFault, hugeEventSlot, writeFaultyStream, writeRawBody } from './stream-faults.ts';
import { encodeStreamPieces, type StreamPiece, splitResponseEvents } from './stream-pieces.ts';

/** One decoded chat call, as the reply is served for it. */
export interface ChatCall {
  codec: WireCodec;
  provider: string;
  request: ChatRequest;
  model: string;
  stream: boolean;
  callIndex: number;
  requestChars: number;
  /** OpenAI: the caller asked for the final usage chunk (`stream_options.include_usage`). */
  includeUsage: boolean;
  /** Headers every reply of this call carries (rate-limit headroom). */
  headers: Record<string, string>;
}

/**
 * Serves one scripted reply: waits (hang, latency, generation time), then an error body, a
 * fixture replayed verbatim, or the scripted response encoded by the protocol's codec.
 */
export async function serveReply(
  exchange: Exchange,
  reply: MockUpstreamReply,
  call: ChatCall,
): Promise<void> {
  const { signal } = exchange;
  const { codec } = call;
  const { protocol } = codec;
  if (reply.hangMs !== undefined) {
    await delay(reply.hangMs, signal);
    if (!signal.aborted) resetConnection(exchange);
    return;
  }
  await delay(reply.latencyMs ?? 0, signal);
  if (signal.aborted) return;
  if (reply.reset === 'before-headers') return resetConnection(exchange);

  const headers = reply.headers ? { ...call.headers, ...reply.headers } : call.headers;
  if (reply.frames !== undefined && !call.stream)
    return writeRawBody(exchange, reply.frames, reply.status ?? 200, headers);
  const error = errorForReply(reply, protocol, call.provider);
  if (error && (!call.stream || reply.errorEventAfter === undefined)) {
    return sendError(exchange, codec, error, reply, headers);
  }
  const streamError = () =>
    error ?? createMockError('overloaded', protocol, { provider: call.provider, message: 'Overloaded' });

  const replay =
    reply.fixture === undefined ? undefined : loadFixtureReplay(protocol, reply.fixture, call.stream);
  if (replay && replay.kind !== 'whole') {
    if (replay.kind === 'json') {
      return writeJsonReply(exchange, reply.status ?? replay.status, replay.body, headers, reply);
    }
    const chunkDelayMs = reply.chunkDelayMs ?? 0;
    const pieces: StreamPiece[] = replay.frames.map((text, i) => ({
      text,
      delayMs: i > 0 ? chunkDelayMs : 0,
    }));
    return writeStreamReply(
      exchange,
      pieces,
      () => replay.terminator,
      reply,
      () => codec.createStreamEncoder().error(streamError()),
      headers,
    );
  }

  const response =
    replay?.kind === 'whole'
      ? codec.decodeResponse(replay.body, { provider: call.provider })
      : replyToResponse(call.request, reply, {
          protocol,
          provider: call.provider,
          model: call.model,
          callIndex: call.callIndex,
          requestChars: call.requestChars,
        });
  if (!call.stream) {
    // A non-streamed reply arrives once the whole answer is generated.
    if (reply.tokensPerSecond)
      await delay((response.usage.outputTokens * 1000) / reply.tokensPerSecond, signal);
    if (signal.aborted) return;
    const body = JSON.stringify(codec.encodeResponse(response));
    return writeJsonReply(exchange, reply.status ?? 200, body, headers, reply);
  }
  const encoder = codec.createStreamEncoder({ includeUsage: call.includeUsage });
  const events = splitResponseEvents(response, reply.chunkCount);
  const pieces = encodeStreamPieces(events, encoder, reply);
  if (hasStreamFault(reply)) {
    const slot = () => hugeEventSlot(events, codec.createStreamEncoder({ includeUsage: call.includeUsage }));
    return writeFaultyStream(exchange, pieces, () => encoder.end(), slot, reply, headers);
  }
  return writeStreamReply(
    exchange,
    pieces,
    () => encoder.end(),
    reply,
    () => encoder.error(streamError()),
    headers,
  );
}
