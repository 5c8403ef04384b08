import type { ChatRequest, TokenCount } from 'ai.matey.core';
import type { ChatPathInfo, EncodedRequest, EncodeRequestOptions } from './codec.ts';

/**
 * A protocol's token-count endpoint, both directions: a backend counts with the client half, a
 * gateway serves the server half. The request is the chat request's shape, without output fields.
 */
export interface TokenCountCodec {
  /** The path of a count call for this model (`${versionedPath}/messages/count_tokens`). */
  path(versionedPath: string, model: string): string;
  /** The count call's body for a spec request. */
  encodeRequest(request: ChatRequest, options: EncodeRequestOptions): EncodedRequest;
  /** The input tokens a count reply states; throws when the body is not one. */
  decodeResponse(body: unknown): number;
  /** Reads a server-side path back into a count call (the model it names), or `undefined`. */
  parsePath(path: string): ChatPathInfo | undefined;
  /** Parses an inbound count body (the path's model when the body names none); throws as `decodeRequest`. */
  decodeRequest(body: unknown, path?: ChatPathInfo): ChatRequest;
  /** A count reply body in this protocol's shape. */
  encodeResponse(count: TokenCount): Record<string, unknown>;
}
