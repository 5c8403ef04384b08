import type { ChatRequest, ReasoningOptions, Warning } from 'ai.matey.core';
import type { EncodedRequest, EncodeRequestOptions } from '../codec.ts';
import { JSON_TOOL_NAME } from './anthropic-json-mode.ts';
import { encodeAnthropicMessages } from './anthropic-messages-encoder.ts';
import { restoreAnthropicTools } from './anthropic-request-tools.ts';
import type { AnthropicTool, AnthropicToolChoice } from './anthropic-types.ts';

/** Anthropic requires `max_tokens`; this is sent when the request sets no limit. */
export const DEFAULT_MAX_TOKENS = 4096;

/** Thinking budgets for an effort level, for callers that speak OpenAI-style effort. */
const EFFORT_BUDGETS: Record<NonNullable<ReasoningOptions['effort']>, number> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 24_576,
};

function thinkingBudget(reasoning: ReasoningOptions | undefined): number | undefined {
  if (!reasoning) return undefined;
  if (reasoning.budgetTokens !== undefined) return reasoning.budgetTokens;
  return reasoning.effort ? EFFORT_BUDGETS[reasoning.effort] : undefined;
}

function unsupported(warnings: Warning[], setting: string): void {
  warnings.push({
    type: 'unsupported-setting',
    setting,
    message: `Anthropic has no ${setting} setting; it was not sent.`,
  });
}

function encodeToolChoice(request: ChatRequest): AnthropicToolChoice | undefined {
  const disableParallel = request.parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  const choice = request.toolChoice;
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any', ...disableParallel };
  if (typeof choice === 'object') return { type: 'tool', name: choice.name, ...disableParallel };
  if (choice === 'auto' || request.parallelToolCalls === false) return { type: 'auto', ...disableParallel };
  return undefined;
}

/**
 * A spec request as an Anthropic Messages body.
 *
 * JSON mode has no Anthropic switch, so a `json`/`json-schema` response format becomes a forced
 * tool named `json` whose input schema is the schema; `decodeResponse` and the stream decoder
 * turn its call back into text when they are given the request. `providerOptions.anthropic` is
 * merged in last, as-is, so callers can set anything this mapping does not know; its `betas`
 * (the caller's `anthropic-beta` values) go out as the `anthropic-beta` header.
 */
export function encodeAnthropicRequest(request: ChatRequest, options: EncodeRequestOptions): EncodedRequest {
  const warnings: Warning[] = [];
  const { system, messages } = encodeAnthropicMessages(request.messages, warnings);
  const body: Record<string, unknown> = { model: options.model };
  if (system !== undefined) body.system = system;
  body.messages = messages;

  let maxTokens = request.maxOutputTokens ?? DEFAULT_MAX_TOKENS;
  const budget = thinkingBudget(request.reasoning);
  if (budget !== undefined) {
    body.thinking = { type: 'enabled', budget_tokens: budget };
    // Anthropic counts thinking inside max_tokens and rejects a budget that does not fit.
    if (maxTokens <= budget) {
      if (request.maxOutputTokens !== undefined)
        warnings.push({
          type: 'unsupported-setting',
          setting: 'maxOutputTokens',
          message: `maxOutputTokens must exceed the thinking budget on Anthropic; ${budget + maxTokens} was sent.`,
        });
      maxTokens += budget;
    }
  }
  body.max_tokens = maxTokens;

  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.topK !== undefined) body.top_k = request.topK;
  if (request.stopSequences && request.stopSequences.length > 0) body.stop_sequences = request.stopSequences;
  if (request.user !== undefined) body.metadata = { user_id: request.user };
  if (request.seed !== undefined) unsupported(warnings, 'seed');
  if (request.frequencyPenalty !== undefined) unsupported(warnings, 'frequencyPenalty');
  if (request.presencePenalty !== undefined) unsupported(warnings, 'presencePenalty');

  const tools: AnthropicTool[] = (request.tools ?? []).map((tool) => ({
    name: tool.name,
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    input_schema: tool.inputSchema,
    ...(tool.strict !== undefined ? { strict: tool.strict } : {}),
  }));
  let toolChoice = encodeToolChoice(request);

  const format = request.responseFormat;
  if (format && format.type !== 'text') {
    tools.push({
      name: JSON_TOOL_NAME,
      description:
        format.type === 'json-schema' && format.description
          ? format.description
          : 'Respond with a JSON object: your whole answer is this tool call.',
      input_schema: format.type === 'json-schema' ? format.schema : { type: 'object' },
    });
    if (budget !== undefined) {
      // Anthropic refuses a forced tool while thinking; let the model choose the json tool.
      toolChoice = { type: 'auto' };
      warnings.push({
        type: 'unsupported-setting',
        setting: 'responseFormat',
        message: 'With thinking enabled Anthropic cannot force the json tool; the model may answer in prose.',
      });
    } else {
      if (request.toolChoice !== undefined && request.toolChoice !== 'auto')
        warnings.push({
          type: 'unsupported-setting',
          setting: 'toolChoice',
          message: 'JSON mode forces the json tool on Anthropic; toolChoice was replaced.',
        });
      toolChoice = { type: 'tool', name: JSON_TOOL_NAME };
    }
  }
  if (tools.length > 0) body.tools = tools;
  if (toolChoice) body.tool_choice = toolChoice;
  if (options.stream) body.stream = true;

  Object.assign(body, request.providerOptions?.anthropic);
  if (options.provider && options.provider !== 'anthropic')
    Object.assign(body, request.providerOptions?.[options.provider]);
  restoreAnthropicTools(body);
  // The SDK's `betas` is a header on the wire, not a body field.
  const { betas } = body;
  delete body.betas;
  const names = Array.isArray(betas) ? betas.filter((beta): beta is string => typeof beta === 'string') : [];
  return { body, warnings, ...(names.length > 0 ? { headers: { 'anthropic-beta': names.join(',') } } : {}) };
}
