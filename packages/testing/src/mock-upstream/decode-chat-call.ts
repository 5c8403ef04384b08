import {
  type AiMateyError,
  AiMateyError as BaseError,
  type ChatRequest,
  InvalidRequestError,
} from 'ai.matey.core';
import type { DecodedCall, WireCodec } from 'ai.matey.wire';
import { personaOf } from './mock-personas.ts';
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
  let call: DecodedCall;
  try {
    body = JSON.parse(bodyText);
    call = codec.decodeCall(body, route);
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
  const { request, stream, options } = call;
  return {
    ok: true,
    body,
    request,
    model: request.model ?? personaOf(codec.protocol).models[0] ?? 'mock-model',
    stream,
    includeUsage: options.includeUsage === true,
  };
}
