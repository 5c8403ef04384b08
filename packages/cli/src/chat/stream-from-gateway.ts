import { type ChatRequest, NetworkError, type StreamEvent, toAiMateyError } from 'ai.matey.core';
import { openaiChat, SseParser } from 'ai.matey.wire';

export interface GatewayCallOptions {
  /** The gateway's base URL (`http://127.0.0.1:8787`; a trailing `/v1` is accepted). */
  url: string;
  /** A gateway key, sent as `Authorization: Bearer`. */
  apiKey?: string | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Streams a chat call through a running gateway's OpenAI-compatible endpoint: the request is
 * encoded and the SSE reply decoded with the same `openaiChat` codec the gateway itself uses,
 * so what arrives is the spec's stream events. A non-2xx answer throws its typed error.
 *
 * @example
 * for await (const event of streamFromGateway(request, { url: 'http://127.0.0.1:8787' })) …
 */
export async function* streamFromGateway(
  request: ChatRequest,
  options: GatewayCallOptions,
): AsyncGenerator<StreamEvent> {
  const base = options.url.replace(/\/+$/, '').replace(/\/v1$/, '');
  const { body } = openaiChat.encodeRequest(request, { model: request.model ?? '', stream: true });
  let response: Response;
  try {
    response = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      },
      body: JSON.stringify(body),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw toAiMateyError(options.signal.reason ?? error);
    // fetch says only "fetch failed"; the socket's reason (ECONNREFUSED, bad port, …) is its cause.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new NetworkError({
      message: `cannot reach the gateway at ${base}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
      provider: 'gateway',
      cause: error,
    });
  }
  const provider = response.headers.get('x-matey-provider') ?? 'gateway';
  if (!response.ok || !response.body) {
    const text = await response.text().catch(() => '');
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON (a proxy's HTML page, say): the codec reports the text as it is.
    }
    throw openaiChat.decodeError(response.status, parsed, response.headers, { provider });
  }
  const parser = new SseParser();
  const decoder = openaiChat.createStreamDecoder({ provider, request });
  let finished = false;
  const reader = response.body[Symbol.asyncIterator]();
  try {
    while (true) {
      let chunk: IteratorResult<Uint8Array>;
      try {
        chunk = await reader.next();
      } catch (error) {
        throw options.signal?.aborted
          ? toAiMateyError(options.signal.reason ?? error)
          : toAiMateyError(error);
      }
      const sse = chunk.done ? parser.end() : parser.push(chunk.value);
      for (const frame of sse) {
        for (const event of decoder.push(frame)) {
          if (event.type === 'finish') finished = true;
          yield event;
        }
      }
      if (chunk.done) break;
    }
    for (const event of decoder.end()) {
      if (event.type === 'finish') finished = true;
      yield event;
    }
    if (!finished) {
      throw new NetworkError({
        message: 'The gateway closed the stream before the reply finished',
        provider,
      });
    }
  } finally {
    if (!finished) await reader.return?.();
  }
}
