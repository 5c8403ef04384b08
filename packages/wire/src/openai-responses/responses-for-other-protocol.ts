import { type ChatRequest, type Message, UnsupportedFeatureError, type Warning } from 'ai.matey.core';
import type { ForeignRequest } from '../codec.ts';
import { DROPPABLE_ITEMS } from './responses-item-types.ts';
import { isRecord, opaqueItemOf, RESPONSES_KEY, stringOr } from './responses-metadata.ts';

/** Extra fields that only an OpenAI Responses upstream can honour, and whose loss changes the call. */
const REFUSED_FIELDS = new Set(['tools', 'tool_choice', 'conversation', 'prompt', 'background']);
/** Extra fields the gateway honours itself (its conversation store): nothing to say when not sent. */
const SILENT_FIELDS = new Set(['store', 'stream_options', 'client_metadata']);
/**
 * Tools the model may use or not, which Codex offers on every call: without them the call still
 * makes sense, so another provider gets the call without them and the caller a warning.
 * `web_search` is OpenAI's hosted search; `namespace` groups function tools (Codex's sub-agents)
 * that the reply would have to name with their namespace, which another provider cannot.
 */
const OPTIONAL_TOOLS = new Set(['web_search', 'web_search_preview', 'namespace']);

/**
 * A Responses request made fit for a backend of another protocol. Hosted and custom tools, a
 * hosted `tool_choice`, OpenAI-side state (`conversation`, a stored `prompt`, `background`) and
 * conversation items that are tool calls or results of such tools refuse the call with a 400
 * naming them; hosted-tool records whose answer is already in the text (web and file search,
 * code interpreter, image generation) and fields that only tune OpenAI's side (`include`,
 * `truncation`, `text.verbosity`, `reasoning.summary`, …) are dropped with a warning.
 */
export function responsesForOtherProtocol(request: ChatRequest): ForeignRequest {
  const extra = request.providerOptions?.[RESPONSES_KEY];
  const hasOpaque = request.messages.some(
    (message) => Array.isArray(message.content) && message.content.some((part) => opaqueItemOf(part)),
  );
  if (extra === undefined && !hasOpaque) return { request, warnings: [] };
  const warnings: Warning[] = [];
  for (const [field, value] of Object.entries(extra ?? {})) {
    if (field === 'tools' && Array.isArray(value)) {
      const needed = value.filter((tool) => !OPTIONAL_TOOLS.has(typeOf(tool)));
      if (needed.length > 0) throw refused(field, needed);
      warnings.push(
        ...value.map(
          (tool): Warning => ({
            type: 'unsupported-tool',
            setting: 'tools',
            message: `The '${typeOf(tool)}' tool${isRecord(tool) && typeof tool.name === 'string' ? ` '${tool.name}'` : ''} exists only in the OpenAI Responses API; it was not offered to this provider.`,
          }),
        ),
      );
      continue;
    }
    if (REFUSED_FIELDS.has(field) && !(field === 'background' && value === false))
      throw refused(field, value);
    if (SILENT_FIELDS.has(field)) continue;
    warnings.push({
      type: 'unsupported-setting',
      setting: field,
      message: `'${field}' is an OpenAI Responses setting this provider has no equivalent for; it was not sent.`,
    });
  }
  const messages: Message[] = [];
  request.messages.forEach((message, index) => {
    if (!Array.isArray(message.content)) {
      messages.push(message);
      return;
    }
    const kept = message.content.filter((part) => {
      const item = opaqueItemOf(part);
      if (!item) return true;
      const type = stringOr(item.type, 'unknown');
      if (!DROPPABLE_ITEMS.has(type)) {
        throw new UnsupportedFeatureError({
          message: `The conversation holds a '${type}' item (messages[${index}]), which only the OpenAI Responses API can take; send it to a Responses upstream or leave it out.`,
          param: 'input',
          code: 'unsupported_input_item',
        });
      }
      warnings.push({
        type: 'unsupported-content',
        setting: `messages[${index}]`,
        message: `A '${type}' record was left out: this provider has no such tool (its answer is in the conversation's text).`,
      });
      return false;
    });
    if (kept.length > 0) messages.push({ ...message, content: kept } as Message);
  });
  const { [RESPONSES_KEY]: _own, ...providerOptions } = request.providerOptions ?? {};
  const outgoing: ChatRequest = { ...request, messages };
  if (Object.keys(providerOptions).length > 0) outgoing.providerOptions = providerOptions;
  else delete outgoing.providerOptions;
  return { request: outgoing, warnings };
}

function typeOf(tool: unknown): string {
  return isRecord(tool) ? stringOr(tool.type, 'unknown') : 'unknown';
}

function refused(field: string, value: unknown): UnsupportedFeatureError {
  if (field === 'tools' && Array.isArray(value)) {
    const names = value.map((tool) => (isRecord(tool) ? stringOr(tool.type, 'unknown') : 'unknown'));
    return new UnsupportedFeatureError({
      message: `The tool${names.length > 1 ? 's' : ''} ${names.map((name) => `'${name}'`).join(', ')} exist${names.length > 1 ? '' : 's'} only in the OpenAI Responses API; this provider cannot run ${names.length > 1 ? 'them' : 'it'}. Send the call to a Responses upstream, or use function tools.`,
      param: 'tools',
      code: 'unsupported_tool',
    });
  }
  const what =
    field === 'tool_choice' && isRecord(value)
      ? `tool_choice '${stringOr(value.type, 'unknown')}'`
      : `'${field}'`;
  return new UnsupportedFeatureError({
    message: `${what} works only with the OpenAI Responses API; this provider cannot honour it.`,
    param: field,
    code: 'unsupported_parameter',
  });
}
