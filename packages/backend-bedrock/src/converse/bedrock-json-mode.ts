import type { ChatRequest } from 'ai.matey.core';

/** The forced tool that carries a JSON answer: Converse has no JSON switch for every model. */
export const JSON_TOOL_NAME = 'json';

/** The request asked for JSON, so a `json` tool call is the answer's text. */
export function isJsonModeRequest(request: ChatRequest | undefined): boolean {
  const format = request?.responseFormat;
  return format !== undefined && format.type !== 'text';
}
