import {
  type AiMateyError,
  emptyUsage,
  NetworkError,
  type ProviderMetadata,
  type StreamEvent,
  UpstreamServerError,
} from 'ai.matey.core';
import type { DecodeContext, StreamDecoder } from '../codec.ts';
import { mintId } from '../shared/ids.ts';
import { canonicalArguments } from '../shared/tool-arguments.ts';
import type { SseEvent } from '../sse/sse-parser.ts';
import { type CohereCitation, citationFromCohere } from './cohere-citations.ts';
import { decodeCohereError } from './cohere-error.ts';
import { finishReasonFromCohere } from './cohere-finish-reason.ts';
import { toolPlanMetadata } from './cohere-response.ts';
import { cohereUsageMetadata, usageFromCohere } from './cohere-usage.ts';

interface OpenToolCall {
  index: number;
  id: string;
  name: string;
  arguments: string;
  ended: boolean;
}

/**
 * Turns Cohere v2 stream events (`data:` lines whose `type` names the event) into spec events.
 * Content items (`thinking`, `text`), the tool plan and each tool call get their index in the
 * final response in order of first appearance; a `citation-start` adds its citation to the text
 * it spans (an empty text delta); `message-end` carries the finish reason and usage.
 */
export class CohereStreamDecoder implements StreamDecoder {
  readonly #context: DecodeContext;
  #started = false;
  #closed = false;
  #nextIndex = 0;
  readonly #contentSlots = new Map<number, { index: number; kind: 'text' | 'thinking' }>();
  #planIndex: number | undefined;
  readonly #toolCalls = new Map<number, OpenToolCall>();

  constructor(context: DecodeContext) {
    this.#context = context;
  }

