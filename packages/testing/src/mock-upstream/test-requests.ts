import type { ChatRequest } from 'ai.matey.core';
import { type SseEvent, SseParser, type WireProtocol, wireCodec } from 'ai.matey.wire';
import { personaOf } from './mock-personas.ts';

/**
 * A minimal valid chat call for a protocol (what tests send with plain fetch): the codec's own
 * path and body for one user turn to the protocol's default mock model, with a test key in the
 * header the protocol's clients use.
 */
export function chatCall(
  protocol: WireProtocol,
  options: { stream?: boolean; text?: string; model?: string } = {},
): { path: string; body: Record<string, unknown>; headers: Record<string, string> } {
  const codec = wireCodec(protocol);
  const stream = options.stream ?? false;
  const model = options.model ?? personaOf(protocol).models[0] ?? 'mock-model';
  const request: ChatRequest = {
    model,
    messages: [{ role: 'user', content: options.text ?? 'Hello there' }],
    maxOutputTokens: 256,
  };
  const encoded = codec.encodeRequest(request, { model, stream });
  const keyHeader = codec.inbound?.apiKey?.header;
  return {
    path: codec.endpoints.chatPath(codec.endpoints.versionedPath(''), model, stream),
    body: encoded.body,
    headers: {
      ...encoded.headers,
      ...(keyHeader ? { [keyHeader]: 'test-key' } : { authorization: 'Bearer test-key' }),
    },
  };
}

/** Sends a chat call with fetch; resolves with status, headers and the whole body text. */
export async function sendChat(
  baseUrl: string,
  protocol: WireProtocol,
  options: { stream?: boolean; text?: string; model?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const call = chatCall(protocol, options);
  const res = await fetch(baseUrl + call.path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...call.headers, ...options.headers },
    body: JSON.stringify(call.body),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** All SSE events in a text. */
export function parseSseText(text: string): SseEvent[] {
  const parser = new SseParser();
  return [...parser.push(text), ...parser.end()];
}
