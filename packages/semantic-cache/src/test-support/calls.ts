import type { Bridge, ChatRequest, ChatResponse, StreamEvent } from 'ai.matey.core';

/** Both ways a middleware sees a call; the tests run once per mode. */
export const modes = ['execute', 'stream'] as const;
export type Mode = (typeof modes)[number];

/** What a caller sees of one call: the answer's text, and the cache's word on it. */
export interface Seen {
  text: string;
  cache: Record<string, unknown> | undefined;
}

/** Makes a call in a mode and reads it as a caller would (a stream to its end). */
export async function ask(bridge: Bridge, mode: Mode, request: ChatRequest): Promise<Seen> {
  if (mode === 'execute') return seen(await bridge.execute(request));
  let text = '';
  let cache: Record<string, unknown> | undefined;
  for await (const event of bridge.stream(request)) {
    if (event.type === 'start') cache = cacheOf(event);
    if (event.type === 'text-delta') text += event.delta;
  }
  return { text, cache };
}

/** A one-turn request (and a system prompt, when given). */
export function question(text: string, system?: string): ChatRequest {
  return {
    model: 'mock-model',
    messages: [
      ...(system ? [{ role: 'system' as const, content: system }] : []),
      { role: 'user', content: text },
    ],
  };
}

function seen(response: ChatResponse): Seen {
  const text = response.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
  return { text, cache: asRecord(response.metadata?.cache) };
}

function cacheOf(event: Extract<StreamEvent, { type: 'start' }>): Record<string, unknown> | undefined {
  return asRecord(event.metadata?.cache);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}
