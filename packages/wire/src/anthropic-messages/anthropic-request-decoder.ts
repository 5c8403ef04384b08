import {
  type ChatRequest,
  InvalidRequestError,
  type Message,
  type ToolChoice,
  type ToolResultPart,
  type UserContentPart,
} from 'ai.matey.core';
import type { z } from 'zod';
import { attachCarriedBlocks } from './anthropic-carried-blocks.ts';
import {
  anthropicMetadata,
  decodeAssistantBlock,
  decodeDocumentBlock,
  decodeImageBlock,
  decodeTextBlock,
} from './anthropic-content-decoder.ts';
import { decodeAnthropicOptions, specEffort } from './anthropic-request-options.ts';
import {
  type AnthropicKnownBlock,
  type AnthropicRequestBlock,
  type AnthropicRequestBody,
  type AnthropicRequestMessage,
  type AnthropicSystemMessage,
  type AnthropicToolChange,
  anthropicRequestSchema,
  isKnownBlock,
} from './anthropic-request-schema.ts';
import { applyToolChanges, decodeAnthropicTools } from './anthropic-request-tools.ts';

/** Top-level fields mapped onto the spec; every other field goes to `providerOptions.anthropic`. */
const MAPPED_FIELDS = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'tools',
  'tool_choice',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'metadata',
  'thinking',
  'output_config',
  'output_format',
  'stream',
]);

type Issue = z.core.$ZodIssue;

/** The most specific issue: inside a union, the branch that got furthest into the value. */
function deepestIssue(issue: Issue, prefix: PropertyKey[] = []): { path: PropertyKey[]; message: string } {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    let best: { path: PropertyKey[]; message: string } | undefined;
    for (const branch of issue.errors)
      for (const inner of branch) {
        const candidate = deepestIssue(inner, path);
        if (!best || candidate.path.length > best.path.length) best = candidate;
      }
    if (best) return best;
  }
  return { path, message: issue.message };
}

function invalid(param: string, message: string): InvalidRequestError {
  return new InvalidRequestError({ message: `${param}: ${message}`, param, code: 'invalid_request_error' });
}

function decodeUserBlock(block: AnthropicKnownBlock, param: string): UserContentPart {
  if (block.type === 'text') return decodeTextBlock(block);
  if (block.type === 'image') return decodeImageBlock(block);
  if (block.type === 'document')
    return decodeDocumentBlock({
      ...block,
      title: block.title ?? undefined,
      context: block.context ?? undefined,
    });
  throw invalid(`${param}.type`, `a user message cannot hold a ${block.type} block`);
}

function decodeToolResult(
  block: Extract<AnthropicRequestBlock, { type: 'tool_result' }>,
  toolNames: Map<string, string>,
): ToolResultPart {
  const toolName = toolNames.get(block.tool_use_id);
  const items = typeof block.content === 'string' || block.content === undefined ? [] : block.content;
  const parts: ToolResultPart['content'] = [];
  const otherContent: unknown[] = [];
  for (const item of items) {
    if (item.type === 'text') parts.push(decodeTextBlock(item as Parameters<typeof decodeTextBlock>[0]));
    else if (item.type === 'image')
      parts.push(decodeImageBlock(item as Parameters<typeof decodeImageBlock>[0]));
    else otherContent.push(item);
  }
  return {
    type: 'tool-result',
    toolCallId: block.tool_use_id,
    ...(toolName !== undefined ? { toolName } : {}),
    content: typeof block.content === 'string' || block.content === undefined ? (block.content ?? '') : parts,
    ...(block.is_error !== undefined ? { isError: block.is_error } : {}),
    // Blocks the spec has no part for (tool search's `tool_reference`) go back to Anthropic as they came.
    ...anthropicMetadata({
      cacheControl: block.cache_control,
      otherContent: otherContent.length > 0 ? otherContent : undefined,
    }),
  };
}

/**
 * One Anthropic turn as spec messages. A user turn's `tool_result` blocks become spec `tool`
 * messages (each run of them one message, in place); its other blocks a user message.
 */
function decodeTurn(turn: AnthropicRequestMessage, index: number, toolNames: Map<string, string>): Message[] {
  const param = `messages.${index}.content`;
  if (turn.role === 'assistant') {
    if (typeof turn.content === 'string') return [{ role: 'assistant', content: turn.content }];
    const decoded = turn.content.map((block, blockIndex) => {
      if (!isKnownBlock(block)) return undefined;
      const part = decodeAssistantBlock(block);
      if (!part)
        throw invalid(
          `${param}.${blockIndex}.type`,
          `an assistant message cannot hold a ${block.type} block`,
        );
      if (part.type === 'tool-call') toolNames.set(part.toolCallId, part.toolName);
      return part;
    });
    return [{ role: 'assistant', content: attachCarriedBlocks(decoded, turn.content) }];
  }
  if (typeof turn.content === 'string') return [{ role: 'user', content: turn.content }];
  const messages: Message[] = [];
  turn.content.forEach((block, blockIndex) => {
    if (!isKnownBlock(block))
      throw invalid(`${param}.${blockIndex}.type`, `a user message cannot hold a ${block.type} block`);
    const last = messages.at(-1);
    if (block.type === 'tool_result') {
      const result = decodeToolResult(block, toolNames);
      if (last?.role === 'tool') last.content.push(result);
      else messages.push({ role: 'tool', content: [result] });
      return;
    }
    const part = decodeUserBlock(block, `${param}.${blockIndex}`);
    if (last?.role === 'user' && Array.isArray(last.content)) last.content.push(part);
    else messages.push({ role: 'user', content: [part] });
  });
  return messages;
}

