import type { AiMateyError, Citation, StreamEvent } from 'ai.matey.core';
import type { StreamEncoder } from '../codec.ts';
import { formatSse } from '../sse/format-sse.ts';
import { citationToCohere } from './cohere-citations.ts';
import { finishReasonToCohere } from './cohere-finish-reason.ts';
import { isToolPlan } from './cohere-response.ts';
import { usageToCohere } from './cohere-usage.ts';

type Slot =
  | { kind: 'content'; cohereIndex: number; item: 'text' | 'thinking' }
  | { kind: 'plan' }
  | { kind: 'tool'; cohereIndex: number; sentArguments: boolean };

/**
 * Writes spec events as Cohere v2 stream events (`data:` lines, the `type` naming the event):
 * `message-start`, `content-start`/`-delta`/`-end` per text or thinking item, `tool-plan-delta`,
 * `tool-call-start`/`-delta`/`-end`, `citation-start`/`-end`, and `message-end` with the finish
 * reason and usage. An error after the start is a `message-end` with `finish_reason: ERROR`.
 */
export class CohereStreamEncoder implements StreamEncoder {
  readonly #slots = new Map<number, Slot>();
  #open: number | undefined;
  #contentCount = 0;
  #toolCount = 0;
  #citationCount = 0;

  encode(event: StreamEvent): string {
    switch (event.type) {
      case 'start':
        return this.#send({
          id: event.id || crypto.randomUUID(),
          type: 'message-start',
          delta: {
            message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] },
          },
        });
      case 'text-delta': {
        const plan = isToolPlan(event) || this.#slots.get(event.index)?.kind === 'plan';
        let text = plan
          ? this.#planDelta(event.index, event.delta)
          : this.#contentDelta(event.index, 'text', { text: event.delta });
        for (const citation of event.citations ?? []) text += this.#citation(event.index, citation, plan);
        return text;
      }
      case 'reasoning-delta':
        return this.#contentDelta(event.index, 'thinking', { thinking: event.delta });
      case 'tool-call-start':
        return this.#startToolCall(event.index, event.toolCallId, event.toolName);
      case 'tool-call-delta': {
        const slot = this.#slots.get(event.index);
        if (slot?.kind !== 'tool' || event.argumentsDelta === '') return '';
        slot.sentArguments = true;
        return this.#toolArguments(slot.cohereIndex, event.argumentsDelta);
      }
      case 'tool-call-end': {
        let text = '';
        if (this.#slots.get(event.index)?.kind !== 'tool')
          text += this.#startToolCall(event.index, event.toolCallId, event.toolName);
        const slot = this.#slots.get(event.index) as Extract<Slot, { kind: 'tool' }>;
        if (!slot.sentArguments && event.arguments !== '')
          text += this.#toolArguments(slot.cohereIndex, event.arguments);
        return text + this.#send({ type: 'tool-call-end', index: slot.cohereIndex });
      }
      case 'usage':
        return '';
      case 'finish':
        return (
          this.#close() +
          this.#send({
            type: 'message-end',
            delta: {
              finish_reason: finishReasonToCohere(event.finishReason),
              usage: usageToCohere(event.usage, event.providerMetadata),
            },
          })
        );
      case 'error':
        return this.error(event.error);
    }
  }

  end(): string {
    return '';
  }

  error(error: AiMateyError): string {
    return (
      this.#close() +
      this.#send({ type: 'message-end', delta: { finish_reason: 'ERROR', error: error.message } })
    );
  }

  #contentDelta(index: number, item: 'text' | 'thinking', content: Record<string, string>): string {
    let text = '';
    let slot = this.#slots.get(index);
    if (!slot) {
      text += this.#close();
      slot = { kind: 'content', cohereIndex: this.#contentCount++, item };
      this.#slots.set(index, slot);
      this.#open = index;
      const empty = item === 'thinking' ? { type: 'thinking', thinking: '' } : { type: 'text', text: '' };
      text += this.#send({
        type: 'content-start',
        index: slot.cohereIndex,
        delta: { message: { content: empty } },
      });
    }
    if (slot.kind !== 'content' || Object.values(content).every((value) => value === '')) return text;
    return (
      text + this.#send({ type: 'content-delta', index: slot.cohereIndex, delta: { message: { content } } })
    );
  }

  #planDelta(index: number, delta: string): string {
    let text = '';
    if (!this.#slots.has(index)) {
      text += this.#close();
      this.#slots.set(index, { kind: 'plan' });
    }
    if (delta === '') return text;
    return text + this.#send({ type: 'tool-plan-delta', delta: { message: { tool_plan: delta } } });
  }

  #citation(index: number, citation: Citation, plan: boolean): string {
    const slot = this.#slots.get(index);
    const contentIndex = slot?.kind === 'content' ? slot.cohereIndex : 0;
    const number = this.#citationCount++;
    const citations = citationToCohere(citation, { contentIndex, plan });
    return (
      this.#send({ type: 'citation-start', index: number, delta: { message: { citations } } }) +
      this.#send({ type: 'citation-end', index: number })
    );
  }

  #startToolCall(index: number, id: string, name: string): string {
    const slot: Slot = { kind: 'tool', cohereIndex: this.#toolCount++, sentArguments: false };
    this.#slots.set(index, slot);
    const call = { id, type: 'function', function: { name, arguments: '' } };
    return (
      this.#close() +
      this.#send({
        type: 'tool-call-start',
        index: slot.cohereIndex,
        delta: { message: { tool_calls: call } },
      })
    );
  }

  #toolArguments(cohereIndex: number, argumentsDelta: string): string {
    const tool_calls = { function: { arguments: argumentsDelta } };
    return this.#send({ type: 'tool-call-delta', index: cohereIndex, delta: { message: { tool_calls } } });
  }

  /** Ends the open content item (Cohere closes each before the next starts). */
  #close(): string {
    if (this.#open === undefined) return '';
    const slot = this.#slots.get(this.#open);
    this.#open = undefined;
    return slot?.kind === 'content' ? this.#send({ type: 'content-end', index: slot.cohereIndex }) : '';
  }

  #send(payload: Record<string, unknown>): string {
    return formatSse(JSON.stringify(payload));
  }
}
