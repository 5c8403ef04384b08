import type { AssistantContentPart, ChatResponse, Citation, TextPart, Warning } from 'ai.matey.core';
import type { DecodeContext } from '../codec.ts';
import { mintId } from '../shared/ids.ts';
import { malformedReply } from '../shared/malformed-reply.ts';
import { canonicalArguments } from '../shared/tool-arguments.ts';
import { type CohereCitation, citationFromCohere, citationToCohere } from './cohere-citations.ts';
import { decodeCohereError } from './cohere-error.ts';
import { finishReasonFromCohere, finishReasonToCohere } from './cohere-finish-reason.ts';
import { cohereUsageMetadata, usageFromCohere, usageToCohere } from './cohere-usage.ts';

/** Marks a text part that was Cohere's `tool_plan`, so encoding it again puts it back there. */
export function toolPlanMetadata(): { cohere: { toolPlan: true } } {
  return { cohere: { toolPlan: true } };
}

/** True for a text part decoded from (or meant for) Cohere's `tool_plan`. */
export function isToolPlan(part: { providerMetadata?: TextPart['providerMetadata'] }): boolean {
  return part.providerMetadata?.cohere?.toolPlan === true;
}

/**
 * A spec response from a Cohere v2 chat reply: `thinking` content as reasoning, `text` content
 * as text (with its citations), the `tool_plan` as a text part marked as one, then the tool
 * calls. Usage counts `tokens`; the billed units ride in `providerMetadata.cohere`.
 */
export function decodeCohereResponse(body: unknown, context: DecodeContext): ChatResponse {
  if (typeof body !== 'object' || body === null)
    throw malformedReply(context.provider, 'chat reply', 'the body is not a JSON object');
  const record = body as Record<string, unknown>;
  if (typeof record.message !== 'object' || record.message === null) {
    if (typeof record.message === 'string') throw decodeCohereError(0, record, undefined, context);
    throw malformedReply(context.provider, 'chat reply', 'the body has no message');
  }
  const message = record.message as Record<string, unknown>;
  const warnings: Warning[] = [];
  const content: AssistantContentPart[] = [];
  const textByContentIndex = new Map<number, TextPart>();
  const items = Array.isArray(message.content) ? message.content : [];
  items.forEach((raw: unknown, index) => {
    const item = (raw ?? {}) as { type?: unknown; text?: unknown; thinking?: unknown };
    if (item.type === 'text' && typeof item.text === 'string') {
      const part: TextPart = { type: 'text', text: item.text };
      textByContentIndex.set(index, part);
      content.push(part);
    } else if (item.type === 'thinking' && typeof item.thinking === 'string') {
      content.push({ type: 'reasoning', text: item.thinking });
    } else {
      warnings.push({
        type: 'unsupported-content',
        message: `A content item of type '${String(item.type)}' in the reply has no spec equivalent and was left out.`,
      });
    }
  });
  let plan: TextPart | undefined;
  if (typeof message.tool_plan === 'string' && message.tool_plan !== '') {
    plan = { type: 'text', text: message.tool_plan, providerMetadata: toolPlanMetadata() };
    content.push(plan);
  }
  for (const raw of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    const call = (raw ?? {}) as { id?: unknown; function?: { name?: unknown; arguments?: unknown } };
    content.push({
      type: 'tool-call',
      toolCallId: typeof call.id === 'string' ? call.id : mintId('call_'),
      toolName: typeof call.function?.name === 'string' ? call.function.name : '',
      arguments: canonicalArguments(
        typeof call.function?.arguments === 'string' ? call.function.arguments : '',
      ),
    });
  }
  for (const raw of Array.isArray(message.citations) ? (message.citations as CohereCitation[]) : []) {
    const target = raw.type === 'PLAN' ? plan : citedPart(textByContentIndex, raw.content_index);
    if (target) target.citations = [...(target.citations ?? []), citationFromCohere(raw)];
  }
  const rawFinishReason = typeof record.finish_reason === 'string' ? record.finish_reason : undefined;
  const response: ChatResponse = {
    id: typeof record.id === 'string' ? record.id : '',
    model: context.request?.model ?? '',
    provider: context.provider,
    content,
    finishReason: finishReasonFromCohere(rawFinishReason),
    usage: usageFromCohere(record.usage),
    warnings,
  };
  if (rawFinishReason !== undefined) response.rawFinishReason = rawFinishReason;
  const metadata = cohereUsageMetadata(record.usage);
  if (metadata) response.providerMetadata = metadata;
  return response;
}

/** The text a citation spans: `content[content_index]`, else the first text item. */
function citedPart(parts: Map<number, TextPart>, contentIndex: number | undefined): TextPart | undefined {
  if (typeof contentIndex === 'number' && parts.has(contentIndex)) return parts.get(contentIndex);
  return parts.values().next().value;
}

/** A Cohere v2 chat reply for a spec response, as the server half sends it. */
export function encodeCohereResponse(response: ChatResponse): Record<string, unknown> {
  const content: Record<string, unknown>[] = [];
  const citations: Record<string, unknown>[] = [];
  const toolCalls: Record<string, unknown>[] = [];
  let toolPlan: string | undefined;
  const addCitations = (list: Citation[] | undefined, plan: boolean, contentIndex: number) => {
    for (const citation of list ?? []) citations.push(citationToCohere(citation, { plan, contentIndex }));
  };
  for (const part of response.content) {
    if (part.type === 'text' && isToolPlan(part)) {
      toolPlan = (toolPlan ?? '') + part.text;
      addCitations(part.citations, true, 0);
    } else if (part.type === 'text') {
      addCitations(part.citations, false, content.length);
      content.push({ type: 'text', text: part.text });
    } else if (part.type === 'reasoning') content.push({ type: 'thinking', thinking: part.text });
    else
      toolCalls.push({
        id: part.toolCallId,
        type: 'function',
        function: { name: part.toolName, arguments: part.arguments },
      });
  }
  const message: Record<string, unknown> = { role: 'assistant' };
  if (content.length > 0) message.content = content;
  if (toolPlan !== undefined) message.tool_plan = toolPlan;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (citations.length > 0) message.citations = citations;
  return {
    id: response.id || crypto.randomUUID(),
    message,
    finish_reason: finishReasonToCohere(response.finishReason),
    usage: usageToCohere(response.usage, response.providerMetadata),
  };
}
