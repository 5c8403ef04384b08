import type { AiMateyError } from 'ai.matey.core';
import type { DecodeContext, EncodedError, HeaderLookup } from '../codec.ts';
import { decodeOpenAIError, encodeOpenAIError } from '../openai-chat/openai-chat-error.ts';
import { isRecord } from './responses-metadata.ts';

/**
 * A typed error from a Responses error reply: the body is OpenAI's `{error:{message,type,param,code}}`,
 * the same as Chat Completions', so the Chat codec's reading applies.
 */
export function decodeResponsesError(
  status: number,
  body: unknown,
  headers?: HeaderLookup,
  context?: DecodeContext,
): AiMateyError {
  return decodeOpenAIError(status, body, headers, context);
}

/**
 * The error inside a stream: an `error` event (`{type:'error', code, message, param}`, or with
 * the fields under `error` as some servers send it) or a `response.failed` response's `error`.
 */
export function decodeResponsesStreamError(
  payload: Record<string, unknown>,
  context: DecodeContext,
): AiMateyError {
  const response = isRecord(payload.response) ? payload.response : undefined;
  const inner = isRecord(payload.error)
    ? payload.error
    : isRecord(response?.error)
      ? response.error
      : payload;
  const body = {
    error: {
      message: inner.message,
      type: inner.type === 'error' ? undefined : inner.type,
      code: inner.code,
      param: inner.param,
    },
  };
  return decodeOpenAIError(undefined, body, undefined, context);
}

/** A spec error as OpenAI's error reply, the format Responses clients read. */
export function encodeResponsesError(error: AiMateyError): EncodedError {
  return encodeOpenAIError(error);
}
