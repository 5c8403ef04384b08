import type { AiMateyError, StreamEvent, Usage } from 'ai.matey.core';
import { emptyUsage } from 'ai.matey.core';
import type { StreamEncoder, StreamEncoderOptions } from '../codec.ts';
import { encodeResponsesError } from './responses-error.ts';
import { itemId, outputItemIds } from './responses-item-id.ts';
import { isRecord, omit, type RawItem, responsesMetadata, stringOr } from './responses-metadata.ts';
import { type ResponseFields, responseObject } from './responses-response.ts';
import { statusFromFinish } from './responses-status.ts';
import { annotationEvents, closingEvents, finalOutput } from './responses-stream-close.ts';
import { functionCallOf, messageOf, newItem, type StreamedItem } from './responses-stream-state.ts';
import { ResponsesEventWriter } from './responses-stream-writer.ts';
import { usageToResponses } from './responses-usage.ts';

const ANNOTATION = 'response.output_text.annotation.added';

/**
 * Writes spec events as the Responses event stream the official clients expect: `response.created`
 * and `response.in_progress`, then per output item `output_item.added`, its parts and deltas
 * (text, refusal, reasoning summary, function-call arguments) and `output_item.done`, and last
 * `response.completed` (`incomplete` for a length or content-filter finish, `failed` for an
 * error) with the whole response, usage and the request fields it repeats (`options.echo`).
 * Every event has a `sequence_number`. Items from a
 * Responses upstream keep their ids and fields; hosted tool events are passed on as they came.
 */
export class ResponsesStreamEncoder implements StreamEncoder {
  readonly #writer = new ResponsesEventWriter();
  readonly #items: StreamedItem[] = [];
  readonly #bySpecIndex = new Map<number, StreamedItem>();
  #id = '';
  #model = '';
  #createdAt = 0;
  #started = false;
  #usage: Usage = emptyUsage();
  /** The upstream's own final response (a Responses upstream), kept as it came. */
  #upstream: RawItem | undefined;
  readonly #echo: Readonly<Record<string, unknown>> | undefined;
  #idOf = outputItemIds('');

  constructor(options: StreamEncoderOptions = {}) {
    this.#echo = options.echo;
  }

