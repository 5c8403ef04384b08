import type { StreamEvent } from 'ai.matey.core';
import { canonicalArguments } from '../shared/tool-arguments.ts';
import { toolInputText } from './anthropic-content-decoder.ts';
import { JSON_TOOL_NAME } from './anthropic-json-mode.ts';
import type { AnthropicResponseBlock } from './anthropic-types.ts';

/** What the decoder knows about one Anthropic content block, by Anthropic's block index. */
type BlockState =
  | { kind: 'text'; index: number; emitted: boolean; citations: unknown[] }
  | { kind: 'reasoning'; index: number; emitted: boolean }
  | { kind: 'tool'; index: number; id: string; name: string; input: unknown; args: string; done: boolean }
  | { kind: 'json'; index: number; input: unknown; args: string; done: boolean }
  | { kind: 'other'; block: Record<string, unknown>; args: string; done: boolean };

type Json = Record<string, unknown>;

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * The content blocks of one streamed Anthropic message, by Anthropic's block index: each
 * `content_block_start`, `_delta` and `_stop` as spec events, and the spec part index each
 * block takes (blocks with no spec part take none; JSON mode's forced tool becomes text).
 */
export class AnthropicStreamBlocks {
  readonly #jsonMode: boolean;
  readonly #blocks = new Map<number, BlockState>();
  /** Blocks with no spec part (server tools, `fallback`), kept whole for the reply's metadata. */
  readonly otherBlocks: AnthropicResponseBlock[] = [];
  #nextIndex = 0;
  #jsonAnswer = false;
  #toolCalls = false;

  constructor(jsonMode: boolean) {
    this.#jsonMode = jsonMode;
  }

  /** Blocks seen so far. */
  get size(): number {
    return this.#blocks.size;
  }

  /** The answer is JSON mode's forced tool alone (no real tool call): it finishes as `stop`. */
  get onlyJson(): boolean {
    return this.#jsonAnswer && !this.#toolCalls;
  }

  /** Closes the blocks left open (no content_block_stop) as they stand. */
  stopAll(): StreamEvent[] {
    const events: StreamEvent[] = [];
    for (const blockIndex of this.#blocks.keys()) events.push(...this.stop(blockIndex));
    return events;
  }

  start(blockIndex: number, block: Json): StreamEvent[] {
    const events: StreamEvent[] = [];
    switch (block.type) {
      case 'text': {
        const state: BlockState = { kind: 'text', index: this.#nextIndex++, emitted: false, citations: [] };
        this.#blocks.set(blockIndex, state);
        if (text(block.text) !== '') events.push(this.#text(state, text(block.text)));
        return events;
      }
      case 'thinking': {
        const state: BlockState = { kind: 'reasoning', index: this.#nextIndex++, emitted: false };
        this.#blocks.set(blockIndex, state);
        const signature = text(block.signature);
        if (text(block.thinking) !== '' || signature !== '')
          events.push(this.#reasoning(state, text(block.thinking), signature ? { signature } : {}));
        return events;
      }
      case 'redacted_thinking': {
        const state: BlockState = { kind: 'reasoning', index: this.#nextIndex++, emitted: false };
        this.#blocks.set(blockIndex, state);
        return [this.#reasoning(state, '', { redactedData: text(block.data) })];
      }
      case 'tool_use': {
        const name = text(block.name);
        if (this.#jsonMode && name === JSON_TOOL_NAME) {
          this.#blocks.set(blockIndex, {
            kind: 'json',
            index: this.#nextIndex++,
            input: block.input,
            args: '',
            done: false,
          });
          return [];
        }
        const state: BlockState = {
          kind: 'tool',
          index: this.#nextIndex++,
          id: text(block.id),
          name,
          input: block.input,
          args: '',
          done: false,
        };
        this.#blocks.set(blockIndex, state);
        this.#toolCalls = true;
        return [{ type: 'tool-call-start', index: state.index, toolCallId: state.id, toolName: name }];
      }
      default:
        this.#blocks.set(blockIndex, { kind: 'other', block: { ...block }, args: '', done: false });
        return [];
    }
  }

  delta(blockIndex: number, delta: Json): StreamEvent[] {
    const state = this.#blocks.get(blockIndex);
    if (!state) return [];
    switch (delta.type) {
      case 'text_delta':
        return state.kind === 'text' ? [this.#text(state, text(delta.text))] : [];
      case 'citations_delta':
        if (state.kind !== 'text') return [];
        state.citations.push(delta.citation);
        // The whole list each time: metadata merges by key, so the latest list wins.
        return [this.#text(state, '', { anthropic: { citations: [...state.citations] } })];
      case 'thinking_delta':
        return state.kind === 'reasoning' && text(delta.thinking) !== ''
          ? [this.#reasoning(state, text(delta.thinking))]
          : [];
      case 'signature_delta':
        return state.kind === 'reasoning' && text(delta.signature) !== ''
          ? [this.#reasoning(state, '', { signature: text(delta.signature) })]
          : [];
      case 'input_json_delta': {
        if (state.kind === 'text' || state.kind === 'reasoning') return [];
        const piece = text(delta.partial_json);
        state.args += piece;
        if (state.kind !== 'tool' || piece === '') return [];
        return [{ type: 'tool-call-delta', index: state.index, toolCallId: state.id, argumentsDelta: piece }];
      }
      default:
        return [];
    }
  }

  stop(blockIndex: number): StreamEvent[] {
    const state = this.#blocks.get(blockIndex);
    if (!state) return [];
    switch (state.kind) {
      case 'text':
        return state.emitted ? [] : [this.#text(state, '')];
      case 'reasoning':
        return state.emitted ? [] : [this.#reasoning(state, '')];
      case 'json': {
        if (state.done) return [];
        state.done = true;
        this.#jsonAnswer = true;
        // Sent whole at the end: the non-streamed reply has only the parsed object, and the
        // two must read the same, so the text is the canonical JSON, not the raw fragments.
        const json = state.args.trim() === '' ? toolInputText(state.input) : canonicalArguments(state.args);
        return [{ type: 'text-delta', index: state.index, delta: json }];
      }
      case 'tool': {
        if (state.done) return [];
        state.done = true;
        const args = state.args.trim() === '' ? toolInputText(state.input) : canonicalArguments(state.args);
        return [
          {
            type: 'tool-call-end',
            index: state.index,
            toolCallId: state.id,
            toolName: state.name,
            arguments: args,
          },
        ];
      }
      case 'other':
        if (state.done) return [];
        state.done = true;
        if (state.args.trim() !== '') {
          try {
            state.block.input = JSON.parse(state.args);
          } catch {
            state.block.input = state.args;
          }
        }
        this.otherBlocks.push(state.block as AnthropicResponseBlock);
        return [];
    }
  }

  #text(
    state: Extract<BlockState, { kind: 'text' }>,
    delta: string,
    providerMetadata?: Record<string, Record<string, unknown>>,
  ): StreamEvent {
    state.emitted = true;
    return {
      type: 'text-delta',
      index: state.index,
      delta,
      ...(providerMetadata ? { providerMetadata } : {}),
    };
  }

  #reasoning(
    state: Extract<BlockState, { kind: 'reasoning' }>,
    delta: string,
    extra: { signature?: string; redactedData?: string } = {},
  ): StreamEvent {
    state.emitted = true;
    return { type: 'reasoning-delta', index: state.index, delta, ...extra };
  }
}
