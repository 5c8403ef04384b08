import { type AiMateyError, redactSecrets } from 'ai.matey.core';
import type { WireCodec } from 'ai.matey.wire';
import type { GatewayContext } from './gateway-env.ts';
import { textReply } from './json-reply.ts';
import { errorRoutingHeaders } from './reply-headers.ts';

/**
 * An error in the caller's format. Every error body the gateway sends goes through here, and
 * through `redactSecrets`: no registered secret (a provider's key, a store password) leaves in it.
 *
 * @example
 * return errorReply(c, codec, toAiMateyError(error));
 */
export function errorReply(
  c: GatewayContext,
  codec: WireCodec,
  error: AiMateyError,
  headers: Record<string, string> = {},
): Response {
  const encoded = codec.encodeError(error);
  return textReply(c, redactSecrets(JSON.stringify(encoded.body)), encoded.status, {
    'content-type': 'application/json',
    ...encoded.headers,
    ...errorRoutingHeaders(error),
    ...headers,
  });
}
