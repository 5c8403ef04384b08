import {
  type AssistantContentPart,
  type ChatRequest,
  type DataSource,
  type ImagePart,
  InvalidRequestError,
  type Message,
  type TextPart,
  type ToolChoice,
  type ToolResultPart,
  type UserContentPart,
} from 'ai.matey.core';
import {
  type BedrockRequestBlock,
  type BedrockRequestBody,
  bedrockRequestSchema,
} from './bedrock-request-schema.ts';
import { toolInputText } from './bedrock-response.ts';
import { BEDROCK_METADATA_KEY } from './bedrock-types.ts';

/** Top-level fields mapped onto the spec; any other goes to `providerOptions.bedrock`. */
const MAPPED_FIELDS = new Set(['messages', 'system', 'inferenceConfig', 'toolConfig', 'requestMetadata']);

const MEDIA_TYPES: Record<string, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  csv: 'text/csv',
  html: 'text/html',
  txt: 'text/plain',
  md: 'text/markdown',
};

function invalid(param: string, message: string): InvalidRequestError {
  return new InvalidRequestError({ message: `${param}: ${message}`, param, code: 'ValidationException' });
}

function source(
  value: { bytes?: string; s3Location?: { uri: string }; text?: string },
  format: string,
): DataSource {
  const mediaType = MEDIA_TYPES[format] ?? `application/${format}`;
  if (value.bytes !== undefined) return { kind: 'base64', data: value.bytes, mediaType };
  if (value.text !== undefined)
    return { kind: 'base64', data: Buffer.from(value.text).toString('base64'), mediaType };
  return { kind: 'url', url: value.s3Location?.uri ?? '', mediaType };
}

function userPart(block: BedrockRequestBlock, param: string): UserContentPart | undefined {
  if ('text' in block) return { type: 'text', text: block.text };
  if ('image' in block) return { type: 'image', source: source(block.image.source, block.image.format) };
  if ('document' in block)
    return {
      type: 'file',
      source: source(block.document.source, block.document.format),
      filename: block.document.name,
    };
  if ('cachePoint' in block) return undefined;
  throw invalid(param, `a user message cannot hold a ${Object.keys(block)[0]} block here`);
}

function assistantPart(block: BedrockRequestBlock, param: string): AssistantContentPart | undefined {
  if ('text' in block) return { type: 'text', text: block.text };
  if ('toolUse' in block)
    return {
      type: 'tool-call',
      toolCallId: block.toolUse.toolUseId,
      toolName: block.toolUse.name,
      arguments: toolInputText(block.toolUse.input),
    };
  if ('reasoningContent' in block) {
    const reasoning = block.reasoningContent;
    if ('redactedContent' in reasoning)
      return { type: 'reasoning', text: '', redactedData: reasoning.redactedContent };
    const { text, signature } = reasoning.reasoningText;
    return { type: 'reasoning', text, ...(signature !== undefined ? { signature } : {}) };
  }
  if ('cachePoint' in block) return undefined;
  throw invalid(param, `an assistant message cannot hold a ${Object.keys(block)[0]} block`);
}

function toolResult(
  block: Extract<BedrockRequestBlock, { toolResult: unknown }>,
  names: Map<string, string>,
): ToolResultPart {
  const { toolUseId, content, status } = block.toolResult;
  const parts: Array<TextPart | ImagePart> = content.map((item) => {
    if ('text' in item) return { type: 'text', text: item.text };
    if ('json' in item) return { type: 'text', text: JSON.stringify(item.json) };
    if ('image' in item) return { type: 'image', source: source(item.image.source, item.image.format) };
    return {
      type: 'text',
      text: item.document.source && 'text' in item.document.source ? (item.document.source.text ?? '') : '',
    };
  });
  const only = parts[0];
  const toolName = names.get(toolUseId);
  return {
    type: 'tool-result',
    toolCallId: toolUseId,
    ...(toolName !== undefined ? { toolName } : {}),
    content: parts.length === 1 && only?.type === 'text' ? only.text : parts,
    ...(status === 'error' ? { isError: true } : {}),
  };
}

