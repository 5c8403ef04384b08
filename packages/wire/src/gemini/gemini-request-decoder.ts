import {
  type AssistantContentPart,
  type ChatRequest,
  InvalidRequestError,
  type Message,
  type ToolDefinition,
  type ToolResultPart,
  type UserContentPart,
} from 'ai.matey.core';
import { mintId } from '../shared/ids.ts';
import { geminiMediaToSpec } from './gemini-media.ts';
import { modelPartsToSpec } from './gemini-parts.ts';
import { camelCaseKeys, type GeminiRequestInput, geminiRequestSchema } from './gemini-request-schema.ts';
import { fromGeminiSchema } from './gemini-schema.ts';
import type { GeminiPart } from './gemini-types.ts';

type Content = GeminiRequestInput['contents'][number];

/**
 * Reads a Gemini `generateContent` body (camelCase or snake_case) into a spec request; throws
 * `InvalidRequestError` naming the field at fault. The model is in the path, not the body (see
 * `parseGeminiPath`). Function calls without ids get minted ones, and each function response
 * without an id takes the id of the oldest unanswered call of the same name. Gemini settings the
 * spec has no field for ride in `providerOptions.gemini`, so they reach a Gemini upstream intact.
 */
export function decodeGeminiRequest(input: unknown): ChatRequest {
  const parsed = geminiRequestSchema.safeParse(camelCaseKeys(input));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue ? formatPath(issue.path) : undefined;
    throw new InvalidRequestError({
      message: issue ? `${param ? `${param}: ` : ''}${issue.message}` : 'Invalid request body',
      ...(param ? { param } : {}),
      provider: 'google',
    });
  }
  const body = parsed.data;
  const { contents, systemInstruction, tools, toolConfig, generationConfig, model: _model, ...rest } = body;
  const passthrough: Record<string, unknown> = { ...rest };
  const messages: Message[] = [];

  if (systemInstruction !== undefined) {
    const texts =
      typeof systemInstruction === 'string'
        ? [systemInstruction]
        : systemInstruction.parts.map((part) => part.text ?? '');
    if (texts.length === 1) messages.push({ role: 'system', content: texts[0] ?? '' });
    else if (texts.length > 1)
      messages.push({ role: 'system', content: texts.map((text) => ({ type: 'text', text })) });
  }

  const unanswered = new Map<string, string[]>();
  contents.forEach((content, index) => {
    if (content.role === 'model') messages.push(modelMessage(content, index, unanswered));
    else messages.push(...userMessages(content, index, unanswered));
  });

  const request: ChatRequest = { messages };
  decodeTools(request, tools, toolConfig, passthrough);
  if (generationConfig) decodeGenerationConfig(request, generationConfig, passthrough);
  if (Object.keys(passthrough).length > 0) request.providerOptions = { gemini: passthrough };
  return request;
}

function modelMessage(content: Content, index: number, unanswered: Map<string, string[]>): Message {
  content.parts.forEach((part, partIndex) => {
    if (part.functionResponse || part.inlineData || part.fileData)
      throw new InvalidRequestError({
        message: 'A model turn may hold only text, thoughts and function calls here',
        param: `contents[${index}].parts[${partIndex}]`,
        provider: 'google',
      });
  });
  const parts: AssistantContentPart[] = modelPartsToSpec(content.parts as GeminiPart[], []);
  for (const part of parts)
    if (part.type === 'tool-call')
      unanswered.set(part.toolName, [...(unanswered.get(part.toolName) ?? []), part.toolCallId]);
  return { role: 'assistant', content: simplify(parts) };
}

function userMessages(content: Content, index: number, unanswered: Map<string, string[]>): Message[] {
  const messages: Message[] = [];
  content.parts.forEach((part, partIndex) => {
    if (part.functionCall)
      throw new InvalidRequestError({
        message: 'A function call belongs in a model turn',
        param: `contents[${index}].parts[${partIndex}].functionCall`,
        provider: 'google',
      });
    const last = messages.at(-1);
    if (part.functionResponse) {
      const { id, name, response } = part.functionResponse;
      const queue = unanswered.get(name);
      const toolCallId = id ?? queue?.shift() ?? mintId('call_');
      if (id !== undefined && queue)
        unanswered.set(
          name,
          queue.filter((waiting) => waiting !== id),
        );
      const result: ToolResultPart = {
        type: 'tool-result',
        toolCallId,
        toolName: name,
        ...unwrapResponse(response),
      };
      if (last?.role === 'tool') last.content.push(result);
      else messages.push({ role: 'tool', content: [result] });
      return;
    }
    const converted: UserContentPart | undefined =
      part.text !== undefined ? { type: 'text', text: part.text } : geminiMediaToSpec(part as GeminiPart);
    if (!converted) return;
    if (last?.role === 'user' && Array.isArray(last.content)) last.content.push(converted);
    else messages.push({ role: 'user', content: [converted] });
  });
  for (const message of messages)
    if (message.role === 'user' && Array.isArray(message.content))
      message.content = simplify(message.content);
  return messages;
}

