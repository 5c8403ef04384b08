import type { ChatRequest, ReasoningOptions, Warning } from 'ai.matey.core';
import type { EncodeRequestOptions } from '../codec.ts';
import { isEmptyObjectSchema, toGeminiSchema } from './gemini-schema.ts';
import type {
  GeminiFunctionDeclaration,
  GeminiGenerationConfig,
  GeminiRequestBody,
  GeminiThinkingConfig,
} from './gemini-types.ts';

/** Thinking budgets for an effort level on models that take a budget (Gemini 2.5). */
const BUDGET_FOR_EFFORT: Record<NonNullable<ReasoningOptions['effort']>, number> = {
  minimal: 128,
  low: 1024,
  medium: 8192,
  high: 24576,
};

/** `providerOptions` keys that belong inside `generationConfig`, so callers may write them flat. */
const GENERATION_CONFIG_KEYS = new Set([
  'thinkingConfig',
  'responseModalities',
  'candidateCount',
  'mediaResolution',
  'speechConfig',
  'responseLogprobs',
  'logprobs',
  'audioTimestamp',
  'imageConfig',
  'responseMimeType',
  'responseSchema',
  'responseJsonSchema',
  'routingConfig',
  'modelSelectionConfig',
  'enableEnhancedCivicAnswers',
]);

/**
 * Adds tools, tool choice, generation settings, reasoning and the caller's `providerOptions`
 * (`gemini`, `google`, and the backend's own provider name) to a Gemini body.
 */
export function encodeGeminiConfig(
  body: GeminiRequestBody,
  request: ChatRequest,
  options: EncodeRequestOptions,
  warnings: Warning[],
): GeminiRequestBody {
  if (request.tools && request.tools.length > 0) {
    const declarations = request.tools.map((tool): GeminiFunctionDeclaration => {
      const parameters = toGeminiSchema(tool.inputSchema, `tools.${tool.name}.inputSchema`, warnings);
      return {
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        // Gemini rejects an object schema with no properties; a tool without input sends none.
        ...(isEmptyObjectSchema(parameters) ? {} : { parameters }),
      };
    });
    body.tools = [{ functionDeclarations: declarations }];
    if (request.toolChoice !== undefined) body.toolConfig = { functionCallingConfig: toolChoice(request) };
  } else if (request.toolChoice === 'none') {
    body.toolConfig = { functionCallingConfig: { mode: 'NONE' } };
  }
  if (request.parallelToolCalls === false)
    warnings.push({
      type: 'unsupported-setting',
      setting: 'parallelToolCalls',
      message: 'Gemini cannot be told to make one tool call at a time; parallelToolCalls was ignored',
    });
  if (request.user !== undefined)
    warnings.push({
      type: 'unsupported-setting',
      setting: 'user',
      message: 'Gemini has no end-user id field; user was not sent',
    });

  const config: GeminiGenerationConfig = {};
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.topK !== undefined) config.topK = request.topK;
  if (request.maxOutputTokens !== undefined) config.maxOutputTokens = request.maxOutputTokens;
  if (request.stopSequences !== undefined && request.stopSequences.length > 0)
    config.stopSequences = request.stopSequences;
  if (request.seed !== undefined) config.seed = request.seed;
  if (request.presencePenalty !== undefined) config.presencePenalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) config.frequencyPenalty = request.frequencyPenalty;
  const format = request.responseFormat;
  if (format?.type === 'json') config.responseMimeType = 'application/json';
  else if (format?.type === 'json-schema') {
    config.responseMimeType = 'application/json';
    config.responseSchema = toGeminiSchema(format.schema, 'responseFormat', warnings);
  }
  if (request.reasoning) config.thinkingConfig = thinkingConfig(request.reasoning, options.model);
  if (Object.keys(config).length > 0) body.generationConfig = config;

  const providers = [...new Set(['gemini', 'google', ...(options.provider ? [options.provider] : [])])];
  for (const provider of providers) {
    const extra = request.providerOptions?.[provider];
    if (extra) mergeProviderOptions(body, extra);
  }
  return body;
}

function toolChoice(request: ChatRequest): { mode: string; allowedFunctionNames?: string[] } {
  const choice = request.toolChoice;
  if (choice === 'none') return { mode: 'NONE' };
  if (choice === 'required') return { mode: 'ANY' };
  if (typeof choice === 'object') return { mode: 'ANY', allowedFunctionNames: [choice.name] };
  return { mode: 'AUTO' };
}

/**
 * Gemini 3 takes a thinking level, Gemini 2.5 a token budget; an explicit budget wins, and the
 * thoughts are asked for because a caller that set reasoning wants to see it.
 */
function thinkingConfig(reasoning: ReasoningOptions, model: string): GeminiThinkingConfig {
  const config: GeminiThinkingConfig = {};
  if (reasoning.budgetTokens !== undefined) config.thinkingBudget = reasoning.budgetTokens;
  else if (reasoning.effort !== undefined) {
    if (/^(?:models\/)?gemini-3[.-]/.test(model)) config.thinkingLevel = reasoning.effort;
    else config.thinkingBudget = BUDGET_FOR_EFFORT[reasoning.effort];
  }
  config.includeThoughts = true;
  return config;
}

function mergeProviderOptions(body: GeminiRequestBody, extra: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(extra)) {
    if (GENERATION_CONFIG_KEYS.has(key)) {
      body.generationConfig = deepMerge(body.generationConfig ?? {}, {
        [key]: value,
      }) as GeminiGenerationConfig;
    } else if (key === 'tools' && Array.isArray(value)) {
      // Extra tools (googleSearch, codeExecution, …) sit beside the function declarations.
      body.tools = [...(body.tools ?? []), ...value];
    } else {
      body[key] = isPlainObject(body[key]) && isPlainObject(value) ? deepMerge(body[key], value) : value;
    }
  }
}

function deepMerge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
