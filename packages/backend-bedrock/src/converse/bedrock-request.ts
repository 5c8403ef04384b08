import type { ChatRequest, ReasoningOptions, Warning } from 'ai.matey.core';
import type { EncodedRequest, EncodeRequestOptions } from 'ai.matey.wire';
import { JSON_TOOL_NAME } from './bedrock-json-mode.ts';
import { encodeBedrockMessages } from './bedrock-messages-encoder.ts';
import { BEDROCK_METADATA_KEY, type BedrockTool, type BedrockToolChoice } from './bedrock-types.ts';

/** Thinking budgets for an effort level (Anthropic models on Bedrock take a budget). */
const EFFORT_BUDGETS: Record<NonNullable<ReasoningOptions['effort']>, number> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 24_576,
};

/** Sent when a request with thinking sets no limit: Bedrock's Claude counts thinking inside it. */
const DEFAULT_MAX_TOKENS = 4096;

function unsupported(warnings: Warning[], setting: string, why = 'it was not sent'): void {
  warnings.push({
    type: 'unsupported-setting',
    setting,
    message: `Bedrock Converse has no ${setting} setting; ${why}.`,
  });
}

function toolChoiceOf(request: ChatRequest): BedrockToolChoice | undefined {
  const choice = request.toolChoice;
  if (choice === 'required') return { any: {} };
  if (typeof choice === 'object') return { tool: { name: choice.name } };
  if (choice === 'auto') return { auto: {} };
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reasoning as Bedrock's model-specific request fields: Amazon Nova takes `reasoningConfig`
 * with an effort, the others (Anthropic's Claude) `thinking` with a token budget.
 */
function reasoningFields(model: string, reasoning: ReasoningOptions): Record<string, unknown> {
  if (/(^|\.)amazon\.nova/.test(model)) {
    const effort = reasoning.effort === 'minimal' ? 'low' : (reasoning.effort ?? 'medium');
    return { reasoningConfig: { type: 'enabled', maxReasoningEffort: effort } };
  }
  const budget = reasoning.budgetTokens ?? EFFORT_BUDGETS[reasoning.effort ?? 'medium'];
  return { thinking: { type: 'enabled', budget_tokens: budget } };
}

/**
 * A spec request as a Converse body (the model goes in the path, not here). `inferenceConfig`
 * takes the sampling limits; `topK` and reasoning go in `additionalModelRequestFields`, the
 * model's own fields; JSON mode is a forced `json` tool, read back as text by the decoders.
 * `providerOptions.bedrock` is merged in last (its `additionalModelRequestFields` key by key).
 */
export function encodeBedrockRequest(request: ChatRequest, options: EncodeRequestOptions): EncodedRequest {
  const warnings: Warning[] = [];
  const { system, messages, hasToolBlocks } = encodeBedrockMessages(request.messages, warnings);
  const body: Record<string, unknown> = { messages };
  if (system.length > 0) body.system = system;

  const additional: Record<string, unknown> = {};
  const inference: Record<string, unknown> = {};
  let maxTokens = request.maxOutputTokens;
  if (
    request.reasoning &&
    (request.reasoning.budgetTokens !== undefined || request.reasoning.effort !== undefined)
  ) {
    const fields = reasoningFields(options.model, request.reasoning);
    Object.assign(additional, fields);
    const budget = (fields.thinking as { budget_tokens?: number } | undefined)?.budget_tokens;
    if (budget !== undefined) {
      const asked = maxTokens;
      maxTokens = asked ?? DEFAULT_MAX_TOKENS;
      if (maxTokens <= budget) {
        if (asked !== undefined)
          warnings.push({
            type: 'unsupported-setting',
            setting: 'maxOutputTokens',
            message: `maxOutputTokens must exceed the thinking budget; ${budget + maxTokens} was sent.`,
          });
        maxTokens += budget;
      }
    }
  }
  if (maxTokens !== undefined) inference.maxTokens = maxTokens;
  if (request.temperature !== undefined) inference.temperature = request.temperature;
  if (request.topP !== undefined) inference.topP = request.topP;
  if (request.stopSequences && request.stopSequences.length > 0)
    inference.stopSequences = request.stopSequences;
  if (Object.keys(inference).length > 0) body.inferenceConfig = inference;
  if (request.topK !== undefined) additional.top_k = request.topK;
  if (request.seed !== undefined) unsupported(warnings, 'seed');
  if (request.frequencyPenalty !== undefined) unsupported(warnings, 'frequencyPenalty');
  if (request.presencePenalty !== undefined) unsupported(warnings, 'presencePenalty');
  if (request.parallelToolCalls === false)
    unsupported(warnings, 'parallelToolCalls', 'the model may call tools in parallel');
  if (request.user !== undefined) body.requestMetadata = { user: request.user };

  let tools: BedrockTool[] = (request.tools ?? []).map((tool) => ({
    toolSpec: {
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      inputSchema: { json: tool.inputSchema },
    },
  }));
  let toolChoice = toolChoiceOf(request);
  if (request.toolChoice === 'none') {
    // Converse has no "none": leave the tools out, unless the history needs them declared.
    if (hasToolBlocks) unsupported(warnings, "toolChoice 'none'", 'the model may still call a tool');
    else tools = [];
  }
  const format = request.responseFormat;
  if (format && format.type !== 'text') {
    tools.push({
      toolSpec: {
        name: JSON_TOOL_NAME,
        description:
          format.type === 'json-schema' && format.description
            ? format.description
            : 'Respond with a JSON object: your whole answer is this tool call.',
        inputSchema: { json: format.type === 'json-schema' ? format.schema : { type: 'object' } },
      },
    });
    if (additional.thinking !== undefined) {
      toolChoice = { auto: {} };
      warnings.push({
        type: 'unsupported-setting',
        setting: 'responseFormat',
        message: 'With thinking enabled the json tool cannot be forced; the model may answer in prose.',
      });
    } else {
      if (request.toolChoice !== undefined && request.toolChoice !== 'auto')
        warnings.push({
          type: 'unsupported-setting',
          setting: 'toolChoice',
          message: 'JSON mode forces the json tool on Bedrock; toolChoice was replaced.',
        });
      toolChoice = { tool: { name: JSON_TOOL_NAME } };
    }
  }
  if (tools.length > 0) body.toolConfig = { tools, ...(toolChoice ? { toolChoice } : {}) };
  if (Object.keys(additional).length > 0) body.additionalModelRequestFields = additional;

  for (const key of new Set([BEDROCK_METADATA_KEY, options.provider ?? BEDROCK_METADATA_KEY])) {
    const extra = request.providerOptions?.[key];
    if (!extra) continue;
    for (const [field, value] of Object.entries(extra)) {
      const current = body[field];
      body[field] = isRecord(current) && isRecord(value) ? { ...current, ...value } : value;
    }
  }
  return { body, warnings };
}