/** A lone plain text part reads as a string, the way callers usually write it. */
function simplify<T extends { type: string; providerMetadata?: unknown }>(parts: T[]): string | T[] {
  const only = parts[0];
  if (parts.length === 1 && only?.type === 'text' && only.providerMetadata === undefined)
    return (only as unknown as { text: string }).text;
  return parts;
}

/** Undoes the `{result}` / `{error}` wrapper the encoder puts around string results. */
function unwrapResponse(response: Record<string, unknown>): Pick<ToolResultPart, 'content' | 'isError'> {
  const keys = Object.keys(response);
  if (keys.length === 1 && (keys[0] === 'result' || keys[0] === 'error')) {
    const value = response[keys[0]];
    const content = typeof value === 'string' ? value : JSON.stringify(value);
    return keys[0] === 'error' ? { content, isError: true } : { content };
  }
  return { content: JSON.stringify(response) };
}

function decodeTools(
  request: ChatRequest,
  tools: GeminiRequestInput['tools'],
  toolConfig: GeminiRequestInput['toolConfig'],
  passthrough: Record<string, unknown>,
): void {
  const definitions: ToolDefinition[] = [];
  const otherTools: unknown[] = [];
  for (const tool of tools ?? []) {
    const { functionDeclarations, ...others } = tool;
    for (const declaration of functionDeclarations ?? []) {
      definitions.push({
        name: declaration.name,
        ...(declaration.description === undefined ? {} : { description: declaration.description }),
        inputSchema:
          declaration.parametersJsonSchema ??
          (declaration.parameters
            ? fromGeminiSchema(declaration.parameters)
            : { type: 'object', properties: {} }),
      });
    }
    if (Object.keys(others).length > 0) otherTools.push(others);
  }
  if (definitions.length > 0) request.tools = definitions;
  if (otherTools.length > 0) passthrough.tools = otherTools;

  if (!toolConfig) return;
  const { functionCallingConfig, ...otherConfig } = toolConfig;
  const names = functionCallingConfig?.allowedFunctionNames;
  switch (functionCallingConfig?.mode) {
    case 'AUTO':
      request.toolChoice = 'auto';
      break;
    case 'NONE':
      request.toolChoice = 'none';
      break;
    case 'ANY':
      request.toolChoice = names?.length === 1 && names[0] ? { type: 'tool', name: names[0] } : 'required';
      break;
  }
  const keepNames = names !== undefined && !(functionCallingConfig?.mode === 'ANY' && names.length === 1);
  const keepMode = functionCallingConfig?.mode === 'VALIDATED';
  if (keepNames || keepMode || Object.keys(otherConfig).length > 0)
    passthrough.toolConfig = {
      ...otherConfig,
      ...(keepNames || keepMode ? { functionCallingConfig } : {}),
    };
}

function decodeGenerationConfig(
  request: ChatRequest,
  config: NonNullable<GeminiRequestInput['generationConfig']>,
  passthrough: Record<string, unknown>,
): void {
  const {
    temperature,
    topP,
    topK,
    maxOutputTokens,
    stopSequences,
    seed,
    presencePenalty,
    frequencyPenalty,
    responseMimeType,
    responseSchema,
    responseJsonSchema,
    thinkingConfig,
    ...rest
  } = config;
  if (temperature !== undefined) request.temperature = temperature;
  if (topP !== undefined) request.topP = topP;
  if (topK !== undefined) request.topK = topK;
  if (maxOutputTokens !== undefined) request.maxOutputTokens = maxOutputTokens;
  if (stopSequences !== undefined) request.stopSequences = stopSequences;
  if (seed !== undefined) request.seed = seed;
  if (presencePenalty !== undefined) request.presencePenalty = presencePenalty;
  if (frequencyPenalty !== undefined) request.frequencyPenalty = frequencyPenalty;
  if (responseMimeType === 'application/json') {
    const schema = responseJsonSchema ?? (responseSchema ? fromGeminiSchema(responseSchema) : undefined);
    request.responseFormat = schema ? { type: 'json-schema', schema } : { type: 'json' };
  } else if (responseMimeType !== undefined) rest.responseMimeType = responseMimeType;
  if (thinkingConfig) {
    const { thinkingBudget, thinkingLevel, includeThoughts, ...otherThinking } = thinkingConfig;
    const effort = ['minimal', 'low', 'medium', 'high'].find(
      (level) => level === thinkingLevel?.toLowerCase(),
    );
    request.reasoning = {
      ...(thinkingBudget !== undefined ? { budgetTokens: thinkingBudget } : {}),
      ...(effort ? { effort: effort as 'minimal' | 'low' | 'medium' | 'high' } : {}),
    };
    // The encoder asks for thoughts whenever reasoning is set; only a refusal needs carrying.
    if (includeThoughts === false || Object.keys(otherThinking).length > 0)
      rest.thinkingConfig = { ...otherThinking, ...(includeThoughts === false ? { includeThoughts } : {}) };
  }
  if (Object.keys(rest).length > 0) passthrough.generationConfig = rest;
}

function formatPath(path: ReadonlyArray<PropertyKey>): string | undefined {
  let out = '';
  for (const key of path)
    out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out === '' ? undefined : out;
}
