import {
  type AiMateyError,
  AiMateyError as BaseError,
  type ChatRequest,
  InvalidRequestError,
} from 'ai.matey.core';
import type { WireCodec } from 'ai.matey.wire';
import { defaultMockModels } from './models-list.ts';
import type { MockRoute } from './route-request.ts';

/** A chat call's body read by its protocol's codec, or the provider-shaped reason it could not be. */
export type DecodedChatCall =
  | {
      ok: true;
      /** The parsed JSON body. */
      body: unknown;
      request: ChatRequest;
      model: string;
      stream: boolean;
      /** OpenAI: the caller asked for the final usage chunk (`stream_options.include_usage`). */
      includeUsage: boolean;
    }
  | { ok: false; body: unknown; error: AiMateyError };

/**
 * Parses and decodes a chat call's body; the model comes from the body, else the path (Gemini,
 * Azure), and streaming from the path (Gemini) or the body's `stream`.
 */
export function decodeChatCall(
  codec: WireCodec,
  route: Extract<MockRoute, { kind: 'chat' }>,
  bodyText: string,
  provider: string,
): DecodedChatCall {
  let body: unknown = bodyText;
  let request: ChatRequest;
  try {
    body = JSON.parse(bodyText);
    request = codec.decodeRequest(body);
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
  if (route.model !== undefined && request.model === undefined) request = { ...request, model: route.model };
  const record = body as { stream?: unknown; stream_options?: { include_usage?: unknown } | null };
  return {
    ok: true,
    body,
    request,
    model: request.model ?? defaultMockModels[route.protocol][0] ?? 'mock-model',
    stream: route.stream ?? record.stream === true,
    includeUsage: record.stream_options?.include_usage === true,
  };
}
