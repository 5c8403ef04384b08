import {
  type AssistantContentPart,
  type ChatResponse,
  emptyUsage,
  type TextPart,
  type Warning,
} from 'ai.matey.core';
import type { DecodeContext } from '../codec.ts';
import { mintId } from '../shared/ids.ts';
import { asRecord, malformedReply } from '../shared/malformed-reply.ts';
import { canonicalArguments } from '../shared/tool-arguments.ts';
import { citationFieldsToOpenAI, citationsFromOpenAI, type PlacedCitation } from './openai-chat-citations.ts';
import { type ContentPiece, readContentPieces } from './openai-chat-content.ts';
import { decodeOpenAIError } from './openai-chat-error.ts';
import { finishReasonFromOpenAI, finishReasonToOpenAI } from './openai-chat-finish-reason.ts';
import type { OpenAIAssistantMessage, OpenAIToolCall } from './openai-chat-types.ts';
import { findUsage, usageFromOpenAI, usageToOpenAI } from './openai-chat-usage.ts';

/** Marks a text part that was OpenAI's `refusal`, so encoding it again puts it back there. */
export function refusalMetadata(): { openai: { refusal: true } } {
  return { openai: { refusal: true } };
}

/**
 * A spec response from a `chat.completion` body (first choice). Reasoning (`reasoning_content`,
 * `reasoning`, Mistral `thinking` parts) comes before the text, tool calls after. A `refusal`
 * becomes a text part marked `providerMetadata.openai.refusal` and the finish reason
 * `content-filter` (the raw reason stays in `rawFinishReason`): the caller still reads why the
 * model declined, and a program can tell a refusal from an answer without parsing it.
 */
export function decodeOpenAIChatResponse(body: unknown, context: DecodeContext): ChatResponse {
  if (typeof body !== 'object' || body === null)
    throw malformedReply(context.provider, 'chat completion', 'the body is not a JSON object');
  const record = body as Record<string, unknown>;
  if (typeof record.error === 'object' && record.error !== null)
    throw decodeOpenAIError(undefined, record, undefined, context);
  if (!Array.isArray(record.choices))
    throw malformedReply(context.provider, 'chat completion', 'the body has no choices');
  const warnings: Warning[] = [];
  if (record.choices.length > 1) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'n',
      message: `The provider returned ${record.choices.length} choices; only the first is kept.`,
    });
  }
  const choice = asRecord(record.choices[0]);
  const message = asRecord(choice.message);
  const { pieces, unknownTypes } = readContentPieces(message);
  for (const type of unknownTypes) {
    warnings.push({
      type: 'unsupported-content',
      message: `A content part of type '${type}' in the reply has no spec equivalent and was left out.`,
    });
  }
  const content: AssistantContentPart[] = assembleParts(pieces);
  const textPart = content.find((part) => part.type === 'text' && !isRefusal(part));
  if (textPart?.type === 'text') {
    const citations = citationsFromOpenAI(message, textPart.text);
    if (citations.length > 0) textPart.citations = citations;
  }
  const toolCalls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  for (const call of toolCalls) {
    const fn = asRecord(asRecord(call).function);
    content.push({
      type: 'tool-call',
      toolCallId: stringOr(asRecord(call).id, mintId('call_')),
      toolName: stringOr(fn.name, ''),
      arguments: canonicalArguments(stringOr(fn.arguments, '')),
    });
  }
  const rawFinishReason = typeof choice.finish_reason === 'string' ? choice.finish_reason : undefined;
  const refused = pieces.some((piece) => piece.kind === 'refusal');
  const usage = findUsage(record);
  const response: ChatResponse = {
    id: stringOr(record.id, ''),
    model: stringOr(record.model, context.request?.model ?? ''),
    provider: context.provider,
    content,
    finishReason: refused ? 'content-filter' : finishReasonFromOpenAI(rawFinishReason),
    usage: usage ? usageFromOpenAI(usage) : emptyUsage(),
    warnings,
  };
  if (rawFinishReason !== undefined) response.rawFinishReason = rawFinishReason;
  return response;
}

/** One reasoning, one text and one refusal part at most, in the order each first appears. */
function assembleParts(pieces: ContentPiece[]): AssistantContentPart[] {
  const parts: AssistantContentPart[] = [];
  const byKind = new Map<ContentPiece['kind'], AssistantContentPart & { text: string }>();
  for (const piece of pieces) {
    const existing = byKind.get(piece.kind);
    if (existing) {
      existing.text += piece.text;
      continue;
    }
    const part: AssistantContentPart & { text: string } =
      piece.kind === 'reasoning'
        ? { type: 'reasoning', text: piece.text }
        : piece.kind === 'refusal'
          ? { type: 'text', text: piece.text, providerMetadata: refusalMetadata() }
          : { type: 'text', text: piece.text };
    byKind.set(piece.kind, part);
    parts.push(part);
  }
  return parts;
}

/**
 * A `chat.completion` body for a spec response, as the HTTP front-end sends it to OpenAI clients.
 * Citations go in `message.annotations` (`url_citation`, for sources with a URL) and whole in
 * the `message.matey_citations` extension, their offsets into `message.content`.
 */
export function encodeOpenAIChatResponse(response: ChatResponse): Record<string, unknown> {
  let text: string | null = null;
  let refusal: string | null = null;
  let reasoning: string | undefined;
  const toolCalls: OpenAIToolCall[] = [];
  const citations: PlacedCitation[] = [];
  for (const part of response.content) {
    if (part.type === 'text') {
      if (isRefusal(part)) refusal = (refusal ?? '') + part.text;
      else {
        const offset = text?.length ?? 0;
        for (const citation of part.citations ?? []) citations.push({ offset, citation });
        text = (text ?? '') + part.text;
      }
    } else if (part.type === 'reasoning') {
      reasoning = (reasoning ?? '') + part.text;
    } else {
      toolCalls.push({
        id: part.toolCallId,
        type: 'function',
        function: { name: part.toolName, arguments: part.arguments },
      });
    }
  }
  const message: OpenAIAssistantMessage = { role: 'assistant', content: text, refusal };
  if (reasoning !== undefined) message.reasoning_content = reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  Object.assign(message, citationFieldsToOpenAI(citations));
  return {
    id: response.id || mintId('chatcmpl-'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: response.model,
    choices: [
      { index: 0, message, logprobs: null, finish_reason: finishReasonToOpenAI(response.finishReason) },
    ],
    usage: usageToOpenAI(response.usage),
  };
}

/** True for a text part decoded from (or meant for) OpenAI's `refusal` field. */
export function isRefusal(part: TextPart): boolean {
  return part.providerMetadata?.openai?.refusal === true;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
