import {
  type AiMateyError,
  NetworkError,
  type StreamEvent,
  UpstreamServerError,
  type Usage,
} from 'ai.matey.core';
import type { DecodeContext, StreamDecoder } from '../codec.ts';
import { canonicalArguments } from '../shared/tool-arguments.ts';
import type { SseEvent } from '../sse/sse-parser.ts';
import { decodeResponsesStreamError } from './responses-error.ts';
import { itemId } from './responses-item-id.ts';
import { isRecord, omit, type RawItem, stringOr, withResponsesMetadata } from './responses-metadata.ts';
import { reasoningFromItem } from './responses-output-items.ts';
import { asksForTool, finishFromResponses } from './responses-status.ts';
import { usageFromResponses } from './responses-usage.ts';

interface OpenItem {
  type: string;
  /** The spec index of a reasoning, function-call or opaque item. */
  index?: number;
  /** Message items: the spec index of each content part. */
  parts: Map<number, { index: number; refusal: boolean; annotations: unknown[]; meta?: RawItem }>;
  message?: RawItem;
  callId?: string;
  name?: string;
  arguments: string;
  /** Reasoning: text sent so far (a new summary part after it is set apart by a blank line). */
  reasoningText: string;
}

/**
 * Turns a Responses event stream into spec events. Every output item gets spec indexes in the
 * order it starts (one per message content part); text, refusal, reasoning (summary or full
 * text) and function-call argument deltas stream as they come; a finished item's whole form
 * rides on the last event of its part (`providerMetadata['openai-responses']`), and every event
 * of a hosted tool item is passed on as it came, so a Responses client gets it back untouched.
 * `response.completed` / `response.incomplete` end the stream with usage; `response.failed` and
 * `error` end it with the error.
 */
export class ResponsesStreamDecoder implements StreamDecoder {
  readonly #context: DecodeContext;
  #started = false;
  #closed = false;
  #id = '';
  #nextIndex = 0;
  #calledTool = false;
  readonly #items = new Map<number, OpenItem>();

  constructor(context: DecodeContext) {
    this.#context = context;
  }