function messagesOf(body: BedrockRequestBody): Message[] {
  const messages: Message[] = [];
  const system = (body.system ?? []).flatMap((block) => ('text' in block ? [block.text] : []));
  if (system.length > 0) messages.push({ role: 'system', content: system.join('\n\n') });
  const names = new Map<string, string>();
  body.messages.forEach((message, m) => {
    if (message.role === 'assistant') {
      const content = message.content
        .map((block, b) => assistantPart(block, `messages.${m}.content.${b}`))
        .filter((part) => part !== undefined);
      for (const part of content) if (part.type === 'tool-call') names.set(part.toolCallId, part.toolName);
      messages.push({ role: 'assistant', content });
      return;
    }
    const results: ToolResultPart[] = [];
    const rest: UserContentPart[] = [];
    message.content.forEach((block, b) => {
      if ('toolResult' in block) results.push(toolResult(block, names));
      else {
        const part = userPart(block, `messages.${m}.content.${b}`);
        if (part) rest.push(part);
      }
    });
    if (results.length > 0) messages.push({ role: 'tool', content: results });
    const [only] = rest;
    if (rest.length === 1 && only?.type === 'text') messages.push({ role: 'user', content: only.text });
    else if (rest.length > 0) messages.push({ role: 'user', content: rest });
  });
  return messages;
}

function toolChoiceOf(
  choice: NonNullable<BedrockRequestBody['toolConfig']>['toolChoice'],
): ToolChoice | undefined {
  if (!choice) return undefined;
  if ('any' in choice) return 'required';
  if ('tool' in choice) return { type: 'tool', name: choice.tool.name };
  return 'auto';
}

/**
 * A Converse request body as a spec request (the model comes from the path). Throws
 * `InvalidRequestError` naming the field at fault.
 */
export function decodeBedrockRequest(input: unknown): ChatRequest {
  const parsed = bedrockRequestSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(issue?.path.join('.') || 'body', issue?.message ?? 'not a Converse request');
  }
  const body = parsed.data;
  const request: ChatRequest = { messages: messagesOf(body) };
  const inference = body.inferenceConfig;
  if (inference?.maxTokens !== undefined) request.maxOutputTokens = inference.maxTokens;
  if (inference?.temperature !== undefined) request.temperature = inference.temperature;
  if (inference?.topP !== undefined) request.topP = inference.topP;
  if (inference?.stopSequences?.length) request.stopSequences = inference.stopSequences;
  const tools = (body.toolConfig?.tools ?? []).flatMap((tool) =>
    'toolSpec' in tool
      ? [
          {
            name: tool.toolSpec.name,
            ...(tool.toolSpec.description !== undefined ? { description: tool.toolSpec.description } : {}),
            inputSchema: tool.toolSpec.inputSchema.json,
          },
        ]
      : [],
  );
  if (tools.length > 0) request.tools = tools;
  const toolChoice = toolChoiceOf(body.toolConfig?.toolChoice);
  if (toolChoice) request.toolChoice = toolChoice;
  if (body.requestMetadata?.user !== undefined) request.user = body.requestMetadata.user;

  const { thinking, top_k, ...additional } = body.additionalModelRequestFields ?? {};
  const budget = (thinking as { budget_tokens?: unknown } | undefined)?.budget_tokens;
  if (typeof budget === 'number') request.reasoning = { budgetTokens: budget };
  if (typeof top_k === 'number') request.topK = top_k;
  const extra: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(body))
    if (!MAPPED_FIELDS.has(field) && field !== 'additionalModelRequestFields') extra[field] = value;
  if (Object.keys(additional).length > 0) extra.additionalModelRequestFields = additional;
  if (Object.keys(extra).length > 0) request.providerOptions = { [BEDROCK_METADATA_KEY]: extra };
  return request;
}
