import {
  type AssistantContentPart,
  type ChatResponse,
  type ProviderMetadata,
  UpstreamServerError,
} from 'ai.matey.core';
import type { DecodeContext } from '../codec.ts';
import { mintId } from '../shared/ids.ts';
import { parseArguments } from '../shared/tool-arguments.ts';
import { splitAtCitations } from './anthropic-citations.ts';
import { anthropicMetadata, decodeAssistantBlock, toolInputText } from './anthropic-content-decoder.ts';
import { isJsonModeRequest, JSON_TOOL_NAME } from './anthropic-json-mode.ts';
import { finishReasonFromAnthropic, stopReasonToAnthropic } from './anthropic-stop-reason.ts';
import type { AnthropicMessage, AnthropicResponseBlock } from './anthropic-types.ts';
import { usageFromAnthropic, usageToAnthropic } from './anthropic-usage.ts';

function isMessage(body: unknown): body is AnthropicMessage {
  return (
    typeof body === 'object' &&
    body !== null &&
    Array.isArray((body as { content?: unknown }).content) &&
    typeof (body as { id?: unknown }).id === 'string'
  );
}

/**
 * The reply-level `providerMetadata.anthropic`: the matched stop sequence, Anthropic's
 * `stop_details` (a refusal's category and explanation), and blocks the spec has no part for
 * (`fallback`, server tool blocks), kept whole rather than dropped.
 */
export function replyMetadata(values: {
  stopSequence?: string | null | undefined;
  stopDetails?: unknown;
  otherBlocks: AnthropicResponseBlock[];
}): { providerMetadata?: ProviderMetadata } {
  return anthropicMetadata({
    stopSequence: values.stopSequence ?? undefined,
    stopDetails: values.stopDetails ?? undefined,
    otherBlocks: values.otherBlocks.length > 0 ? values.otherBlocks : undefined,
  });
}

/** An Anthropic-style message id (`msg_…`); another provider's id is kept after the prefix. */
export function anthropicMessageId(id: string): string {
  if (id.startsWith('msg_')) return id;
  return id === '' ? mintId('msg_') : `msg_${id}`;
}

/**
 * A whole Anthropic reply as a spec response: blocks in order; in JSON mode (the request asked
 * for JSON, so the codec forced the `json` tool) that tool's input becomes the text answer.
 */
export function decodeAnthropicResponse(body: unknown, context: DecodeContext): ChatResponse {
  if (!isMessage(body))
    throw new UpstreamServerError({
      message: 'Anthropic sent a reply that is not a message',
      provider: context.provider,
    });
  const jsonMode = isJsonModeRequest(context.request);
  const content: AssistantContentPart[] = [];
  const otherBlocks: AnthropicResponseBlock[] = [];
  let jsonAnswer = false;
  for (const block of body.content) {
    if (jsonMode && block.type === 'tool_use' && (block as { name?: unknown }).name === JSON_TOOL_NAME) {
      content.push({ type: 'text', text: toolInputText((block as { input?: unknown }).input) });
      jsonAnswer = true;
      continue;
    }
    const part = decodeAssistantBlock(block);
    if (part) content.push(part);
    else otherBlocks.push(block);
  }
  const onlyJson = jsonAnswer && !content.some((part) => part.type === 'tool-call');
  const response: ChatResponse = {
    id: body.id,
    model: body.model,
    provider: context.provider,
    content,
    finishReason: finishReasonFromAnthropic(body.stop_reason, onlyJson),
    usage: usageFromAnthropic(body.usage),
    warnings: [],
    ...replyMetadata({ stopSequence: body.stop_sequence, stopDetails: body.stop_details, otherBlocks }),
  };
  if (body.stop_reason) response.rawFinishReason = body.stop_reason;
  return response;
}

/** A spec content part as a response block. */
export function encodeResponseBlock(part: AssistantContentPart): AnthropicResponseBlock {
  if (part.type === 'text') {
    const citations = part.providerMetadata?.anthropic?.citations;
    return { type: 'text', text: part.text, ...(Array.isArray(citations) ? { citations } : {}) };
  }
  if (part.type === 'reasoning')
    return part.redactedData !== undefined
      ? { type: 'redacted_thinking', data: part.redactedData }
      : { type: 'thinking', thinking: part.text, signature: part.signature ?? '' };
  return {
    type: 'tool_use',
    id: part.toolCallId,
    name: part.toolName,
    input: parseArguments(part.arguments),
  };
}

/**
 * A spec content part as response blocks: one block, except a text part with citations from
 * another provider (Cohere's), which Anthropic writes as its cited spans in blocks of their own
 * (`splitAtCitations`).
 */
export function encodeResponseBlocks(part: AssistantContentPart): AnthropicResponseBlock[] {
  if (part.type !== 'text' || !part.citations?.length || part.providerMetadata?.anthropic?.citations)
    return [encodeResponseBlock(part)];
  return splitAtCitations(part.text, part.citations).map((run) => ({
    type: 'text',
    text: run.text,
    ...(run.citations.length > 0 ? { citations: run.citations } : {}),
  }));
}

/** A spec response as a whole Anthropic `Message`, for the gateway's Anthropic clients. */
export function encodeAnthropicResponse(response: ChatResponse): AnthropicMessage {
  const metadata = response.providerMetadata?.anthropic;
  const stopSequence = typeof metadata?.stopSequence === 'string' ? metadata.stopSequence : undefined;
  const message: AnthropicMessage = {
    id: anthropicMessageId(response.id),
    type: 'message',
    role: 'assistant',
    model: response.model,
    content: response.content.flatMap(encodeResponseBlocks),
    stop_reason: stopReasonToAnthropic(response.finishReason, response.rawFinishReason, stopSequence),
    stop_sequence: stopSequence ?? null,
    usage: usageToAnthropic(response.usage),
  };
  if (metadata?.stopDetails !== undefined) message.stop_details = metadata.stopDetails;
  return message;
}