  push(event: SseEvent): StreamEvent[] {
    if (this.#closed) return [];
    const data = event.data.trim();
    if (data === '' || data === '[DONE]') return [];
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return this.#fail(this.#malformed(`a data line is not JSON: ${data.slice(0, 80)}`));
    }
    if (!isRecord(payload)) return this.#fail(this.#malformed('a data line is not a JSON object'));
    const type = stringOr(payload.type, event.event ?? '');
    if (type === 'error' || event.event === 'error')
      return this.#fail(decodeResponsesStreamError(payload, this.#context));
    const events: StreamEvent[] = [];
    const response = isRecord(payload.response) ? payload.response : undefined;
    if (response) {
      const id = stringOr(response.id, '');
      if (this.#id !== '' && id !== '' && id !== this.#id)
        return this.#fail(this.#malformed(`an event of another response (${this.#id} then ${id})`));
      if (id !== '') this.#id = id;
      if (!this.#started) {
        this.#started = true;
        events.push({
          type: 'start',
          id,
          model: stringOr(response.model, this.#context.request?.model ?? ''),
          provider: this.#context.provider,
        });
      }
    } else if (!this.#started) {
      return this.#fail(this.#malformed(`'${type}' before response.created`));
    }
    switch (type) {
      case 'response.completed':
      case 'response.incomplete':
        return [...events, ...this.#finish(response ?? {})];
      case 'response.failed':
        return [...events, ...this.#fail(decodeResponsesStreamError(payload, this.#context))];
      default:
        return [...events, ...this.#itemEvent(type, payload)];
    }
  }

  end(): StreamEvent[] {
    if (this.#closed) return [];
    return this.#fail(
      new NetworkError({
        message: 'The stream ended before it completed',
        provider: this.#context.provider,
        code: 'stream_incomplete',
      }),
    );
  }

  #itemEvent(type: string, payload: RawItem): StreamEvent[] {
    if (typeof payload.output_index !== 'number') return [];
    const outputIndex = payload.output_index;
    if (type === 'response.output_item.added') return this.#added(outputIndex, payload);
    const open = this.#items.get(outputIndex);
    if (!open) return [];
    if (type === 'response.output_item.done') return this.#done(open, payload);
    if (open.index !== undefined && open.type !== 'reasoning' && open.type !== 'function_call')
      return [this.#opaque(open.index, { event: payload })];
    const delta = stringOr(payload.delta, '');
    switch (type) {
      case 'response.content_part.added':
      case 'response.content_part.done':
        return this.#contentPart(open, payload);
      case 'response.output_text.delta':
      case 'response.refusal.delta': {
        const part = open.parts.get(numberOf(payload.content_index));
        if (!part || delta === '') return [];
        return [
          {
            type: 'text-delta',
            index: part.index,
            delta,
            ...(part.refusal ? { providerMetadata: { openai: { refusal: true } } } : {}),
          },
        ];
      }
      case 'response.output_text.annotation.added': {
        const part = open.parts.get(numberOf(payload.content_index));
        if (!part) return [];
        part.annotations.push(payload.annotation);
        const meta = { ...(part.meta ?? {}), annotations: [...part.annotations] };
        part.meta = meta;
        return [
          { type: 'text-delta', index: part.index, delta: '', ...withResponsesMetadata({ part: meta }) },
        ];
      }
      case 'response.reasoning_summary_part.added':
        return open.reasoningText !== '' && open.index !== undefined
          ? [this.#reasoningDelta(open, '\n\n')]
          : [];
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        return delta === '' || open.index === undefined ? [] : [this.#reasoningDelta(open, delta)];
      case 'response.function_call_arguments.delta':
        if (delta === '' || open.index === undefined) return [];
        open.arguments += delta;
        return [
          {
            type: 'tool-call-delta',
            index: open.index,
            toolCallId: open.callId ?? '',
            argumentsDelta: delta,
          },
        ];
      default:
        return [];
    }
  }

  #added(outputIndex: number, payload: RawItem): StreamEvent[] {
    const item = isRecord(payload.item) ? payload.item : {};
    const type = stringOr(item.type, '');
    const open: OpenItem = { type, parts: new Map(), arguments: '', reasoningText: '' };
    this.#items.set(outputIndex, open);
    if (type === 'message') {
      open.message = omit(item, 'content');
      return [];
    }
    open.index = this.#nextIndex++;
    // The item's id rides from its first event, so a Responses client sees one id throughout.
    if (type === 'reasoning')
      return [{ type: 'reasoning-delta', index: open.index, delta: '', ...withResponsesMetadata({ item }) }];
    if (type === 'function_call') {
      open.callId = stringOr(item.call_id, itemId('call_'));
      open.name = stringOr(item.name, '');
      open.arguments = stringOr(item.arguments, '');
      return [
        {
          type: 'tool-call-start',
          index: open.index,
          toolCallId: open.callId,
          toolName: open.name,
          ...withResponsesMetadata({ item }),
        },
      ];
    }
    return [this.#opaque(open.index, { event: payload })];
  }

  #contentPart(open: OpenItem, payload: RawItem): StreamEvent[] {
    const part = isRecord(payload.part) ? payload.part : {};
    const contentIndex = numberOf(payload.content_index);
    let slot = open.parts.get(contentIndex);
    if (!slot) {
      slot = { index: this.#nextIndex++, refusal: part.type === 'refusal', annotations: [] };
      open.parts.set(contentIndex, slot);
    }
    slot.meta = omit(part, 'text', 'refusal');
    const meta = withResponsesMetadata({
      ...(open.message ? { message: open.message } : {}),
      part: slot.meta,
    });
    return [
      {
        type: 'text-delta',
        index: slot.index,
        delta: '',
        providerMetadata: slot.refusal
          ? { ...meta.providerMetadata, openai: { refusal: true } }
          : meta.providerMetadata,
      },
    ];
  }

  #done(open: OpenItem, payload: RawItem): StreamEvent[] {
    const item = isRecord(payload.item) ? payload.item : {};
    if (asksForTool(item)) this.#calledTool = true;
    if (open.type === 'message') {
      const message = omit(item, 'content');
      return [...open.parts.values()].map((slot) => ({
        type: 'text-delta' as const,
        index: slot.index,
        delta: '',
        providerMetadata: withResponsesMetadata({ message }).providerMetadata,
      }));
    }
    const index = open.index ?? this.#nextIndex++;
    if (open.type === 'reasoning') {
      const part = reasoningFromItem(item);
      // Text that never streamed (a summary sent whole) arrives with the item.
      const rest = part.text.startsWith(open.reasoningText) ? part.text.slice(open.reasoningText.length) : '';
      return [{ type: 'reasoning-delta', index, delta: rest, ...withResponsesMetadata({ item }) }];
    }
    if (open.type === 'function_call') {
      return [
        {
          type: 'tool-call-end',
          index,
          toolCallId: stringOr(item.call_id, open.callId ?? ''),
          toolName: stringOr(item.name, open.name ?? ''),
          arguments: canonicalArguments(stringOr(item.arguments, open.arguments)),
          ...withResponsesMetadata({ item }),
        },
      ];
    }
    return [this.#opaque(index, { event: payload, item })];
  }

  #reasoningDelta(open: OpenItem, delta: string): StreamEvent {
    open.reasoningText += delta;
    return { type: 'reasoning-delta', index: open.index ?? 0, delta };
  }

  #opaque(index: number, entry: { event: RawItem; item?: RawItem }): StreamEvent {
    return { type: 'text-delta', index, delta: '', ...withResponsesMetadata(entry) };
  }

  #finish(response: RawItem): StreamEvent[] {
    this.#closed = true;
    const output = Array.isArray(response.output) ? response.output : [];
    const { finishReason, rawFinishReason } = finishFromResponses(
      response.status,
      response.incomplete_details,
      this.#calledTool || output.some(asksForTool),
    );
    const usage: Usage = usageFromResponses(response.usage);
    // The whole response rides along, so a Responses client gets OpenAI's own final object.
    return [{ type: 'finish', finishReason, rawFinishReason, usage, ...withResponsesMetadata({ response }) }];
  }

  #fail(error: AiMateyError): StreamEvent[] {
    this.#closed = true;
    return [{ type: 'error', error }];
  }

  #malformed(why: string): UpstreamServerError {
    return new UpstreamServerError({
      message: `Malformed stream from ${this.#context.provider}: ${why}`,
      provider: this.#context.provider,
      code: 'malformed_stream',
    });
  }
}

function numberOf(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}
