// A user's TypeScript file, type-checked against the installed tarballs' declarations.
import { OpenAIBackendAdapter } from 'ai.matey.backend';
import { Bridge, type ChatRequest, type ChatResponse, type StreamEvent } from 'ai.matey.core';

const bridge = new Bridge({ backend: new OpenAIBackendAdapter({ apiKey: 'key' }) });
const request: ChatRequest = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] };

export async function ask(): Promise<string> {
  const response: ChatResponse = await bridge.execute(request);
  return response.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

export async function deltas(): Promise<string[]> {
  const seen: string[] = [];
  for await (const event of bridge.stream(request)) {
    const typed: StreamEvent = event;
    if (typed.type === 'text-delta') seen.push(typed.delta);
  }
  return seen;
}

// The declarations are real types, not `any`: a role that does not exist must not compile.
// @ts-expect-error 'robot' is not a message role
export const wrong: ChatRequest = { messages: [{ role: 'robot', content: 'x' }] };
