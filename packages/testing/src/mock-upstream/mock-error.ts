import { AiMateyError, errorFromStatus } from 'ai.matey.core';
import { errorForKind } from 'ai.matey.core/internal';
import { retryAfterHeaders, type WireCodec, type WireProtocol, wireCodec } from 'ai.matey.wire';
import { personaOf } from './mock-personas.ts';
import type { MockErrorKind, MockUpstreamReply } from './mock-upstream-reply.ts';

const defaultMessages: Record<MockErrorKind, string> = {
  'rate-limited': 'Rate limit reached for requests. Please try again later.',
  overloaded: 'The server is overloaded. Please try again later.',
  authentication: 'Incorrect API key provided.',
  permission: 'You do not have access to this resource.',
  'invalid-request': 'The request was invalid.',
  'context-length-exceeded':
    "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
  'model-not-found': 'The model does not exist or you do not have access to it.',
  'content-filter': 'The request was rejected by the content filter.',
  'upstream-server': 'The server had an error while processing your request.',
  timeout: 'The request timed out.',
};

const codes: Partial<Record<MockErrorKind, string>> = {
  'context-length-exceeded': 'context_length_exceeded',
  'model-not-found': 'model_not_found',
  authentication: 'invalid_api_key',
  'rate-limited': 'rate_limit_exceeded',
};

/** The typed error a reply fails with, or undefined when it answers normally. */
export function errorForReply(
  reply: MockUpstreamReply,
  protocol: WireProtocol,
  provider: string,
): AiMateyError | undefined {
  if (AiMateyError.isInstance(reply.error)) return reply.error;
  const retryAfterMs =
    reply.retryAfterMs ?? (reply.retryAfter !== undefined ? reply.retryAfter * 1000 : undefined);
  const kind = reply.error;
  if (kind !== undefined) {
    return createMockError(kind, protocol, {
      provider,
      message: reply.errorMessage,
      status: reply.status,
      retryAfterMs,
    });
  }
  if (reply.status !== undefined && reply.status >= 400) {
    return errorFromStatus(reply.status, {
      message: reply.errorMessage ?? `Mock upstream answered ${reply.status}`,
      provider,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  return undefined;
}

/**
 * A typed error of this kind, with the status a provider of this protocol uses for it
 * (overloaded: Anthropic 529, others 503; upstream-server: 500).
 */
export function createMockError(
  kind: MockErrorKind,
  protocol: WireProtocol,
  options: {
    provider?: string;
    message?: string | undefined;
    status?: number | undefined;
    retryAfterMs?: number | undefined;
  } = {},
): AiMateyError {
  const status =
    options.status ??
    (kind === 'overloaded' ? overloadStatus(protocol) : kind === 'upstream-server' ? 500 : undefined);
  const code = codes[kind];
  return errorForKind(kind, {
    message:
      options.message ??
      (kind === 'context-length-exceeded'
        ? (personaOf(protocol).contextLengthMessage ?? defaultMessages[kind])
        : defaultMessages[kind]),
    ...(options.provider !== undefined ? { provider: options.provider } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(code !== undefined ? { code } : {}),
    ...(options.retryAfterMs !== undefined ? { retryAfterMs: options.retryAfterMs } : {}),
  });
}

/** The provider-shaped error reply: status, JSON body text and headers (retry hints included). */
export function encodeMockError(
  codec: WireCodec,
  error: AiMateyError,
  reply: Pick<MockUpstreamReply, 'status' | 'retryAfter' | 'retryAfterMs'> = {},
): { status: number; body: string; headers: Record<string, string> } {
  const encoded = codec.encodeError(error);
  const headers: Record<string, string> = {
    ...encoded.headers,
    ...(reply.retryAfter !== undefined
      ? { 'retry-after': String(reply.retryAfter) }
      : retryAfterHeaders(reply.retryAfterMs ?? error.retryAfterMs)),
  };
  if (reply.retryAfterMs !== undefined) headers['retry-after-ms'] = String(reply.retryAfterMs);
  return {
    status: reply.status ?? encoded.status,
    body: JSON.stringify(encoded.body),
    headers,
  };
}

/**
 * The status a server of this protocol answers an overload with: its codec's status for a plain
 * 503 overload (Anthropic 529, others 503).
 */
function overloadStatus(protocol: WireProtocol): number {
  const probe = errorForKind('overloaded', { message: 'Overloaded', status: 503 });
  return wireCodec(protocol).encodeError(probe).status;
}
