import type {
  AssistantContentPart,
  ChatRequest,
  Message,
  TextPart,
  ToolResultPart,
  UserContentPart,
} from 'ai.matey.core';
import { invalidOpenAIChatRequest } from '../openai-chat/openai-chat-invalid-request.ts';
import { sourceFromUrl } from '../shared/data-url.ts';
import { requireJsonObject } from '../shared/json-object-body.ts';
import { canonicalArguments } from '../shared/tool-arguments.ts';
import { type CohereRequestMessage, cohereRequestSchema } from './cohere-request-schema.ts';
import { toolPlanMetadata } from './cohere-response.ts';

/** Fields read into the spec request; the rest go to `providerOptions.cohere`. */
const MAPPED_FIELDS = new Set([
  'model',
  'messages',
  'tools',
  'tool_choice',
  'response_format',
  'max_tokens',
  'temperature',
  'p',
  'k',
  'frequency_penalty',
  'presence_penalty',
  'seed',
  'stop_sequences',
  'stream',
]);

/**
 * Parses a Cohere v2 chat body as a Cohere SDK client sends it. Wrong types throw
 * `InvalidRequestError` naming the field; Cohere fields with no spec equivalent (`documents`,
 * `citation_options`, `safety_mode`, `strict_tools`, a disabled `thinking`, …) are kept in
 * `providerOptions.cohere` so a Cohere-to-Cohere call sends them on unchanged.
 */
export function decodeCohereRequest(body: unknown): ChatRequest {
  requireJsonObject(body);
  const parsed = cohereRequestSchema.safeParse(body);
  if (!parsed.success) throw invalidOpenAIChatRequest(parsed.error.issues);
  const input = parsed.data;
  const request: ChatRequest = { messages: decodeMessages(input.messages) };
  if (input.model !== undefined) request.model = input.model;
  if (input.tools && input.tools.length > 0) {
    request.tools = input.tools.map((tool) => ({
      name: tool.function.name,
      ...(tool.function.description !== undefined ? { description: tool.function.description } : {}),
      inputSchema: tool.function.parameters ?? { type: 'object', properties: {} },
      ...(input.strict_tools === true ? { strict: true } : {}),
    }));
  }
  if (input.tool_choice === 'REQUIRED') request.toolChoice = 'required';
  if (input.tool_choice === 'NONE') request.toolChoice = 'none';
  const format = input.response_format;
  if (format) {
    request.responseFormat =
      format.type === 'text'
        ? { type: 'text' }
        : format.json_schema
          ? { type: 'json-schema', schema: format.json_schema }
          : { type: 'json' };
  }
  if (input.max_tokens != null) request.maxOutputTokens = input.max_tokens;
  if (input.temperature != null) request.temperature = input.temperature;
  if (input.p != null) request.topP = input.p;
  if (input.k != null) request.topK = input.k;
  if (input.frequency_penalty != null) request.frequencyPenalty = input.frequency_penalty;
  if (input.presence_penalty != null) request.presencePenalty = input.presence_penalty;
  if (input.seed != null) request.seed = input.seed;
  if (input.stop_sequences) request.stopSequences = input.stop_sequences;
  const passthrough: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (!MAPPED_FIELDS.has(key)) passthrough[key] = value;
  if (input.thinking?.type === 'enabled') {
    delete passthrough.thinking;
    request.reasoning =
      input.thinking.token_budget != null ? { budgetTokens: input.thinking.token_budget } : {};
  }
  if (passthrough.strict_tools !== undefined && request.tools) delete passthrough.strict_tools;
  if (Object.keys(passthrough).length > 0) request.providerOptions = { cohere: passthrough };
  return request;
}

function decodeMessages(messages: CohereRequestMessage[]): Message[] {
  const out: Message[] = [];
  const toolNames = new Map<string, string>();
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        out.push({ role: 'system', content: textParts(message.content) });
        break;
      case 'user':
        out.push({
          role: 'user',
          content:
            typeof message.content === 'string' ? message.content : message.content.flatMap(decodeUserItem),
        });
        break;
      case 'assistant': {
        const parts: AssistantContentPart[] = [];
        const content = message.content ?? [];
        if (typeof content === 'string') {
          if (content !== '') parts.push({ type: 'text', text: content });
        } else {
          for (const item of content)
            parts.push(
              item.type === 'text'
                ? { type: 'text', text: item.text }
                : { type: 'reasoning', text: item.thinking },
            );
        }
        if (message.tool_plan)
          parts.push({ type: 'text', text: message.tool_plan, providerMetadata: toolPlanMetadata() });
        for (const call of message.tool_calls ?? []) {
          toolNames.set(call.id, call.function.name);
          parts.push({
            type: 'tool-call',
            toolCallId: call.id,
            toolName: call.function.name,
            arguments: canonicalArguments(call.function.arguments ?? ''),
          });
        }
        out.push({
          role: 'assistant',
          content: typeof content === 'string' && parts.length <= 1 ? content : parts,
        });
        break;
      }
      case 'tool': {
        const result: ToolResultPart = {
          type: 'tool-result',
          toolCallId: message.tool_call_id,
          content:
            typeof message.content === 'string'
              ? message.content
              : message.content.map(
                  (item): TextPart => ({
                    type: 'text',
                    text: item.type === 'text' ? item.text : JSON.stringify(item.document),
                  }),
                ),
        };
        const toolName = toolNames.get(message.tool_call_id);
        if (toolName !== undefined) result.toolName = toolName;
        const previous = out.at(-1);
        if (previous?.role === 'tool') previous.content.push(result);
        else out.push({ role: 'tool', content: [result] });
        break;
      }
    }
  }
  return out;
}

function textParts(content: string | Array<{ text: string }>): string | TextPart[] {
  return typeof content === 'string' ? content : content.map((item) => ({ type: 'text', text: item.text }));
}

type UserItem = Exclude<Extract<CohereRequestMessage, { role: 'user' }>['content'], string>[number];

function decodeUserItem(item: UserItem): UserContentPart[] {
  if (item.type === 'text') return [{ type: 'text', text: item.text }];
  if (item.type === 'image_url') {
    const detail = item.image_url.detail;
    return [{ type: 'image', source: sourceFromUrl(item.image_url.url), ...(detail ? { detail } : {}) }];
  }
  return [{ type: 'text', text: JSON.stringify(item.document) }];
}
