import { AiMateyError, type ChatRequest, InvalidRequestError } from 'ai.matey.core';
import type { ChatPathInfo, TokenCountCodec, WireCodec } from 'ai.matey.wire';
import { estimateTokens } from '../scripted-response.ts';
import { sendError } from './http-io.ts';
import { type Exchange, sendJson } from './reply-writer.ts';
import type { MockUpstreamRequest } from './request-log.ts';

/**
 * What a mock upstream answers a token-count call with: a number, or per request a number or an
 * error (sent as the provider's error body).
 */
export type MockTokenCount = number | ((request: ChatRequest) => number | AiMateyError);

/**
 * Answers a token-count call (Anthropic's `count_tokens`, Gemini's `:countTokens`) in the
 * protocol's own shape: `count` when given (or its error), else about four characters a token of the body. A
 * count is no chat call: it takes no queued reply and no call index.
 */
export function serveCount(
  exchange: Exchange,
  entry: MockUpstreamRequest,
  codec: WireCodec & { tokenCount: TokenCountCodec },
  path: ChatPathInfo,
  bodyText: string,
  count: MockTokenCount | undefined,
): void {
  let request: ChatRequest;
  try {
    const body: unknown = JSON.parse(bodyText);
    entry.body = body;
    request = codec.tokenCount.decodeRequest(body, path);
  } catch (cause) {
    const error = AiMateyError.isInstance(cause)
      ? cause
      : new InvalidRequestError({ message: `Invalid request body: ${String(cause)}`, cause });
    sendError(exchange, codec, error);
    return;
  }
  entry.request = request;
  if (request.model !== undefined) entry.model = request.model;
  const inputTokens =
    typeof count === 'function' ? count(request) : (count ?? estimateTokens(bodyText.length));
  if (typeof inputTokens !== 'number') {
    sendError(exchange, codec, inputTokens);
    return;
  }
  const reply = codec.tokenCount.encodeResponse({ inputTokens, exact: true });
  sendJson(exchange, 200, JSON.stringify(reply));
}
