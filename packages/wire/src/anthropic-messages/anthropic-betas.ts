import type { ChatRequest } from 'ai.matey.core';
import type { ChatPathInfo, DecodedCall, RequestHeaders } from '../codec.ts';

/**
 * The `anthropic-beta` values of a call (one header, comma-separated, or several headers), in
 * order, without repeats.
 */
export function readAnthropicBetas(headers: RequestHeaders | undefined): string[] {
  const raw = headers?.['anthropic-beta'];
  const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => /^[\w.-]{1,100}$/.test(value));
  return [...new Set(values)];
}

/**
 * Wraps a `decodeCall` so the caller's `anthropic-beta` headers ride with the request as
 * `providerOptions.anthropic.betas` (the Anthropic SDK's name for them): an Anthropic upstream
 * gets them back as its `anthropic-beta` header; other upstreams have no use for them.
 */
export function withAnthropicBetas(
  decodeCall: (body: unknown, path?: ChatPathInfo) => DecodedCall,
): (body: unknown, path?: ChatPathInfo, headers?: RequestHeaders) => DecodedCall {
  return (body, path, headers) => {
    const call = decodeCall(body, path);
    const betas = readAnthropicBetas(headers);
    if (betas.length === 0) return call;
    const anthropic = call.request.providerOptions?.anthropic ?? {};
    const sent = Array.isArray(anthropic.betas)
      ? anthropic.betas.filter((beta) => typeof beta === 'string')
      : [];
    const request: ChatRequest = {
      ...call.request,
      providerOptions: {
        ...call.request.providerOptions,
        anthropic: { ...anthropic, betas: [...new Set([...sent, ...betas])] },
      },
    };
    return { ...call, request };
  };
}
