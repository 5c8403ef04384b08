import type { ChatRequest, ResponseFormat, ToolDefinition, Warning } from 'ai.matey.core';
import type { EncodedRequest, EncodeRequestOptions } from '../codec.ts';
import { encodeCohereMessages } from './cohere-messages-encoder.ts';

/**
 * The Cohere v2 `/v2/chat` body for a spec request. Cohere names its sampling fields `p` and
 * `k`, takes `tool_choice` only as `REQUIRED` or `NONE` (a named tool becomes `REQUIRED` with
 * that tool alone), and a reasoning budget as `thinking.token_budget`. What it cannot carry
 * (participant names, a non-parallel tool mode, a reasoning effort level) is a warning.
 */
export function encodeCohereRequest(request: ChatRequest, options: EncodeRequestOptions): EncodedRequest {
  const warnings: Warning[] = [];
  const { messages, documents } = encodeCohereMessages(request.messages, warnings);
  const body: Record<string, unknown> = { model: options.model, messages };
  if (documents.length > 0) body.documents = documents;
  let tools = request.tools ?? [];
  const choice = request.toolChoice;
  if (choice === 'required') body.tool_choice = 'REQUIRED';
  else if (choice === 'none') body.tool_choice = 'NONE';
  else if (typeof choice === 'object') {
    tools = tools.filter((tool) => tool.name === choice.name);
    body.tool_choice = 'REQUIRED';
  }
  if (tools.length > 0) {
    body.tools = tools.map(encodeTool);
    if (tools.some((tool) => tool.strict === true)) body.strict_tools = true;
  }
  if (request.parallelToolCalls === false) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'parallelToolCalls',
      message:
        'Cohere has no switch for parallel tool calls; the model may still call several tools at once.',
    });
  }
  if (request.responseFormat !== undefined)
    body.response_format = encodeResponseFormat(request.responseFormat);
  if (request.maxOutputTokens !== undefined) body.max_tokens = request.maxOutputTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.p = request.topP;
  if (request.topK !== undefined) body.k = request.topK;
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty;
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.stopSequences !== undefined && request.stopSequences.length > 0)
    body.stop_sequences = request.stopSequences;
  if (request.reasoning !== undefined) body.thinking = encodeThinking(request.reasoning, warnings);
  if (request.user !== undefined) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'user',
      message: 'Cohere chat has no end-user field; user was not sent.',
    });
  }
  if (options.stream) body.stream = true;
  // Passed through as given, so a caller can reach any field this codec does not model.
  Object.assign(body, request.providerOptions?.cohere);
  const provider = options.provider;
  if (provider !== undefined && provider !== 'cohere')
    Object.assign(body, request.providerOptions?.[provider]);
  return { body, warnings };
}

function encodeTool(tool: ToolDefinition): Record<string, unknown> {
  return {
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      parameters: tool.inputSchema,
    },
  };
}

function encodeResponseFormat(format: ResponseFormat): Record<string, unknown> {
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json') return { type: 'json_object' };
  return { type: 'json_object', json_schema: format.schema };
}

function encodeThinking(
  reasoning: NonNullable<ChatRequest['reasoning']>,
  warnings: Warning[],
): Record<string, unknown> {
  if (reasoning.budgetTokens !== undefined) return { type: 'enabled', token_budget: reasoning.budgetTokens };
  if (reasoning.effort !== undefined) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'reasoning.effort',
      message: `Cohere takes a reasoning token budget, not an effort level; thinking was enabled without '${reasoning.effort}'.`,
    });
  }
  return { type: 'enabled' };
}