  encode(event: StreamEvent): string {
    switch (event.type) {
      case 'start':
        this.#id ||= event.id || itemId('resp_');
        this.#model ||= event.model;
        return this.#start();
      case 'text-delta':
        return this.#start() + this.#text(event);
      case 'reasoning-delta':
        return this.#start() + this.#reasoning(event);
      case 'tool-call-start':
      case 'tool-call-delta':
      case 'tool-call-end':
        return this.#start() + this.#toolCall(event);
      case 'usage':
        this.#usage = event.usage;
        return '';
      case 'finish': {
        this.#usage = event.usage;
        this.#upstream = responsesMetadata(event.providerMetadata).response;
        const { status, incomplete_details } = statusFromFinish(event.finishReason);
        const type = status === 'completed' ? 'response.completed' : `response.${status}`;
        const usage = usageToResponses(this.#usage);
        const closing = this.#start() + this.#closeAll();
        return closing + this.#lifecycle(type, { status, incomplete_details, usage });
      }
      case 'error':
        return this.error(event.error);
    }
  }

  end(): string {
    return '';
  }

  /**
   * An `error` event (the official client throws it as an `APIError`) and, in a stream that has
   * begun, `response.failed` with the error, as OpenAI ends a failed stream: clients that read
   * only lifecycle events (Codex) learn why it stopped.
   */
  error(error: AiMateyError): string {
    const body = encodeResponsesError(error).body.error as RawItem;
    const { code, message, param } = body;
    const event = this.#writer.write('error', { code, message, param, error: body });
    if (!this.#started) return event;
    const failed = { status: 'failed' as const, error: { code: code ?? 'server_error', message } };
    return event + this.#closeAll() + this.#lifecycle('response.failed', failed);
  }

  #start(): string {
    if (this.#started) return '';
    this.#started = true;
    this.#id ||= itemId('resp_');
    this.#idOf = outputItemIds(this.#id);
    this.#createdAt = Math.floor(Date.now() / 1000);
    return (
      this.#lifecycle('response.created', { status: 'in_progress' }) +
      this.#lifecycle('response.in_progress', { status: 'in_progress' })
    );
  }

  #lifecycle(type: string, fields: Partial<ResponseFields>): string {
    const output = fields.status === 'in_progress' ? [] : finalOutput(this.#items, this.#upstream);
    const response = responseObject({
      echo: this.#echo,
      upstream: this.#upstream,
      id: this.#id,
      model: this.#model,
      createdAt: this.#createdAt,
      status: 'in_progress',
      ...fields,
      output,
    });
    return this.#writer.write(type, { response });
  }

  /** A new output item; open messages and reasoning end first (they never resume). */
  #open(kind: StreamedItem['kind'], specIndex: number, id: string): { item: StreamedItem; text: string } {
    const text = this.#closeAll(true);
    const item = newItem(kind, this.#items.length, id, this.#idOf);
    this.#items.push(item);
    this.#bySpecIndex.set(specIndex, item);
    return { item, text };
  }

  #text(event: Extract<StreamEvent, { type: 'text-delta' }>): string {
    const meta = responsesMetadata(event.providerMetadata);
    const known = this.#bySpecIndex.get(event.index);
    const opaque = meta.item !== undefined || (meta.event !== undefined && meta.event.type !== ANNOTATION);
    if (known?.kind === 'opaque' || (!known && opaque))
      return this.#opaque(event.index, meta.event, meta.item);
    let out = '';
    let item = known;
    if (!item) {
      const last = this.#items.at(-1);
      const messageId = stringOr(meta.message?.id, '');
      if (last?.kind === 'message' && last.open && (messageId === '' || messageId === last.id)) item = last;
      else {
        const opened = this.#open('message', event.index, messageId);
        out += opened.text;
        item = opened.item;
        item.base = meta.message;
        out += this.#writer.write('response.output_item.added', {
          output_index: item.outputIndex,
          item: messageOf(item),
        });
      }
      this.#bySpecIndex.set(event.index, item);
    }
    if (meta.message) item.base = { ...item.base, ...meta.message };
    let text = item.texts.get(event.index);
    const ids = { item_id: item.id, output_index: item.outputIndex };
    if (!text) {
      const refusal = event.providerMetadata?.openai?.refusal === true;
      text = { contentIndex: item.texts.size, text: '', refusal, meta: undefined, annotationsSent: 0 };
      item.texts.set(event.index, text);
      const part = refusal
        ? { type: 'refusal', refusal: '' }
        : { type: 'output_text', annotations: [], logprobs: [], text: '' };
      out += this.#writer.write('response.content_part.added', {
        ...ids,
        content_index: text.contentIndex,
        part,
      });
    }
    if (meta.part) {
      out += annotationEvents(this.#writer, ids, text, meta.part);
      text.meta = meta.part;
    }
    if (event.delta === '') return out;
    text.text += event.delta;
    const type = text.refusal ? 'response.refusal.delta' : 'response.output_text.delta';
    return (
      out +
      this.#writer.write(type, {
        ...ids,
        content_index: text.contentIndex,
        delta: event.delta,
        ...(text.refusal ? {} : { logprobs: [] }),
      })
    );
  }

  #opaque(specIndex: number, event: RawItem | undefined, item: RawItem | undefined): string {
    let out = '';
    let streamed = this.#bySpecIndex.get(specIndex);
    const whole = item ?? (isRecord(event?.item) ? event.item : undefined);
    if (!streamed) {
      const opened = this.#open('opaque', specIndex, stringOr(whole?.id, ''));
      streamed = opened.item;
      out += opened.text;
      streamed.base = whole;
      if (event?.type !== 'response.output_item.added')
        out += this.#writer.write('response.output_item.added', {
          output_index: streamed.outputIndex,
          item: whole ?? {},
        });
    }
    const index = { output_index: streamed.outputIndex };
    if (event) out += this.#writer.write(stringOr(event.type, 'keepalive'), { ...event, ...index });
    if (event?.type === 'response.output_item.done' || (event === undefined && whole)) {
      if (event === undefined)
        out += this.#writer.write('response.output_item.done', { ...index, item: whole });
      streamed.final = whole;
      streamed.open = false;
    }
    return out;
  }

  #reasoning(event: Extract<StreamEvent, { type: 'reasoning-delta' }>): string {
    const meta = responsesMetadata(event.providerMetadata);
    let out = '';
    let item = this.#bySpecIndex.get(event.index);
    if (!item) {
      const opened = this.#open('reasoning', event.index, stringOr(meta.item?.id, ''));
      item = opened.item;
      out += opened.text;
      // As it starts: the upstream's item (its id, its encrypted content) with nothing in it yet.
      const added = {
        ...(meta.item ? omit(meta.item, 'content') : { id: item.id, type: 'reasoning' }),
        summary: [],
      };
      out += this.#writer.write('response.output_item.added', {
        output_index: item.outputIndex,
        item: added,
      });
    }
    if (meta.item) item.base = meta.item;
    item.signature += event.signature ?? '';
    item.redactedData += event.redactedData ?? '';
    if (event.providerMetadata && !meta.item) item.providerMetadata = event.providerMetadata;
    if (event.delta === '') return out;
    const ids = { item_id: item.id, output_index: item.outputIndex, summary_index: 0 };
    if (!item.summaryOpen) {
      item.summaryOpen = true;
      out += this.#writer.write('response.reasoning_summary_part.added', {
        ...ids,
        part: { type: 'summary_text', text: '' },
      });
    }
    item.text += event.delta;
    return out + this.#writer.write('response.reasoning_summary_text.delta', { ...ids, delta: event.delta });
  }

  #toolCall(
    event: Extract<StreamEvent, { type: 'tool-call-start' | 'tool-call-delta' | 'tool-call-end' }>,
  ): string {
    let out = '';
    let item = this.#bySpecIndex.get(event.index);
    if (!item) {
      const meta = responsesMetadata(event.type === 'tool-call-delta' ? undefined : event.providerMetadata);
      const opened = this.#open('function_call', event.index, stringOr(meta.item?.id, ''));
      item = opened.item;
      out += opened.text;
      item.base = meta.item;
      item.callId = event.toolCallId;
      item.name = event.type === 'tool-call-delta' ? '' : event.toolName;
      out += this.#writer.write('response.output_item.added', {
        output_index: item.outputIndex,
        item: functionCallOf(item),
      });
    }
    const ids = { item_id: item.id, output_index: item.outputIndex };
    if (event.type === 'tool-call-delta') {
      if (event.argumentsDelta === '') return out;
      item.arguments += event.argumentsDelta;
      return (
        out +
        this.#writer.write('response.function_call_arguments.delta', { ...ids, delta: event.argumentsDelta })
      );
    }
    if (event.type === 'tool-call-start' || !item.open) return out;
    item.name = event.toolName;
    if (item.arguments === '' && event.arguments !== '')
      out += this.#writer.write('response.function_call_arguments.delta', { ...ids, delta: event.arguments });
    item.arguments = event.arguments;
    item.open = false;
    out += this.#writer.write('response.function_call_arguments.done', { ...ids, arguments: item.arguments });
    return (
      out +
      this.#writer.write('response.output_item.done', {
        output_index: item.outputIndex,
        item: functionCallOf(item),
      })
    );
  }

  /** Ends open items: messages and reasoning only (`idleOnly`), or every one (the stream's end). */
  #closeAll(idleOnly = false): string {
    let out = '';
    for (const item of this.#items) {
      if (!item.open || (idleOnly && item.kind !== 'message' && item.kind !== 'reasoning')) continue;
      out += closingEvents(this.#writer, item);
    }
    return out;
  }
}
