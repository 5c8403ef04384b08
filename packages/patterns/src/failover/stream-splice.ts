import {
  type AiMateyError,
  type ChatRequest,
  emptyUsage,
  type StreamEvent,
  UnsupportedFeatureError,
  type Usage,
} from 'ai.matey.core';

/**
 * What the caller has received so far on a stream, enough to continue it elsewhere: the text,
 * which part indices are taken, and whether anything but text and reasoning was sent (a half
 * tool call cannot be continued by another model).
 */
export class EmittedStream {
  text = '';
  maxIndex = -1;
  lastType: StreamEvent['type'] | undefined;
  lastIndex = -1;
  hasToolCall = false;

  push(event: StreamEvent): void {
    if (!('index' in event)) return;
    this.maxIndex = Math.max(this.maxIndex, event.index);
    this.lastType = event.type;
    this.lastIndex = event.index;
    if (event.type === 'text-delta') this.text += event.delta;
    if (event.type.startsWith('tool-call')) this.hasToolCall = true;
  }

  get continuable(): boolean {
    return !this.hasToolCall;
  }
}

/**
 * The request that asks another provider to carry on: the original conversation plus the
 * partial answer as an assistant turn (a prefill). Trailing whitespace is cut, as Anthropic
 * rejects a prefill that ends in whitespace.
 */
export function continuationRequest(
  request: ChatRequest,
  provider: string,
  partial: string,
  from: string,
): ChatRequest {
  const prefill = partial.trimEnd();
  return {
    ...request,
    messages: prefill
      ? [...request.messages, { role: 'assistant', content: prefill }]
      : [...request.messages],
    metadata: {
      ...request.metadata,
      provider,
      continuationOf: { provider: from, chars: partial.length },
    },
  };
}

/**
 * Maps a continuation stream's events into the stream the caller is already reading: its start
 * is dropped, its first text part joins the text part being written, its other parts take fresh
 * indices, leading whitespace is dropped when the text so far ends in a space, and usage adds
 * what the earlier providers reported.
 */
export class SpliceMapper {
  readonly #emitted: EmittedStream;
  readonly #indices = new Map<number, number>();
  readonly #baseUsage: Usage;
  #joinedText = false;
  #trimLeading: boolean;

  constructor(emitted: EmittedStream, baseUsage: Usage) {
    this.#emitted = emitted;
    this.#baseUsage = baseUsage;
    this.#trimLeading = /\s$/.test(emitted.text);
  }

  map(event: StreamEvent): StreamEvent | undefined {
    if (event.type === 'start') return undefined;
    if (event.type === 'usage') return { ...event, usage: addUsage(this.#baseUsage, event.usage) };
    if (event.type === 'finish') return { ...event, usage: addUsage(this.#baseUsage, event.usage) };
    if (event.type === 'error') return event;
    if (event.type === 'text-delta' && this.#trimLeading) {
      const delta = event.delta.trimStart();
      if (!delta) return undefined;
      this.#trimLeading = false;
      return { ...event, index: this.#indexFor(event), delta };
    }
    return { ...event, index: this.#indexFor(event) };
  }

  #indexFor(event: StreamEvent & { index: number }): number {
    const known = this.#indices.get(event.index);
    if (known !== undefined) return known;
    let index: number;
    if (event.type === 'text-delta' && !this.#joinedText && this.#emitted.lastType === 'text-delta') {
      index = this.#emitted.lastIndex;
      this.#joinedText = true;
    } else {
      index = ++this.#emitted.maxIndex;
    }
    this.#indices.set(event.index, index);
    return index;
  }
}

export function addUsage(a: Usage, b: Usage): Usage {
  const sum = emptyUsage();
  sum.inputTokens = a.inputTokens + b.inputTokens;
  sum.outputTokens = a.outputTokens + b.outputTokens;
  sum.totalTokens = a.totalTokens + b.totalTokens;
  return sum;
}

/** The refusal for a provider that cannot continue a partial answer. */
export function cannotContinue(provider: string): AiMateyError {
  return new UnsupportedFeatureError({ message: `'${provider}' cannot continue a partial answer` });
}
