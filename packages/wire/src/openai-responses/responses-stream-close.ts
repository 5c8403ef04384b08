import { isRecord, type RawItem } from './responses-metadata.ts';
import {
  functionCallOf,
  messageOf,
  reasoningOf,
  type StreamedItem,
  type StreamedText,
} from './responses-stream-state.ts';
import type { ResponsesEventWriter } from './responses-stream-writer.ts';

/** An item as it ended (or stands): built from what was streamed, or the upstream's own. */
export function finalItemOf(item: StreamedItem): RawItem {
  if (item.kind === 'message') return messageOf(item);
  if (item.kind === 'reasoning') return reasoningOf(item);
  if (item.kind === 'function_call') return functionCallOf(item);
  return item.final ?? item.base ?? { id: item.id, type: 'unknown' };
}

/**
 * The `output` of the final response: each item as it ended, or the upstream's own final item
 * where it is the one streamed (same id and type), but for messages, whose text is what was
 * streamed, as the client assembled it.
 */
export function finalOutput(items: readonly StreamedItem[], upstream: RawItem | undefined): RawItem[] {
  const kept: unknown[] = Array.isArray(upstream?.output) ? upstream.output : [];
  return [...items]
    .sort((a, b) => a.outputIndex - b.outputIndex)
    .map((item, index) => {
      const built = finalItemOf(item);
      const own = kept[index];
      return isRecord(own) && own.id === built.id && own.type === built.type && own.type !== 'message'
        ? own
        : built;
    });
}

/** The events that end an item: its parts' `.done` events, then `output_item.done`. */
export function closingEvents(writer: ResponsesEventWriter, item: StreamedItem): string {
  const ids = { item_id: item.id, output_index: item.outputIndex };
  let out = '';
  if (item.kind === 'message') {
    for (const text of item.texts.values()) {
      const at = { ...ids, content_index: text.contentIndex };
      if (text.refusal) out += writer.write('response.refusal.done', { ...at, refusal: text.text });
      else out += writer.write('response.output_text.done', { ...at, text: text.text, logprobs: [] });
      const parts = messageOf(item).content as RawItem[];
      out += writer.write('response.content_part.done', { ...at, part: parts[text.contentIndex] });
    }
  } else if (item.kind === 'reasoning' && item.summaryOpen) {
    const at = { ...ids, summary_index: 0 };
    out += writer.write('response.reasoning_summary_text.done', { ...at, text: item.text });
    out += writer.write('response.reasoning_summary_part.done', {
      ...at,
      part: { type: 'summary_text', text: item.text },
    });
  }
  if (item.kind === 'function_call') item.arguments ||= '{}';
  item.open = false;
  if (item.kind === 'opaque') return out;
  return (
    out +
    writer.write('response.output_item.done', { output_index: item.outputIndex, item: finalItemOf(item) })
  );
}

/** Announces a text part's annotations (web search citations) not yet sent, one event each. */
export function annotationEvents(
  writer: ResponsesEventWriter,
  at: { item_id: string; output_index: number },
  text: StreamedText,
  part: RawItem,
): string {
  const annotations = Array.isArray(part.annotations) ? part.annotations : [];
  let out = '';
  for (let index = text.annotationsSent; index < annotations.length; index++) {
    out += writer.write('response.output_text.annotation.added', {
      ...at,
      content_index: text.contentIndex,
      annotation_index: index,
      annotation: annotations[index],
    });
  }
  text.annotationsSent = Math.max(text.annotationsSent, annotations.length);
  return out;
}
