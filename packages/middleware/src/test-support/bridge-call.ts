import type { Bridge, CallOptions, ChatRequest, ChatResponse } from 'ai.matey.core';

/** Both ways a middleware sees a call; its tests run once per mode (`describe.each(modes)`). */
export const modes = ['execute', 'stream'] as const;
export type Mode = (typeof modes)[number];

/** The plain one-message request most middleware tests send. */
export const hello: ChatRequest = { messages: [{ role: 'user', content: 'Hello there' }] };

/** Makes a call in a mode; a stream is collected, so both modes end in the same response. */
export function call(
  bridge: Bridge,
  mode: Mode,
  request: ChatRequest = hello,
  options: CallOptions = {},
): Promise<ChatResponse> {
  return mode === 'execute' ? bridge.execute(request, options) : bridge.stream(request, options).collect();
}
