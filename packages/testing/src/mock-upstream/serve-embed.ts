import {
  type AiMateyError,
  AiMateyError as BaseError,
  type EmbedInput,
  type EmbedRequest,
  type EmbedResponse,
  InvalidRequestError,
} from 'ai.matey.core';
import { readFixtureFiles } from 'ai.matey.fixtures';
import type { EmbedPathInfo, EmbedReplyOptions, WireCodec, WireEmbeddings } from 'ai.matey.wire';
import { estimateTokens } from '../scripted-response.ts';
import { sendError } from './http-io.ts';
import { errorForReply } from './mock-error.ts';
import type { MockUpstreamReply } from './mock-upstream-reply.ts';
import { delay, type Exchange, resetConnection, writeJsonReply } from './reply-writer.ts';
import { mulberry32 } from './simulated-fleet.ts';

/** An embedding call's body read by its protocol's codec, or the reason it could not be. */
export type DecodedEmbedCall =
  | { ok: true; body: unknown; request: EmbedRequest; options: EmbedReplyOptions }
  | { ok: false; body: unknown; error: AiMateyError };

/** Parses and decodes an embedding call (the path's model and form included). */
export function decodeEmbedCall(
  embeddings: WireEmbeddings,
  path: EmbedPathInfo,
  bodyText: string,
  provider: string,
): DecodedEmbedCall {
  let body: unknown = bodyText;
  try {
    body = JSON.parse(bodyText);
    return { ok: true, body, ...embeddings.decodeCall(body, path) };
  } catch (cause) {
    const error = BaseError.isInstance(cause)
      ? cause
      : new InvalidRequestError({
          message: `Invalid request body: ${cause instanceof Error ? cause.message : String(cause)}`,
          provider,
          cause,
        });
    return { ok: false, body, error };
  }
}

/** One decoded embedding call, as the reply is served for it. */
export interface EmbedCall {
  codec: WireCodec;
  embeddings: WireEmbeddings;
  provider: string;
  request: EmbedRequest;
  options: EmbedReplyOptions;
  model: string;
  headers: Record<string, string>;
}

/**
 * Serves one embedding call with a scripted reply's faults (hang, latency, reset, error body,
 * malformed or cut JSON), then a recorded reply (`fixture`: a name in the recordings'
 * `embeddings/` folder, sent verbatim) or deterministic vectors: each input's own, the same
 * every time, `dimensions` long (8 by default) and exact in float32.
 */
export async function serveEmbedReply(
  exchange: Exchange,
  reply: MockUpstreamReply,
  call: EmbedCall,
): Promise<void> {
  const { signal } = exchange;
  if (reply.hangMs !== undefined) {
    await delay(reply.hangMs, signal);
    if (!signal.aborted) resetConnection(exchange);
    return;
  }
  await delay(reply.latencyMs ?? 0, signal);
  if (signal.aborted) return;
  if (reply.reset === 'before-headers') return resetConnection(exchange);
  const headers = reply.headers ? { ...call.headers, ...reply.headers } : call.headers;
  const error = errorForReply(reply, call.codec.protocol, call.provider);
  if (error) return sendError(exchange, call.codec, error, reply, headers);
  if (reply.fixture !== undefined) {
    const recorded = readFixtureFiles('embeddings', reply.fixture.replace(/^embeddings\//, '')).json;
    if (recorded === undefined) throw new Error(`Embeddings fixture "${reply.fixture}" has no .json`);
    return writeJsonReply(exchange, reply.status ?? 200, recorded, headers, reply);
  }
  const { request } = call;
  const tokens = request.inputs.reduce<number>((sum, input) => sum + tokensOf(input), 0);
  const response: EmbedResponse = {
    model: call.model,
    provider: call.provider,
    embeddings:
      reply.embeddings ?? request.inputs.map((input) => deterministicVector(input, request.dimensions ?? 8)),
    usage: { inputTokens: tokens, outputTokens: 0, totalTokens: tokens },
    warnings: [],
  };
  const body = JSON.stringify(call.embeddings.encodeResponse(response, call.options));
  return writeJsonReply(exchange, reply.status ?? 200, body, headers, reply);
}

/**
 * The mock's vector of an input: seeded by the input's FNV-1a hash, values in [-1, 1) that are
 * exact float32 numbers, so a base64 round trip gives them back unchanged.
 *
 * @example
 * deterministicVector('hello', 4); // the same four numbers on every call
 */
export function deterministicVector(input: EmbedInput, dimensions: number): number[] {
  const text = typeof input === 'string' ? input : input.join(',');
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const random = mulberry32(hash);
  return Array.from({ length: dimensions }, () => Math.fround(random() * 2 - 1));
}

function tokensOf(input: EmbedInput): number {
  return typeof input === 'string' ? estimateTokens(input.length) : input.length;
}
