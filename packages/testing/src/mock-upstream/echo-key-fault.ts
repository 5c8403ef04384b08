import type { IncomingHttpHeaders } from 'node:http';
import type { MockErrorKind, MockUpstreamReplySource } from './mock-upstream-reply.ts';
import { requestApiKey } from './request-api-key.ts';

export interface EchoKeyFaultOptions {
  /**
   * SSE events sent before the in-band error event (default 1). With 0 the error event is the
   * stream's first, so a gateway sees the failure before it has answered.
   */
  afterEvents?: number;
  /** The kind of error the event carries (default `invalid-request`). */
  kind?: MockErrorKind;
}

/**
 * A fault real providers show: a streamed reply that fails with the protocol's in-band error
 * event whose message quotes the API key the request came with (`Incorrect API key provided:
 * <key>`). Non-streamed calls get the same message in the provider's HTTP error body. For
 * testing that no path out of a gateway lets an upstream key through.
 *
 * @example
 * await using upstream = await startMockUpstream({ reply: echoKeyInStreamError() });
 */
export function echoKeyInStreamError(options: EchoKeyFaultOptions = {}): MockUpstreamReplySource {
  return (_request, context) => {
    const key = requestApiKey(context.headers as IncomingHttpHeaders, '') ?? '(none)';
    return {
      text: 'This reply breaks off',
      chunkCount: 3,
      errorEventAfter: options.afterEvents ?? 1,
      error: options.kind ?? 'invalid-request',
      errorMessage: `Incorrect API key provided: ${key}. You can find your API key in your dashboard.`,
    };
  };
}
