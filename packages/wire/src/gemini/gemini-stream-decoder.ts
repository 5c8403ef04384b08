import {
  type AiMateyError,
  emptyUsage,
  NetworkError,
  type ProviderMetadata,
  type StreamEvent,
  UpstreamServerError,
  type Usage,
} from 'ai.matey.core';
import type { DecodeContext, StreamDecoder } from '../codec.ts';
import { mintId } from '../shared/ids.ts';
import type { SseEvent } from '../sse/sse-parser.ts';
import { decodeGeminiError } from './gemini-error.ts';
import { PartialArgsBuilder } from './gemini-partial-args.ts';
import { signatureMetadata } from './gemini-parts.ts';
import { firstCandidate, geminiResponseMetadata } from './gemini-response.ts';
import { GEMINI_METADATA_KEY, type GeminiPart, type GeminiResponseBody } from './gemini-types.ts';
import { finishReasonFromGemini, hasTokenCounts, usageFromGemini } from './gemini-usage.ts';

interface OpenPart {
  kind: 'text' | 'reasoning';
  index: number;
}

interface PendingCall {
  index: number;
  id: string;
  name: string;
  builder: PartialArgsBuilder;
  signature: string | undefined;
}

/**
 * Turns Gemini's `alt=sse` stream (each event a partial `GenerateContentResponse`) into spec
 * events. Consecutive text pieces make one text part and thought pieces one reasoning part, until
 * a thought signature closes the part it arrived on (Gemini sends it last, often on an empty
 * text piece). A whole `functionCall` becomes start, one delta and end at once; Vertex's streamed
 * `partialArgs` calls are assembled and ended when Gemini stops saying `willContinue`. Gemini has
 * no end marker, so the finish is emitted by `end()`, and a stream that closes before any
 * finish reason ends with a `NetworkError`.
 */
export class GeminiStreamDecoder implements StreamDecoder {
  readonly #context: DecodeContext;
  #started = false;
  #responseId = '';
  #failed = false;
  #nextIndex = 0;
  #open: OpenPart | undefined;
  #pending: PendingCall | undefined;
  #madeToolCalls = false;
  #rawFinishReason: string | undefined;
  #blocked = false;
  #usage: Usage | undefined;
  #usageKey = '';
  #metadata: Record<string, unknown> = {};

  constructor(context: DecodeContext) {
    this.#context = context;
  }

  push(event: SseEvent): StreamEvent[] {
    const data = event.data.trim();
    if (this.#failed || data === '' || data === '[DONE]') return [];
    let chunk: GeminiResponseBody & { error?: { code?: unknown } };
    try {
      chunk = JSON.parse(data);
    } catch (cause) {
      return this.#fail(
        new UpstreamServerError({
          message: 'Gemini sent a stream chunk that is not JSON',
          provider: this.#context.provider,
          cause,
        }),
      );
    }
    if (typeof chunk !== 'object' || chunk === null) return [];
    if (chunk.error !== undefined) {
      const status = typeof chunk.error.code === 'number' ? chunk.error.code : 500;
      return this.#fail(decodeGeminiError(status, chunk, undefined, this.#context));
    }

    // Every chunk of one reply carries its responseId: another id means a second reply spliced in.
    if (typeof chunk.responseId === 'string' && chunk.responseId !== '') {
      if (this.#responseId !== '' && chunk.responseId !== this.#responseId) {
        return this.#fail(
          new UpstreamServerError({
            message: `Malformed stream from ${this.#context.provider}: a chunk of another reply (${this.#responseId} then ${chunk.responseId})`,
            provider: this.#context.provider,
            code: 'malformed_stream',
          }),
        );
      }
      this.#responseId = chunk.responseId;
    }
    const events: StreamEvent[] = [];
    if (!this.#started) {
      this.#started = true;
      events.push({
        type: 'start',
        id: chunk.responseId || mintId('resp_'),
        model: chunk.modelVersion ?? this.#context.request?.model ?? '',
        provider: this.#context.provider,
      });
    }
    const candidate = firstCandidate(chunk);
    for (const part of candidate?.content?.parts ?? []) this.#part(part, events);
    if (candidate?.finishReason) this.#rawFinishReason = candidate.finishReason;
    if (!candidate && chunk.promptFeedback?.blockReason) {
      this.#rawFinishReason = chunk.promptFeedback.blockReason;
      this.#blocked = true;
    }
    const metadata = geminiResponseMetadata(candidate, chunk.promptFeedback)?.[GEMINI_METADATA_KEY];
    if (metadata) Object.assign(this.#metadata, metadata);
    if (hasTokenCounts(chunk.usageMetadata)) {
      const usage = usageFromGemini(chunk.usageMetadata);
      const key = JSON.stringify(usage);
      if (key !== this.#usageKey) {
        this.#usage = usage;
        this.#usageKey = key;
        events.push({ type: 'usage', usage });
      }
    }
    return events;
  }

