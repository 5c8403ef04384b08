import type { IncomingHttpHeaders } from 'node:http';
import type { BuiltInWireProtocol } from 'ai.matey.wire';

/** What one inbound request asks the mock upstream for. */
export type MockRoute =
  | {
      kind: 'chat';
      protocol: BuiltInWireProtocol;
      /** Set where the path says it (Gemini); otherwise the body's `stream` decides. */
      stream?: boolean;
      /** The model named by the path (Gemini model, Azure deployment). */
      model?: string;
    }
  | { kind: 'models'; protocol: BuiltInWireProtocol }
  | { kind: 'not-found' };

const GEMINI_CHAT = /\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;
const AZURE_DEPLOYMENT = /\/deployments\/([^/]+)\/chat\/completions$/;

/**
 * Maps a method and path (query taken off) to a protocol and an operation. Paths match by their
 * end, so any base path works: `/v1/chat/completions`, `/chat/completions`, Groq's
 * `/openai/v1/chat/completions`, Azure's `/openai/deployments/{d}/chat/completions`.
 */
export function routeRequest(method: string, path: string, headers: IncomingHttpHeaders): MockRoute {
  if (method === 'POST') {
    if (path.endsWith('/chat/completions')) {
      const azure = AZURE_DEPLOYMENT.exec(path);
      return azure?.[1]
        ? { kind: 'chat', protocol: 'openai-chat', model: decodeURIComponent(azure[1]) }
        : { kind: 'chat', protocol: 'openai-chat' };
    }
    if (path.endsWith('/messages')) return { kind: 'chat', protocol: 'anthropic-messages' };
    const gemini = GEMINI_CHAT.exec(path);
    if (gemini?.[1]) {
      return {
        kind: 'chat',
        protocol: 'gemini',
        model: decodeURIComponent(gemini[1]),
        stream: gemini[2] === 'streamGenerateContent',
      };
    }
    return { kind: 'not-found' };
  }
  if (method === 'GET' && path.endsWith('/models')) {
    if (path.includes('/v1beta/') || headers['x-goog-api-key'] !== undefined) {
      return { kind: 'models', protocol: 'gemini' };
    }
    if (headers['anthropic-version'] !== undefined) return { kind: 'models', protocol: 'anthropic-messages' };
    return { kind: 'models', protocol: 'openai-chat' };
  }
  return { kind: 'not-found' };
}
