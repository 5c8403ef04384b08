import type { ChatRequest } from 'ai.matey.core';

/** The tool a JSON-mode request forces on Anthropic; its input is the answer. */
export const JSON_TOOL_NAME = 'json';

/** Did the request ask for JSON (so a call of the `json` tool is the answer, as text)? */
export function isJsonModeRequest(request: ChatRequest | undefined): boolean {
  const type = request?.responseFormat?.type;
  return type === 'json' || type === 'json-schema';
}
