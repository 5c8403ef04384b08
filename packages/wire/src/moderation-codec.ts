import type { ModerationRequest, ModerationResponse } from 'ai.matey.core';

/**
 * A protocol's moderation endpoint (OpenAI's `/v1/moderations`), both directions: a backend
 * encodes requests and decodes replies; a server (the mock upstream) decodes calls and encodes
 * replies.
 */
export interface WireModerations {
  /** The call's path under the protocol's versioned base path (`/v1/moderations`). */
  path(versionedPath: string): string;
  encodeRequest(request: ModerationRequest, options: { model: string }): Record<string, unknown>;
  decodeResponse(body: unknown, context: { provider: string }): ModerationResponse;
  /** Parses an inbound body; throws `InvalidRequestError` naming the field at fault. */
  decodeCall(body: unknown): ModerationRequest;
  encodeResponse(response: ModerationResponse): Record<string, unknown>;
}