  end(): StreamEvent[] {
    if (this.#failed) return [];
    const events: StreamEvent[] = [];
    this.#finishCall(events);
    if (!this.#started || this.#rawFinishReason === undefined) {
      events.push(
        ...this.#fail(
          new NetworkError({ message: 'stream ended before it completed', provider: this.#context.provider }),
        ),
      );
      return events;
    }
    this.#failed = true; // nothing may follow the finish
    const providerMetadata: ProviderMetadata | undefined =
      Object.keys(this.#metadata).length > 0 ? { [GEMINI_METADATA_KEY]: this.#metadata } : undefined;
    events.push({
      type: 'finish',
      finishReason: this.#blocked
        ? 'content-filter'
        : finishReasonFromGemini(this.#rawFinishReason, this.#madeToolCalls),
      rawFinishReason: this.#rawFinishReason,
      usage: this.#usage ?? emptyUsage(),
      ...(providerMetadata ? { providerMetadata } : {}),
    });
    return events;
  }

  #part(part: GeminiPart, events: StreamEvent[]): void {
    const signature = part.thoughtSignature || undefined;
    const call = part.functionCall;
    if (call) {
      const streamed =
        call.partialArgs !== undefined || call.willContinue === true || (this.#pending && !call.name);
      if (!streamed) {
        this.#finishCall(events);
        this.#open = undefined;
        const index = this.#nextIndex++;
        const toolCallId = call.id || mintId('call_');
        const toolName = call.name ?? '';
        const args = JSON.stringify(call.args ?? {});
        this.#madeToolCalls = true;
        events.push(
          { type: 'tool-call-start', index, toolCallId, toolName },
          { type: 'tool-call-delta', index, toolCallId, argumentsDelta: args },
          {
            type: 'tool-call-end',
            index,
            toolCallId,
            toolName,
            arguments: args,
            ...signatureMetadata(signature),
          },
        );
        return;
      }
      if (call.name || !this.#pending) {
        this.#finishCall(events);
        this.#open = undefined;
        const pending: PendingCall = {
          index: this.#nextIndex++,
          id: call.id || mintId('call_'),
          name: call.name ?? '',
          builder: new PartialArgsBuilder(),
          signature: undefined,
        };
        this.#pending = pending;
        events.push({
          type: 'tool-call-start',
          index: pending.index,
          toolCallId: pending.id,
          toolName: pending.name,
        });
      }
      const pending = this.#pending;
      if (!pending) return;
      if (signature) pending.signature = signature;
      if (call.partialArgs) pending.builder.apply(call.partialArgs);
      if (call.willContinue !== true) this.#finishCall(events);
      return;
    }
    if (typeof part.text !== 'string') return; // media and code parts have no place in a streamed reply
    if (part.text === '' && signature === undefined) return;
    this.#finishCall(events);
    const kind = part.thought === true ? 'reasoning' : 'text';
    // A signature on an empty piece belongs to the part it ends, whatever its kind.
    if (!(part.text === '' && this.#open) && this.#open?.kind !== kind)
      this.#open = { kind, index: this.#nextIndex++ };
    const open = this.#open;
    if (!open) return;
    if (open.kind === 'text')
      events.push({
        type: 'text-delta',
        index: open.index,
        delta: part.text,
        ...signatureMetadata(signature),
      });
    else
      events.push({
        type: 'reasoning-delta',
        index: open.index,
        delta: part.text,
        ...(signature === undefined ? {} : { signature }),
        ...signatureMetadata(signature),
      });
    if (signature !== undefined) this.#open = undefined;
  }

  #finishCall(events: StreamEvent[]): void {
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = undefined;
    this.#madeToolCalls = true;
    const args = JSON.stringify(pending.builder.args);
    events.push(
      { type: 'tool-call-delta', index: pending.index, toolCallId: pending.id, argumentsDelta: args },
      {
        type: 'tool-call-end',
        index: pending.index,
        toolCallId: pending.id,
        toolName: pending.name,
        arguments: args,
        ...signatureMetadata(pending.signature),
      },
    );
  }

  #fail(error: AiMateyError): StreamEvent[] {
    this.#failed = true;
    return [{ type: 'error', error }];
  }
}