  push(event: SseEvent): StreamEvent[] {
    if (this.#closed) return [];
    const data = event.data.trim();
    if (data === '' || data === '[DONE]') return [];
    let chunk: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(data);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      chunk = parsed as Record<string, unknown>;
    } catch {
      return this.#fail(this.#malformed(`a data line is not a JSON object: ${data.slice(0, 80)}`));
    }
    const type = typeof chunk.type === 'string' ? chunk.type : event.event;
    // Cohere's `debug` events carry nothing for the caller, before the start or after.
    if (type === 'debug') return [];
    const events: StreamEvent[] = [];
    if (type === 'message-start' && this.#started)
      return this.#fail(this.#malformed('a second message-start inside one reply'));
    if (!this.#started) {
      if (type !== 'message-start')
        return this.#fail(this.#malformed(`'${String(type)}' before message-start`));
      this.#started = true;
      events.push({
        type: 'start',
        id: typeof chunk.id === 'string' ? chunk.id : '',
        model: this.#context.request?.model ?? '',
        provider: this.#context.provider,
      });
      return events;
    }
    const index = typeof chunk.index === 'number' ? chunk.index : 0;
    const message = ((chunk.delta as { message?: unknown } | undefined)?.message ?? {}) as Record<
      string,
      unknown
    >;
    switch (type) {
      case 'content-start':
      case 'content-delta':
        return this.#content(
          index,
          (message.content ?? {}) as { type?: unknown; text?: unknown; thinking?: unknown },
        );
      case 'tool-plan-delta': {
        const delta = typeof message.tool_plan === 'string' ? message.tool_plan : '';
        if (this.#planIndex === undefined) {
          this.#planIndex = this.#nextIndex++;
          return [
            { type: 'text-delta', index: this.#planIndex, delta, providerMetadata: toolPlanMetadata() },
          ];
        }
        return delta === '' ? [] : [{ type: 'text-delta', index: this.#planIndex, delta }];
      }
      case 'tool-call-start':
      case 'tool-call-delta':
        return this.#toolCall(index, (message.tool_calls ?? {}) as Record<string, unknown>);
      case 'tool-call-end':
        return this.#endToolCall(index);
      case 'citation-start':
        return this.#citation(message.citations as CohereCitation | undefined);
      case 'message-end':
        return this.#finish((chunk.delta ?? {}) as Record<string, unknown>);
      case 'error':
        return this.#fail(decodeCohereError(0, chunk, undefined, this.#context));
      default:
        return [];
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

  #content(
    contentIndex: number,
    item: { type?: unknown; text?: unknown; thinking?: unknown },
  ): StreamEvent[] {
    let slot = this.#contentSlots.get(contentIndex);
    if (!slot) {
      const kind = item.type === 'thinking' || typeof item.thinking === 'string' ? 'thinking' : 'text';
      slot = { index: this.#nextIndex++, kind };
      this.#contentSlots.set(contentIndex, slot);
    }
    const delta = slot.kind === 'thinking' ? item.thinking : item.text;
    if (typeof delta !== 'string' || delta === '') return [];
    return [{ type: slot.kind === 'thinking' ? 'reasoning-delta' : 'text-delta', index: slot.index, delta }];
  }

  #toolCall(cohereIndex: number, fragment: Record<string, unknown>): StreamEvent[] {
    const fn = (fragment.function ?? {}) as { name?: unknown; arguments?: unknown };
    const events: StreamEvent[] = [];
    let call = this.#toolCalls.get(cohereIndex);
    if (!call) {
      call = {
        index: this.#nextIndex++,
        id: typeof fragment.id === 'string' && fragment.id !== '' ? fragment.id : mintId('call_'),
        name: typeof fn.name === 'string' ? fn.name : '',
        arguments: '',
        ended: false,
      };
      this.#toolCalls.set(cohereIndex, call);
      events.push({ type: 'tool-call-start', index: call.index, toolCallId: call.id, toolName: call.name });
    }
    if (typeof fn.arguments === 'string' && fn.arguments !== '') {
      call.arguments += fn.arguments;
      events.push({
        type: 'tool-call-delta',
        index: call.index,
        toolCallId: call.id,
        argumentsDelta: fn.arguments,
      });
    }
    return events;
  }

  #endToolCall(cohereIndex: number): StreamEvent[] {
    const call = this.#toolCalls.get(cohereIndex);
    if (!call || call.ended) return [];
    call.ended = true;
    return [
      {
        type: 'tool-call-end',
        index: call.index,
        toolCallId: call.id,
        toolName: call.name,
        arguments: canonicalArguments(call.arguments),
      },
    ];
  }

  #citation(raw: CohereCitation | undefined): StreamEvent[] {
    if (!raw) return [];
    let index = this.#planIndex;
    if (raw.type !== 'PLAN') {
      const texts = [...this.#contentSlots.entries()].filter(([, slot]) => slot.kind === 'text');
      const cited = texts.find(([contentIndex]) => contentIndex === raw.content_index) ?? texts[0];
      index = cited?.[1].index;
    }
    if (index === undefined) return [];
    return [{ type: 'text-delta', index, delta: '', citations: [citationFromCohere(raw)] }];
  }

  #finish(delta: Record<string, unknown>): StreamEvent[] {
    if (typeof delta.error === 'string' && delta.error !== '')
      return this.#fail(decodeCohereError(0, { message: delta.error }, undefined, this.#context));
    const events: StreamEvent[] = [];
    for (const key of [...this.#toolCalls.keys()]) events.push(...this.#endToolCall(key));
    this.#closed = true;
    const raw = typeof delta.finish_reason === 'string' ? delta.finish_reason : undefined;
    const usage = delta.usage === undefined ? emptyUsage() : usageFromCohere(delta.usage);
    const metadata: ProviderMetadata | undefined = cohereUsageMetadata(delta.usage);
    events.push({ type: 'usage', usage });
    events.push({
      type: 'finish',
      finishReason: finishReasonFromCohere(raw),
      ...(raw !== undefined ? { rawFinishReason: raw } : {}),
      usage,
      ...(metadata ? { providerMetadata: metadata } : {}),
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
