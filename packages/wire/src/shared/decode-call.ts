import type { ChatRequest } from 'ai.matey.core';
import type { ChatPathInfo, DecodedCall, StreamEncoderOptions } from '../codec.ts';

/**
 * A codec's `decodeCall` from its `decodeRequest` and how its body asks for a stream: a model
 * named by the path fills a body that names none, and streaming said by the path wins.
 */
export function createCallDecoder(
  decodeRequest: (body: unknown) => ChatRequest,
  streamOf: (body: Record<string, unknown>) => { stream: boolean; options: StreamEncoderOptions },
): (body: unknown, path?: ChatPathInfo) => DecodedCall {
  return (body, path) => {
    let request = decodeRequest(body);
    // decodeRequest accepts only an object body, so this cast holds from here.
    const { stream, options } = streamOf(body as Record<string, unknown>);
    if (path?.model !== undefined && request.model === undefined) request = { ...request, model: path.model };
    return { request, stream: path?.stream ?? stream, options };
  };
}

/** The body's `stream: true`, as OpenAI- and Anthropic-style bodies say it. */
export function bodyStreamFlag(body: Record<string, unknown>): {
  stream: boolean;
  options: StreamEncoderOptions;
} {
  return { stream: body.stream === true, options: {} };
}
