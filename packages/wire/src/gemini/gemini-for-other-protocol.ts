import { type ChatRequest, UnsupportedFeatureError } from 'ai.matey.core';
import type { ForeignRequest } from '../codec.ts';

/**
 * A Gemini request made fit for a backend of another protocol: Google's hosted tools (Google
 * Search, code execution, URL context, …, kept in `providerOptions.gemini.tools`) run only at
 * Google, and the call would mean something else without them, so they refuse it with a 400
 * naming them. The rest of the Gemini-only fields are left to the backend, which says what it
 * did not send.
 */
export function geminiForOtherProtocol(request: ChatRequest): ForeignRequest {
  const tools = request.providerOptions?.gemini?.tools;
  if (!Array.isArray(tools) || tools.length === 0) return { request, warnings: [] };
  const names = tools.flatMap((tool: unknown) =>
    typeof tool === 'object' && tool !== null ? Object.keys(tool) : ['unknown'],
  );
  const many = names.length > 1;
  throw new UnsupportedFeatureError({
    message: `The tool${many ? 's' : ''} ${names.map((name) => `'${name}'`).join(', ')} exist${many ? '' : 's'} only in the Gemini API; this provider cannot run ${many ? 'them' : 'it'}. Send the call to a Gemini upstream, or use function declarations.`,
    param: 'tools',
    code: 'unsupported_tool',
  });
}