/**
 * A system message inside `messages` as a spec system message at the same position, or nothing
 * when `clear_at: "next_user_message"` says a later user turn has retired it. Its tool changes
 * go to `changes`, for `applyToolChanges`.
 */
function decodeSystemMessage(
  message: AnthropicSystemMessage,
  laterUserTurn: boolean,
  changes: AnthropicToolChange[],
): Message[] {
  const blocks = typeof message.content === 'string' ? [] : (message.content ?? []);
  const texts = blocks.flatMap((block) => (block.type === 'text' ? [decodeTextBlock(block)] : []));
  changes.push(...blocks.filter((block): block is AnthropicToolChange => block.type !== 'text'));
  if (message.clear_at === 'next_user_message' && laterUserTurn) return [];
  if (typeof message.content === 'string') return [{ role: 'system', content: message.content }];
  return texts.length > 0 ? [{ role: 'system', content: texts }] : [];
}

function decodeToolChoice(choice: NonNullable<AnthropicRequestBody['tool_choice']>): ToolChoice {
  if (choice.type === 'any') return 'required';
  if (choice.type === 'tool') return { type: 'tool', name: choice.name };
  return choice.type;
}

/**
 * An Anthropic Messages body, as an Anthropic SDK client sends it to the gateway, as a spec
 * request. Throws `InvalidRequestError` whose `param` names the field at fault
 * (`messages.0.content.1.source.data`). `stream` is accepted and left to the HTTP layer.
 */
export function decodeAnthropicRequest(body: unknown): ChatRequest {
  const parsed = anthropicRequestSchema.safeParse(body);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const { path, message } = first ? deepestIssue(first) : { path: [], message: 'Invalid request body' };
    throw invalid(path.length > 0 ? path.map(String).join('.') : 'body', message);
  }
  const data = parsed.data;
  const messages: Message[] = [];
  if (data.system !== undefined)
    messages.push({
      role: 'system',
      content: typeof data.system === 'string' ? data.system : data.system.map(decodeTextBlock),
    });
  const toolNames = new Map<string, string>();
  const lastUser = data.messages.findLastIndex((turn) => turn.role === 'user');
  const lastAssistant = data.messages.findLastIndex((turn) => turn.role === 'assistant');
  let turnEffort: AnthropicSystemMessage['output_config'];
  const toolChanges: AnthropicToolChange[] = [];
  for (const [index, turn] of data.messages.entries()) {
    if (turn.role !== 'system') {
      messages.push(...decodeTurn(turn, index, toolNames));
      continue;
    }
    messages.push(...decodeSystemMessage(turn, index < lastUser, toolChanges));
    // Its output_config applies to the turn it opens: the current one, when it follows the last answer.
    if (index > lastAssistant && turn.output_config?.effort) turnEffort = turn.output_config;
  }

  const request: ChatRequest = { model: data.model, messages, maxOutputTokens: data.max_tokens };
  const decodedTools = decodeAnthropicTools(applyToolChanges(data.tools ?? [], toolChanges));
  if (data.tools || toolChanges.length > 0) request.tools = decodedTools.tools;
  if (data.tool_choice) {
    request.toolChoice = decodeToolChoice(data.tool_choice);
    if (
      'disable_parallel_tool_use' in data.tool_choice &&
      data.tool_choice.disable_parallel_tool_use !== undefined
    )
      request.parallelToolCalls = !data.tool_choice.disable_parallel_tool_use;
  }
  if (data.temperature !== undefined) request.temperature = data.temperature;
  if (data.top_p !== undefined) request.topP = data.top_p;
  if (data.top_k !== undefined) request.topK = data.top_k;
  if (data.stop_sequences !== undefined) request.stopSequences = data.stop_sequences;
  if (typeof data.metadata?.user_id === 'string') request.user = data.metadata.user_id;

  const options = decodeAnthropicOptions(data);
  if (options.reasoning) request.reasoning = options.reasoning;
  if (request.reasoning?.effort && turnEffort?.effort)
    request.reasoning = { ...request.reasoning, effort: specEffort(turnEffort.effort) };
  if (options.responseFormat) request.responseFormat = options.responseFormat;
  const providerOptions: Record<string, unknown> = { ...options.carried, ...decodedTools.carried };
  for (const [key, value] of Object.entries(data)) if (!MAPPED_FIELDS.has(key)) providerOptions[key] = value;
  if (Object.keys(providerOptions).length > 0) request.providerOptions = { anthropic: providerOptions };
  return request;
}
