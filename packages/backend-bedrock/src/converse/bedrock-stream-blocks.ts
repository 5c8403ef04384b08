import type { StreamEvent } from 'ai.matey.core';
import { canonicalArguments } from 'ai.matey.wire';
import { JSON_TOOL_NAME } from './bedrock-json-mode.ts';

type BlockState =
  | { kind: 'text' | 'reasoning'; index: number; emitted: boolean }
  | { kind: 'tool'; index: number; id: string; name: string; args: string; done: boolean }
  | { kind: 'json'; index: number; args: string; done: boolean };

type Json = Record<string, unknown>;

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * The content blocks of one ConverseStream, by Bedrock's `contentBlockIndex`: starts, deltas and
 * stops as spec events. Text and reasoning blocks have no start event (their first delta opens
 * them); a `toolUse` block starts with its id and name, and its input streams as JSON text. JSON
 * mode's forced `json` tool becomes a text part, sent whole at its stop.
 */
export class BedrockStreamBlocks {
  readonly #jsonMode: boolean;
  readonly #blocks = new Map<number, BlockState>();
  #nextIndex = 0;
  #toolCalls = false;

  constructor(jsonMode: boolean) {
    this.#jsonMode = jsonMode;
  }

  /** The answer had no real tool call (a JSON-mode `tool_use` then finishes as `stop`). */
  get noToolCalls(): boolean {
    return !this.#toolCalls;
  }

  start(blockIndex: number, start: Json): StreamEvent[] {
    const toolUse = start.toolUse as Json | undefined;
    if (!toolUse || this.#blocks.has(blockIndex)) return [];
    const name = text(toolUse.name);
    if (this.#jsonMode && name === JSON_TOOL_NAME) {
      this.#blocks.set(blockIndex, { kind: 'json', index: this.#nextIndex++, args: '', done: false });
      return [];
    }
    const state = {
      kind: 'tool' as const,
      index: this.#nextIndex++,
      id: text(toolUse.toolUseId),
      name,
      args: '',
      done: false,
    };
    this.#blocks.set(blockIndex, state);
    this.#toolCalls = true;
    return [{ type: 'tool-call-start', index: state.index, toolCallId: state.id, toolName: name }];
  }

  delta(blockIndex: number, delta: Json): StreamEvent[] {
    if (typeof delta.text === 'string') {
      const state = this.#open(blockIndex, 'text');
      if (state?.kind !== 'text') return [];
      state.emitted = true;
      return [{ type: 'text-delta', index: state.index, delta: delta.text }];
    }
    const reasoning = delta.reasoningContent as Json | undefined;
    if (reasoning) {
      const state = this.#open(blockIndex, 'reasoning');
      if (state?.kind !== 'reasoning') return [];
      const signature = text(reasoning.signature);
      const redacted = reasoning.redactedContent;
      const piece = text(reasoning.text);
      // Bedrock closes reasoning with an empty text delta before the signature: nothing to send.
      if (piece === '' && signature === '' && typeof redacted !== 'string') return [];
      state.emitted = true;
      return [
        {
          type: 'reasoning-delta',
          index: state.index,
          delta: piece,
          ...(signature !== '' ? { signature } : {}),
          ...(typeof redacted === 'string' ? { redactedData: redacted } : {}),
        },
      ];
    }
    const toolUse = delta.toolUse as Json | undefined;
    const state = this.#blocks.get(blockIndex);
    if (!toolUse || !state || (state.kind !== 'tool' && state.kind !== 'json')) return [];
    const piece = text(toolUse.input);
    state.args += piece;
    if (state.kind !== 'tool' || piece === '') return [];
    return [{ type: 'tool-call-delta', index: state.index, toolCallId: state.id, argumentsDelta: piece }];
  }

  stop(blockIndex: number): StreamEvent[] {
    const state = this.#blocks.get(blockIndex);
    if (!state) return [];
    switch (state.kind) {
      case 'text':
      case 'reasoning':
        if (state.emitted) return [];
        state.emitted = true;
        return [
          { type: state.kind === 'text' ? 'text-delta' : 'reasoning-delta', index: state.index, delta: '' },
        ];
      case 'json':
        if (state.done) return [];
        state.done = true;
        return [{ type: 'text-delta', index: state.index, delta: canonicalArguments(state.args) }];
      case 'tool':
        if (state.done) return [];
        state.done = true;
        return [
          {
            type: 'tool-call-end',
            index: state.index,
            toolCallId: state.id,
            toolName: state.name,
            arguments: canonicalArguments(state.args),
          },
        ];
    }
  }

  /** Closes the blocks left open (no contentBlockStop) as they stand. */
  stopAll(): StreamEvent[] {
    return [...this.#blocks.keys()].flatMap((blockIndex) => this.stop(blockIndex));
  }

  #open(blockIndex: number, kind: 'text' | 'reasoning'): BlockState | undefined {
    const existing = this.#blocks.get(blockIndex);
    if (existing) return existing;
    const state: BlockState = { kind, index: this.#nextIndex++, emitted: false };
    this.#blocks.set(blockIndex, state);
    return state;
  }
}
