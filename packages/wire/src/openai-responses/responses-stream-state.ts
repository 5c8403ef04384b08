import type { ProviderMetadata, ReasoningPart } from 'ai.matey.core';
import type { RawItem } from './responses-metadata.ts';
import { messageItem, outputTextPart, reasoningItem } from './responses-output-items.ts';

/** A text content part of a message being streamed. */
export interface StreamedText {
  contentIndex: number;
  text: string;
  refusal: boolean;
  /** The part's fields besides its text (annotations, logprobs), from a Responses upstream. */
  meta: RawItem | undefined;
  /** How many of its annotations were announced. */
  annotationsSent: number;
}

/** One output item the stream encoder has opened, by the spec index (or indexes) it carries. */
export interface StreamedItem {
  kind: 'message' | 'reasoning' | 'function_call' | 'opaque';
  outputIndex: number;
  id: string;
  open: boolean;
  /** Message: its fields besides the content; function call and reasoning: the item as it came. */
  base: RawItem | undefined;
  texts: Map<number, StreamedText>;
  /** Reasoning: text so far and whether its summary part was announced. */
  text: string;
  summaryOpen: boolean;
  signature: string;
  redactedData: string;
  providerMetadata: ProviderMetadata | undefined;
  /** Function call. */
  callId: string;
  name: string;
  arguments: string;
  /** The item as it ended. */
  final: RawItem | undefined;
}

const ID_PREFIX = { message: 'msg_', reasoning: 'rs_', function_call: 'fc_' } as const;

/**
 * A new streamed item; one the upstream gave no id gets the reply's own id for its output index
 * (`outputItemIds`), the one it has as a JSON reply and when read back.
 */
export function newItem(
  kind: StreamedItem['kind'],
  outputIndex: number,
  id: string,
  idOf: (prefix: string, outputIndex: number) => string,
): StreamedItem {
  return {
    kind,
    outputIndex,
    id: id || (kind === 'opaque' ? '' : idOf(ID_PREFIX[kind], outputIndex)),
    open: true,
    base: undefined,
    texts: new Map(),
    text: '',
    summaryOpen: false,
    signature: '',
    redactedData: '',
    providerMetadata: undefined,
    callId: '',
    name: '',
    arguments: '',
    final: undefined,
  };
}

/** A message item as it stands (status `in_progress` while open). */
export function messageOf(item: StreamedItem): RawItem {
  const content = [...item.texts.values()].map((text) => outputTextPart(text.text, text.meta, text.refusal));
  return {
    ...messageItem(item.base, content, item.id),
    id: item.id,
    status: item.open ? 'in_progress' : 'completed',
  };
}

/** A reasoning item as it ended: the upstream's own when it came from one, else built (foreign signatures wrapped). */
export function reasoningOf(item: StreamedItem): RawItem {
  if (item.base) return { ...item.base, id: item.id };
  const part: ReasoningPart = { type: 'reasoning', text: item.text };
  if (item.signature !== '') part.signature = item.signature;
  if (item.redactedData !== '') part.redactedData = item.redactedData;
  if (item.providerMetadata) part.providerMetadata = item.providerMetadata;
  return { ...reasoningItem(part, item.id), id: item.id };
}

/** A function-call item as it stands. */
export function functionCallOf(item: StreamedItem): RawItem {
  return {
    ...(item.base ?? {}),
    id: item.id,
    type: 'function_call',
    status: item.open ? 'in_progress' : 'completed',
    call_id: item.callId,
    name: item.name,
    arguments: item.open ? '' : item.arguments,
  };
}
