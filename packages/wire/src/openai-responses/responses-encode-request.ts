import type { ChatRequest, ResponseFormat, ToolChoice, Warning } from 'ai.matey.core';
import type { EncodedRequest, EncodeRequestOptions } from '../codec.ts';
import { encodeInputItems } from './responses-encode-items.ts';
import { isRecord, RESPONSES_KEY } from './responses-metadata.ts';

/** Chat Completions extras (`providerOptions.openai`) that mean the same in a Responses body. */
const SHARED_WITH_CHAT = new Set([
  'metadata',
  'store',
  'prompt_cache_key',
  'safety_identifier',
  'service_tier',
]);

/**
 * The `POST /v1/responses` body for a spec request. Hosted and custom tools, a hosted
 * `tool_choice` and every other Responses field in `providerOptions['openai-responses']` are
 * merged in as the client sent them (`reasoning` and `text` field by field); sampling fields the
 * API lacks (top-k, penalties, seed, stop sequences, a token budget) are reported in `warnings`.
 */
export function encodeResponsesRequest(request: ChatRequest, options: EncodeRequestOptions): EncodedRequest {
  const provider = options.provider ?? 'openai';
  const warnings: Warning[] = [];
  const { instructions, input } = encodeInputItems(request.messages, warnings);
  const body: Record<string, unknown> = { model: options.model };
  if (instructions !== undefined) body.instructions = instructions;
  body.input = input;
  const extra = { ...request.providerOptions?.[RESPONSES_KEY] };
  const functionTools = (request.tools ?? []).map((tool) => ({
    type: 'function',
    name: tool.name,
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    parameters: tool.inputSchema,
    strict: tool.strict ?? false,
  }));
  const hostedTools = Array.isArray(extra.tools) ? extra.tools : [];
  delete extra.tools;
  if (functionTools.length + hostedTools.length > 0) body.tools = [...functionTools, ...hostedTools];
  if (request.toolChoice !== undefined) body.tool_choice = encodeToolChoice(request.toolChoice);
  if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  if (request.responseFormat !== undefined) body.text = { format: encodeFormat(request.responseFormat) };
  if (request.maxOutputTokens !== undefined) body.max_output_tokens = request.maxOutputTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  const user =
    request.user ?? (typeof request.metadata?.user === 'string' ? request.metadata.user : undefined);
  if (user !== undefined) body.user = user;
  if (request.reasoning?.effort !== undefined) body.reasoning = { effort: request.reasoning.effort };
  unsupported(request, warnings);
  if (options.stream) body.stream = true;

  for (const [key, value] of Object.entries(request.providerOptions?.openai ?? {})) {
    if (SHARED_WITH_CHAT.has(key)) body[key] = value;
    else
      warnings.push({
        type: 'unsupported-setting',
        setting: key,
        message: `'${key}' is a Chat Completions field the Responses API does not take; it was not sent.`,
      });
  }
  mergeExtra(body, extra);
  if (provider !== 'openai' && provider !== RESPONSES_KEY)
    mergeExtra(body, { ...request.providerOptions?.[provider] });
  return { body, warnings };
}

/** Merges extra fields into the body: `reasoning` and `text` field by field, the rest as given. */
function mergeExtra(body: Record<string, unknown>, extra: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(extra)) {
    const current = body[key];
    if ((key === 'reasoning' || key === 'text') && isRecord(current) && isRecord(value))
      body[key] = { ...current, ...value };
    else body[key] = value;
  }
}

function unsupported(request: ChatRequest, warnings: Warning[]): void {
  const missing: Array<[keyof ChatRequest, string]> = [
    ['topK', 'top-k'],
    ['frequencyPenalty', 'frequency penalty'],
    ['presencePenalty', 'presence penalty'],
    ['seed', 'seed'],
    ['stopSequences', 'stop sequences'],
  ];
  for (const [field, what] of missing) {
    if (request[field] === undefined) continue;
    warnings.push({
      type: 'unsupported-setting',
      setting: field,
      message: `The Responses API has no ${what} setting; ${field} was not sent.`,
    });
  }
  if (request.reasoning?.budgetTokens !== undefined) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'reasoning.budgetTokens',
      message: 'The Responses API takes a reasoning effort, not a token budget; the budget was not sent.',
    });
  }
}

function encodeToolChoice(choice: ToolChoice): unknown {
  return typeof choice === 'string' ? choice : { type: 'function', name: choice.name };
}

function encodeFormat(format: ResponseFormat): Record<string, unknown> {
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json') return { type: 'json_object' };
  return {
    type: 'json_schema',
    // OpenAI requires a name; `response` is what the AI SDK sends when none is given.
    name: format.name ?? 'response',
    ...(format.description !== undefined ? { description: format.description } : {}),
    schema: format.schema,
    ...(format.strict !== undefined ? { strict: format.strict } : {}),
  };
}
