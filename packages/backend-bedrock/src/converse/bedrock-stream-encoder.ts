import type { AiMateyError, StreamEvent, Usage } from 'ai.matey.core';
import { formatSse, type StreamEncoder } from 'ai.matey.wire';
import { bedrockException } from './bedrock-error.ts';
import { BEDROCK_METADATA_KEY } from './bedrock-types.ts';
import { finishReasonToBedrock, usageToBedrock } from './bedrock-usage.ts';

/** One ConverseStream event as the SSE text the event-stream framing turns into a binary frame. */
export function bedrockEvent(type: string, payload: unknown): string {
  return formatSse(JSON.stringify({ [type]: payload }));
}

/**
 * Spec stream events as ConverseStream events (`messageStart`, `contentBlockStart` for tool
 * calls, `contentBlockDelta`, `contentBlockStop`, `messageStop`, then `metadata` with usage),
 * each written as `data: {"<eventType>": payload}`; the codec's event-stream framing sends each
 * as one binary frame. A block's `contentBlockIndex` is the spec part's index.
 */
export class BedrockStreamEncoder implements StreamEncoder {
  readonly #open = new Set<number>();
  /** Tool calls whose arguments went out as deltas. */
  readonly #sentArguments = new Set<number>();
  #started = false;
  #finished = false;
  #usage: Usage | undefined;

  encode(event: StreamEvent): string {
    if (this.#finished) return '';
    switch (event.type) {
      case 'start':
        return this.#start();
      case 'text-delta':
        if (event.delta === '') return this.#start() + this.#touch(event.index);
        return this.#start() + this.#touch(event.index) + this.#delta(event.index, { text: event.delta });
      case 'reasoning-delta': {
        let out = this.#start() + this.#touch(event.index);
        if (event.delta !== '') out += this.#delta(event.index, { reasoningContent: { text: event.delta } });
        if (event.signature)
          out += this.#delta(event.index, { reasoningContent: { signature: event.signature } });
        if (event.redactedData)
          out += this.#delta(event.index, { reasoningContent: { redactedContent: event.redactedData } });
        return out;
      }
      case 'tool-call-start':
        this.#open.add(event.index);
        return (
          this.#start() +
          bedrockEvent('contentBlockStart', {
            contentBlockIndex: event.index,
            start: { toolUse: { toolUseId: event.toolCallId, name: event.toolName } },
          })
        );
      case 'tool-call-delta':
        if (event.argumentsDelta === '') return '';
        this.#sentArguments.add(event.index);
        return this.#delta(event.index, { toolUse: { input: event.argumentsDelta } });
      case 'tool-call-end': {
        let out = this.#start();
        if (!this.#open.has(event.index)) {
          this.#open.add(event.index);
          out += bedrockEvent('contentBlockStart', {
            contentBlockIndex: event.index,
            start: { toolUse: { toolUseId: event.toolCallId, name: event.toolName } },
          });
        }
        if (!this.#sentArguments.has(event.index))
          out += this.#delta(event.index, { toolUse: { input: event.arguments } });
        return out + this.#stop(event.index);
      }
      case 'usage':
        this.#usage = event.usage;
        return '';
      case 'finish': {
        let out = this.#start();
        for (const index of [...this.#open]) out += this.#stop(index);
        this.#finished = true;
        const metadata = event.providerMetadata?.[BEDROCK_METADATA_KEY] ?? {};
        const fields = metadata.additionalModelResponseFields;
        out += bedrockEvent('messageStop', {
          stopReason: finishReasonToBedrock(event.finishReason, event.rawFinishReason),
          ...(fields !== undefined ? { additionalModelResponseFields: fields } : {}),
        });
        out += bedrockEvent('metadata', {
          usage: usageToBedrock(event.usage ?? this.#usage),
          metrics: metadata.metrics ?? { latencyMs: 0 },
        });
        return out;
      }
      case 'error':
        return this.error(event.error);
    }
  }

  end(): string {
    return '';
  }

  /** An exception event (`throttlingException`, …): the framing sends it as an exception frame. */
  error(error: AiMateyError): string {
    this.#finished = true;
    const { name } = bedrockException(error);
    return bedrockEvent(name.charAt(0).toLowerCase() + name.slice(1), { message: error.message });
  }

  #start(): string {
    if (this.#started) return '';
    this.#started = true;
    return bedrockEvent('messageStart', { role: 'assistant' });
  }

  /** Opens a text or reasoning block (no start event for those); a new index closes the others. */
  #touch(index: number): string {
    if (this.#open.has(index)) return '';
    let out = '';
    for (const open of [...this.#open]) out += this.#stop(open);
    this.#open.add(index);
    return out;
  }

  #delta(index: number, delta: Record<string, unknown>): string {
    return bedrockEvent('contentBlockDelta', { contentBlockIndex: index, delta });
  }

  #stop(index: number): string {
    this.#open.delete(index);
    return bedrockEvent('contentBlockStop', { contentBlockIndex: index });
  }
}
