import type { AssistantContentPart, ChatResponse, ProviderMetadata } from 'ai.matey.core';
import { canonicalArguments, type DecodeContext, mintId, parseArguments } from 'ai.matey.wire';
import { isJsonModeRequest, JSON_TOOL_NAME } from './bedrock-json-mode.ts';
import {
  BEDROCK_METADATA_KEY,
  type BedrockContentBlock,
  type BedrockConverseResponse,
} from './bedrock-types.ts';
import {
  finishReasonFromBedrock,
  finishReasonToBedrock,
  usageFromBedrock,
  usageToBedrock,
} from './bedrock-usage.ts';

/** A tool's `input` object as canonical JSON text. */
export function toolInputText(input: unknown): string {
  return canonicalArguments(JSON.stringify(input ?? {}));
}

/** The reply-level fields with no spec place, kept under `providerMetadata.bedrock`. */
export function replyMetadata(fields: {
  metrics?: unknown;
  additionalModelResponseFields?: unknown;
  trace?: unknown;
}): { providerMetadata?: ProviderMetadata } {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields))
    if (value !== undefined && value !== null) kept[key] = value;
  return Object.keys(kept).length > 0 ? { providerMetadata: { [BEDROCK_METADATA_KEY]: kept } } : {};
}

/** One content block of a reply as a spec part (none for blocks the spec has no place for). */
function decodeBlock(block: BedrockContentBlock, jsonMode: boolean): AssistantContentPart | undefined {
  if (typeof block.text === 'string') return { type: 'text', text: block.text };
  if (block.toolUse) {
    const { toolUseId, name, input } = block.toolUse;
    if (jsonMode && name === JSON_TOOL_NAME) return { type: 'text', text: toolInputText(input) };
    return { type: 'tool-call', toolCallId: toolUseId, toolName: name, arguments: toolInputText(input) };
  }
  const reasoning = block.reasoningContent;
  if (reasoning?.reasoningText) {
    const { text, signature } = reasoning.reasoningText;
    return { type: 'reasoning', text, ...(signature ? { signature } : {}) };
  }
  if (reasoning?.redactedContent !== undefined)
    return { type: 'reasoning', text: '', redactedData: reasoning.redactedContent };
  return undefined;
}

/**
 * A Converse reply as a spec response. Bedrock sends no response id in the body (it is the
 * `x-amzn-requestid` header), so one is minted; the model is the one asked for.
 */
export function decodeBedrockResponse(body: unknown, context: DecodeContext): ChatResponse {
  const reply = (body ?? {}) as BedrockConverseResponse;
  const jsonMode = isJsonModeRequest(context.request);
  const content: AssistantContentPart[] = [];
  let toolCalls = false;
  for (const block of reply.output?.message?.content ?? []) {
    const part = decodeBlock(block, jsonMode);
    if (!part) continue;
    if (part.type === 'tool-call') toolCalls = true;
    content.push(part);
  }
  const onlyJson = jsonMode && !toolCalls;
  return {
    id: mintId('bedrock-'),
    model: context.request?.model ?? '',
    provider: context.provider,
    content,
    finishReason: finishReasonFromBedrock(reply.stopReason, onlyJson),
    ...(reply.stopReason !== undefined ? { rawFinishReason: reply.stopReason } : {}),
    usage: usageFromBedrock(reply.usage),
    warnings: [],
    ...replyMetadata({
      metrics: reply.metrics,
      additionalModelResponseFields: reply.additionalModelResponseFields,
      trace: reply.trace,
    }),
  };
}

/** A spec part as a Converse reply block. */
export function encodeResponseBlock(part: AssistantContentPart): BedrockContentBlock {
  switch (part.type) {
    case 'text':
      return { text: part.text };
    case 'reasoning':
      return part.redactedData !== undefined
        ? { reasoningContent: { redactedContent: part.redactedData } }
        : {
            reasoningContent: {
              reasoningText: { text: part.text, ...(part.signature ? { signature: part.signature } : {}) },
            },
          };
    case 'tool-call':
      return {
        toolUse: { toolUseId: part.toolCallId, name: part.toolName, input: parseArguments(part.arguments) },
      };
  }
}

/** A spec response as a Converse reply body (the server half: the mock upstream's replies). */
export function encodeBedrockResponse(response: ChatResponse): Record<string, unknown> {
  const metadata = response.providerMetadata?.[BEDROCK_METADATA_KEY] ?? {};
  const body: BedrockConverseResponse = {
    output: { message: { role: 'assistant', content: response.content.map(encodeResponseBlock) } },
    stopReason: finishReasonToBedrock(response.finishReason, response.rawFinishReason),
    usage: usageToBedrock(response.usage),
    metrics: (metadata.metrics as { latencyMs?: number } | undefined) ?? { latencyMs: 0 },
  };
  if (metadata.additionalModelResponseFields !== undefined)
    body.additionalModelResponseFields = metadata.additionalModelResponseFields;
  return body as Record<string, unknown>;
}
