import type { BackendCapabilities } from '../backend.ts';
import type { ChatRequest } from '../spec/request.ts';

/** The capabilities a request needs from whoever serves it. */
export function requestNeeds(request: ChatRequest): Array<keyof BackendCapabilities> {
  const needs: Array<keyof BackendCapabilities> = [];
  if (request.tools && request.tools.length > 0 && request.toolChoice !== 'none') needs.push('tools');
  if (request.responseFormat?.type === 'json-schema') needs.push('jsonSchema');
  const hasImage = request.messages.some(
    (message) => Array.isArray(message.content) && message.content.some((part) => part.type === 'image'),
  );
  if (hasImage) needs.push('vision');
  return needs;
}

export function missingCapabilities(request: ChatRequest, capabilities: BackendCapabilities): string[] {
  return requestNeeds(request).filter((need) => !capabilities[need]);
}
