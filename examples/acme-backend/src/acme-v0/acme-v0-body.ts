import { type ChatRequest, InvalidRequestError, UnsupportedFeatureError, type Warning } from 'ai.matey.core';

/**
 * Acme's older "v0" API, a wire format of its own (made up for this example):
 *   POST /v0/generate  { model, input: [{ role, text }], max_tokens?, temperature?, stream? }
 *   200 { id, model, output: { text }, stop: 'end' | 'max_tokens', usage: { input, output } }
 *   stream: `event: delta` { text } … then `event: done` { id, model, stop, usage }
 *   error: { error: { type, message } } with the HTTP status, `acme-retry-after-ms` on 429/503
 */
export interface AcmeV0Request {
  model: string;
  input: Array<{ role: 'system' | 'user' | 'assistant'; text: string }>;
  max_tokens?: number;
  temperature?: number;
  stream?: boolean;
}

export interface AcmeV0Response {
  id: string;
  model: string;
  output: { text: string };
  stop: 'end' | 'max_tokens';
  usage: { input: number; output: number };
}

/** Settings v0 has no field for: said as warnings, not dropped in silence. */
const UNSUPPORTED = ['topP', 'topK', 'seed', 'stopSequences', 'frequencyPenalty', 'presencePenalty'] as const;

export function toAcmeV0Request(
  request: ChatRequest,
  model: string,
  stream: boolean,
): { body: Record<string, unknown>; warnings: Warning[] } {
  // Tools change what the model may answer: dropping them would change the meaning, so refuse.
  if (request.tools?.length) {
    throw new UnsupportedFeatureError({ message: 'acme-v0 has no tools', provider: 'acme', param: 'tools' });
  }
  const input = request.messages.map((message, i) => {
    if (message.role === 'tool') {
      throw new UnsupportedFeatureError({ message: 'acme-v0 has no tool results', param: `messages.${i}` });
    }
    const parts =
      typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    const text = parts.map((part) => {
      if (part.type !== 'text') {
        throw new UnsupportedFeatureError({
          message: `acme-v0 takes text only, not ${part.type}`,
          param: `messages.${i}`,
        });
      }
      return (part as { text: string }).text;
    });
    return { role: message.role, text: text.join('') };
  });
  const body: AcmeV0Request = { model, input, stream };
  if (request.maxOutputTokens !== undefined) body.max_tokens = request.maxOutputTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  const warnings = UNSUPPORTED.filter((setting) => request[setting] !== undefined).map((setting) => ({
    type: 'unsupported-setting',
    setting,
    message: `acme-v0 has no ${setting}; it was not sent`,
  }));
  return { body: { ...body }, warnings };
}

/** The server half: an inbound v0 body as a spec request, naming the field at fault. */
export function fromAcmeV0Request(body: unknown): ChatRequest {
  const value = body as Partial<AcmeV0Request> | null;
  const invalid = (param: string, message: string) =>
    new InvalidRequestError({ message, param, code: 'invalid_request' });
  if (typeof value?.model !== 'string') throw invalid('model', 'model must be a string');
  if (!Array.isArray(value.input) || value.input.length === 0)
    throw invalid('input', 'input must be a non-empty list');
  const messages = value.input.map((item, i) => {
    if (!['system', 'user', 'assistant'].includes(item?.role) || typeof item?.text !== 'string') {
      throw invalid(`input.${i}`, 'each input needs a role (system, user, assistant) and a text');
    }
    return { role: item.role, content: item.text };
  });
  const request: ChatRequest = { model: value.model, messages };
  if (typeof value.max_tokens === 'number') request.maxOutputTokens = value.max_tokens;
  if (typeof value.temperature === 'number') request.temperature = value.temperature;
  return request;
}
