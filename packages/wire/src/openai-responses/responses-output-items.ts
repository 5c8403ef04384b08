import type { AssistantContentPart, ReasoningPart, ToolCallPart } from 'ai.matey.core';
import { canonicalArguments } from '../shared/tool-arguments.ts';
import { unwrapForeignReasoning, wrapForeignReasoning } from './responses-foreign-reasoning.ts';
import { itemId, outputItemIds } from './responses-item-id.ts';
import {
  isRecord,
  omit,
  type RawItem,
  responsesMetadata,
  stringOr,
  withResponsesMetadata,
} from './responses-metadata.ts';

/** The spec parts for one output item of a Responses reply, in order. */
export function partsFromOutputItem(item: RawItem): AssistantContentPart[] {
  switch (item.type) {
    case 'message': {
      const message = omit(item, 'content');
      const content = Array.isArray(item.content) ? item.content : [];
      return content.filter(isRecord).map((part): AssistantContentPart => {
        const meta = withResponsesMetadata({ message, part: omit(part, 'text', 'refusal') });
        if (part.type === 'refusal') {
          return {
            type: 'text',
            text: stringOr(part.refusal, ''),
            providerMetadata: { ...meta.providerMetadata, openai: { refusal: true } },
          };
        }
        return { type: 'text', text: stringOr(part.text, ''), ...meta };
      });
    }
    case 'reasoning':
      return [reasoningFromItem(item)];
    case 'function_call':
      return [
        {
          type: 'tool-call',
          toolCallId: stringOr(item.call_id, itemId('call_')),
          toolName: stringOr(item.name, ''),
          arguments: canonicalArguments(stringOr(item.arguments, '')),
          ...withResponsesMetadata({ item }),
        },
      ];
    default:
      return [{ type: 'text', text: '', ...withResponsesMetadata({ item }) }];
  }
}

/** A reasoning part: its summary (or reasoning text) joined, the item kept for the way back. */
export function reasoningFromItem(item: RawItem): ReasoningPart {
  const content = Array.isArray(item.content) ? item.content : [];
  const summary = Array.isArray(item.summary) ? item.summary : [];
  const text = (content.length > 0 ? content : summary)
    .map((entry) => (isRecord(entry) ? stringOr(entry.text, '') : ''))
    .filter((entry) => entry !== '')
    .join('\n\n');
  const foreign = unwrapForeignReasoning(item.encrypted_content);
  if (foreign) return { type: 'reasoning', text, ...foreign };
  return { type: 'reasoning', text, ...withResponsesMetadata({ item }) };
}

/**
 * Spec parts as Responses output items: consecutive text parts of one message item form one
 * message (a new one when the message id changes); reasoning, function calls and hosted items
 * that came from a Responses reply are sent back as they came.
 */
export function outputItemsFromParts(parts: readonly AssistantContentPart[], responseId: string): RawItem[] {
  const items: RawItem[] = [];
  const idOf = outputItemIds(responseId);
  let open: { key: unknown; content: RawItem[] } | undefined;
  for (const part of parts) {
    const meta = responsesMetadata(part.providerMetadata);
    if (part.type === 'text' && !meta.item) {
      const key = meta.message?.id;
      if (!open || key === undefined || open.key !== key) {
        const content: RawItem[] = [];
        items.push(messageItem(meta.message, content, idOf('msg_', items.length)));
        open = { key: key ?? Symbol('message'), content };
      }
      open.content.push(
        outputTextPart(part.text, meta.part, part.providerMetadata?.openai?.refusal === true),
      );
      continue;
    }
    open = undefined;
    if (part.type === 'text') items.push(meta.item as RawItem);
    else if (part.type === 'reasoning') items.push(reasoningItem(part, idOf('rs_', items.length)));
    else items.push(functionCallItem(part, idOf('fc_', items.length)));
  }
  return items;
}

/** A message item; `id`: the one it gets when the upstream gave it none. */
export function messageItem(message: RawItem | undefined, content: RawItem[], id: string): RawItem {
  return {
    ...(message ?? {}),
    id: stringOr(message?.id, '') || id,
    type: 'message',
    status: 'completed',
    role: 'assistant',
    content,
  };
}

export function outputTextPart(text: string, part: RawItem | undefined, refusal: boolean): RawItem {
  if (refusal) return { type: 'refusal', refusal: text };
  return { annotations: [], logprobs: [], ...(part ?? {}), type: 'output_text', text };
}

export function reasoningItem(part: ReasoningPart, id: string): RawItem {
  const { item } = responsesMetadata(part.providerMetadata);
  if (item) return item;
  const encrypted = wrapForeignReasoning(part);
  return {
    id,
    type: 'reasoning',
    summary: part.text === '' ? [] : [{ type: 'summary_text', text: part.text }],
    ...(encrypted !== undefined ? { encrypted_content: encrypted } : {}),
  };
}

export function functionCallItem(part: ToolCallPart, id: string): RawItem {
  const { item } = responsesMetadata(part.providerMetadata);
  return {
    ...(item ?? {}),
    id: stringOr(item?.id, '') || id,
    type: 'function_call',
    status: 'completed',
    call_id: part.toolCallId,
    name: part.toolName,
    arguments: part.arguments,
  };
}
