import {
  type AiMateyError,
  emptyUsage,
  NetworkError,
  type StreamEvent,
  UpstreamServerError,
  type Usage,
} from 'ai.matey.core';
import type { DecodeContext, StreamDecoder } from '../codec.ts';
import { mintId } from '../shared/ids.ts';
import { asRecord } from '../shared/malformed-reply.ts';
import { canonicalArguments } from '../shared/tool-arguments.ts';
import type { SseEvent } from '../sse/sse-parser.ts';
import { citationsFromOpenAI } from './openai-chat-citations.ts';
import { type ContentPiece, readContentPieces } from './openai-chat-content.ts';
import { decodeOpenAIError } from './openai-chat-error.ts';
import { finishReasonFromOpenAI } from './openai-chat-finish-reason.ts';
import { refusalMetadata } from './openai-chat-response.ts';
import type { OpenAIToolCallDelta } from './openai-chat-types.ts';
import { findUsage, usageFromOpenAI } from './openai-chat-usage.ts';

interface OpenToolCall {
  index: number;
  id: string;
  name: string;
  arguments: string;
}

/**
 * Turns `chat.completion.chunk` events into spec events. Each content part gets its index in
 * the final response in order of first appearance (one reasoning, one text and one refusal
 * part, then tool calls by OpenAI's tool-call `index`), so a collected stream equals the
 * non-streamed reply. The finish reason is held back until `[DONE]` (or the socket closing after
 * one), because usage arrives later in a `choices: []` chunk; then the open tool calls end and
 * one `finish` carries the final usage.
 */
export class OpenAIChatStreamDecoder implements StreamDecoder {
  readonly #context: DecodeContext;
  #started = false;
  #id = '';
  #closed = false;
  #rawFinishReason: string | undefined;
  #refused = false;
  /** The answer text so far: `url_citation` offsets point into it. */
  #text = '';
  #usage: Usage | undefined;
  #nextIndex = 0;
  readonly #slots = new Map<ContentPiece['kind'], number>();
  readonly #toolCalls = new Map<string, OpenToolCall>();
  #lastToolKey: string | undefined;

  constructor(context: DecodeContext) {
    this.#context = context;
  }

  push(event: SseEvent): StreamEvent[] {
    if (this.#closed) return [];
    const data = event.data.trim();
    if (data === '[DONE]') return this.#finish();
    if (data === '') return [];
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return this.#fail(this.#malformed(`a data line is not JSON: ${data.slice(0, 80)}`));
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
      return this.#fail(this.#malformed('a data line is not a JSON object'));
    const chunk = payload as Record<string, unknown>;
    if (event.event === 'error' || (typeof chunk.error === 'object' && chunk.error !== null))
      return this.#fail(decodeOpenAIError(undefined, chunk, undefined, this.#context));

    // Every chunk of one completion carries its id: another id means a second reply spliced in.
    if (typeof chunk.id === 'string' && chunk.id !== '') {
      if (this.#id !== '' && chunk.id !== this.#id)
        return this.#fail(this.#malformed(`a chunk of another completion (${this.#id} then ${chunk.id})`));
      this.#id = chunk.id;
    }
    const events: StreamEvent[] = [];
    if (!this.#started) {
      this.#started = true;
      events.push({
        type: 'start',
        id: typeof chunk.id === 'string' ? chunk.id : '',
        model: typeof chunk.model === 'string' ? chunk.model : (this.#context.request?.model ?? ''),
        provider: this.#context.provider,
      });
    }
    const usage = findUsage(chunk);
    if (usage) this.#usage = usageFromOpenAI(usage);
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    const choice = choices.find(
      (candidate) => asRecord(candidate).index === 0 || asRecord(candidate).index === undefined,
    );
    if (choice === undefined) return events;
    const record = asRecord(choice);
    const delta = asRecord(record.delta);
    for (const piece of readContentPieces(delta).pieces) events.push(this.#contentDelta(piece));
    const citations = citationsFromOpenAI(delta, this.#text);
    if (citations.length > 0)
      events.push({ type: 'text-delta', index: this.#slot('text'), delta: '', citations });
    if (Array.isArray(delta.tool_calls)) {
      for (const fragment of delta.tool_calls) events.push(...this.#toolCallDelta(asRecord(fragment)));
    }
    if (typeof record.finish_reason === 'string') this.#rawFinishReason = record.finish_reason;
    return events;
  }

  end(): StreamEvent[] {
    if (this.#closed) return [];
    if (this.#rawFinishReason !== undefined) return this.#finish();
    return this.#fail(
      new NetworkError({
        message: 'The stream ended before it completed',
        provider: this.#context.provider,
        code: 'stream_incomplete',
      }),
    );
  }

  /** The part index of a kind of content, handed out as each first appears. */
  #slot(kind: ContentPiece['kind']): number {
    let index = this.#slots.get(kind);
    if (index === undefined) {
      index = this.#nextIndex++;
      this.#slots.set(kind, index);
    }
    return index;
  }

  #contentDelta(piece: ContentPiece): StreamEvent {
    const index = this.#slot(piece.kind);
    if (piece.kind === 'text') this.#text += piece.text;
    if (piece.kind === 'reasoning') return { type: 'reasoning-delta', index, delta: piece.text };
    if (piece.kind === 'refusal') {
      this.#refused = true;
      return { type: 'text-delta', index, delta: piece.text, providerMetadata: refusalMetadata() };
    }
    return { type: 'text-delta', index, delta: piece.text };
  }

  #toolCallDelta(fragment: OpenAIToolCallDelta): StreamEvent[] {
    const key = this.#toolKey(fragment);
    this.#lastToolKey = key;
    const events: StreamEvent[] = [];
    let call = this.#toolCalls.get(key);
    if (!call) {
      call = {
        index: this.#nextIndex++,
        id: fragment.id || mintId('call_'),
        name: fragment.function?.name ?? '',
        arguments: '',
      };
      this.#toolCalls.set(key, call);
      events.push({ type: 'tool-call-start', index: call.index, toolCallId: call.id, toolName: call.name });
    } else if (call.name === '' && fragment.function?.name) {
      call.name = fragment.function.name;
    }
    const argumentsDelta = fragment.function?.arguments;
    if (typeof argumentsDelta === 'string' && argumentsDelta !== '') {
      call.arguments += argumentsDelta;
      events.push({ type: 'tool-call-delta', index: call.index, toolCallId: call.id, argumentsDelta });
    }
    return events;
  }

  /** OpenAI keys fragments by `index`; Mistral sends whole calls with an id and no index. */
  #toolKey(fragment: OpenAIToolCallDelta): string {
    if (typeof fragment.index === 'number') return `index:${fragment.index}`;
    if (fragment.id) {
      for (const [key, call] of this.#toolCalls) if (call.id === fragment.id) return key;
      return `id:${fragment.id}`;
    }
    return this.#lastToolKey ?? 'index:0';
  }

  #finish(): StreamEvent[] {
    this.#closed = true;
    const events: StreamEvent[] = [];
    const calls = [...this.#toolCalls.values()].sort((a, b) => a.index - b.index);
    for (const call of calls) {
      events.push({
        type: 'tool-call-end',
        index: call.index,
        toolCallId: call.id,
        toolName: call.name,
        arguments: canonicalArguments(call.arguments),
      });
    }
    const raw = this.#rawFinishReason;
    events.push({
      type: 'finish',
      finishReason: this.#refused ? 'content-filter' : finishReasonFromOpenAI(raw),
      ...(raw !== undefined ? { rawFinishReason: raw } : {}),
      usage: this.#usage ?? emptyUsage(),
    });
    return events;
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
