import { type SseEvent, SseParser, type WireProtocol } from 'ai.matey.wire';

/** A minimal valid chat call for a protocol (what tests send with plain fetch). */
export function chatCall(
  protocol: WireProtocol,
  options: { stream?: boolean; text?: string; model?: string } = {},
): { path: string; body: Record<string, unknown>; headers: Record<string, string> } {
  const stream = options.stream ?? false;
  const text = options.text ?? 'Hello there';
  if (protocol === 'gemini') {
    const model = options.model ?? 'gemini-2.5-flash';
    return {
      path: stream
        ? `/v1beta/models/${model}:streamGenerateContent?alt=sse`
        : `/v1beta/models/${model}:generateContent`,
      body: { contents: [{ role: 'user', parts: [{ text }] }] },
      headers: { 'x-goog-api-key': 'test-key' },
    };
  }
  if (protocol === 'cohere') {
    return {
      path: '/v2/chat',
      body: {
        model: options.model ?? 'command-a-03-2025',
        messages: [{ role: 'user', content: text }],
        ...(stream ? { stream: true } : {}),
      },
      headers: { authorization: 'Bearer test-key' },
    };
  }
  if (protocol === 'anthropic-messages') {
    return {
      path: '/v1/messages',
      body: {
        model: options.model ?? 'claude-sonnet-4-5',
        max_tokens: 256,
        messages: [{ role: 'user', content: text }],
        ...(stream ? { stream: true } : {}),
      },
      headers: { 'x-api-key': 'test-key', 'anthropic-version': '2023-06-01' },
    };
  }
  if (protocol === 'openai-responses') {
    return {
      path: '/v1/responses',
      body: { model: options.model ?? 'gpt-5-mini', input: text, ...(stream ? { stream: true } : {}) },
      headers: { authorization: 'Bearer test-key' },
    };
  }
  return {
    path: '/v1/chat/completions',
    body: {
      model: options.model ?? 'gpt-4o-mini',
      messages: [{ role: 'user', content: text }],
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    },
    headers: { authorization: 'Bearer test-key' },
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
