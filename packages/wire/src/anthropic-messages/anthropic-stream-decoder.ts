import { type AiMateyError, NetworkError, type StreamEvent, UpstreamServerError } from 'ai.matey.core';
import type { DecodeContext, StreamDecoder } from '../codec.ts';
import { canonicalArguments } from '../shared/tool-arguments.ts';
import type { SseEvent } from '../sse/sse-parser.ts';
import { toolInputText } from './anthropic-content-decoder.ts';
import { decodeAnthropicError } from './anthropic-error.ts';
import { isJsonModeRequest, JSON_TOOL_NAME } from './anthropic-json-mode.ts';
import { replyMetadata } from './anthropic-response.ts';
import { finishReasonFromAnthropic } from './anthropic-stop-reason.ts';
import type { AnthropicResponseBlock, AnthropicUsage } from './anthropic-types.ts';
import { mergeAnthropicUsage, usageFromAnthropic } from './anthropic-usage.ts';

/** What the decoder knows about one Anthropic content block, by Anthropic's block index. */
type BlockState =
  | { kind: 'text'; index: number; emitted: boolean; citations: unknown[] }
  | { kind: 'reasoning'; index: number; emitted: boolean }
  | { kind: 'tool'; index: number; id: string; name: string; input: unknown; args: string; done: boolean }
  | { kind: 'json'; index: number; input: unknown; args: string; done: boolean }
  | { kind: 'other'; block: Record<string, unknown>; args: string; done: boolean };

type Json = Record<string, unknown>;

/** Events that belong inside a message: none may come before its message_start. */
const MESSAGE_EVENTS = new Set([
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
]);

function record(value: unknown): Json {
  return typeof value === 'object' && value !== null ? (value as Json) : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * Anthropic's SSE events as spec stream events.
 *
 * The spec `index` is the part's position in the final content, looked up through a table by
 * Anthropic's block index: blocks with no spec part (`fallback`, server tools) take no
 * position, and the forced `json` tool of JSON mode becomes a text part. A text or reasoning
 * block that streamed nothing still yields one empty delta, so every block has its part and a
 * collected stream equals the non-streamed reply. Thinking signatures are passed on piece by
 * piece (the spec accumulator joins them); usage counters are cumulative, so the latest wins.
 */
export class AnthropicStreamDecoder implements StreamDecoder {
  readonly #context: DecodeContext;
  readonly #jsonMode: boolean;
  readonly #blocks = new Map<number, BlockState>();
  readonly #otherBlocks: AnthropicResponseBlock[] = [];
  #nextIndex = 0;
  #started = false;
  #messageId = '';
  #done = false;
  #usage: AnthropicUsage = {};
  #stopReason: string | null = null;
  #stopSequence: string | null = null;
  #stopDetails: unknown;
  #jsonAnswer = false;
  #toolCalls = false;

  constructor(context: DecodeContext) {
    this.#context = context;
    this.#jsonMode = isJsonModeRequest(context.request);
  }

  push(event: SseEvent): StreamEvent[] {
    if (this.#done || event.data.trim() === '') return [];
    let data: Json;
    try {
      data = record(JSON.parse(event.data));
    } catch (cause) {
      return this.#fail(
        new UpstreamServerError({
          message: 'Anthropic sent a stream event that is not JSON',
          provider: this.#context.provider,
          cause,
        }),
      );
    }
    const type = typeof data.type === 'string' ? data.type : event.event;
    if (!this.#started && MESSAGE_EVENTS.has(type ?? ''))
      return this.#fail(this.#malformed(`${type} arrived before message_start`));
    switch (type) {
      case 'message_start':
        return this.#start(record(data.message));
      case 'content_block_start':
        return this.#blockStart(Number(data.index), record(data.content_block));
      case 'content_block_delta':
        return this.#blockDelta(Number(data.index), record(data.delta));
      case 'content_block_stop':
        return this.#blockStop(Number(data.index));
      case 'message_delta': {
        const delta = record(data.delta);
        if ('stop_reason' in delta)
          this.#stopReason = typeof delta.stop_reason === 'string' ? delta.stop_reason : null;
        if ('stop_sequence' in delta)
          this.#stopSequence = typeof delta.stop_sequence === 'string' ? delta.stop_sequence : null;
        if (delta.stop_details != null) this.#stopDetails = delta.stop_details;
        this.#usage = mergeAnthropicUsage(this.#usage, record(data.usage));
        return [{ type: 'usage', usage: usageFromAnthropic(this.#usage) }];
      }
      case 'message_stop':
        return this.#finish();
      case 'error':
        return this.#fail(decodeAnthropicError(0, data, undefined, this.#context));
      default:
        // `ping` and event types newer than this codec.
        return [];
    }
  }

  end(): StreamEvent[] {
    if (this.#done) return [];
    return this.#fail(
      new NetworkError({ message: 'stream ended before it completed', provider: this.#context.provider }),
    );
  }

  #malformed(why: string): UpstreamServerError {
    return new UpstreamServerError({
      message: `Malformed stream from ${this.#context.provider}: ${why}`,
      provider: this.#context.provider,
      code: 'malformed_stream',
    });
  }

  #fail(error: AiMateyError): StreamEvent[] {
    this.#done = true;
    return [{ type: 'error', error }];
  }

  #start(message: Json): StreamEvent[] {
    if (this.#started) {
      // A recorded stream repeats its own message_start before any content: harmless, skipped.
      // Any other (a new id, or after content began) splices a second message into the first,
      // which the official client refuses too: the stream ends with an error, not a merged reply.
      if (text(message.id) === this.#messageId && this.#blocks.size === 0) return [];
      return this.#fail(this.#malformed('a second message_start arrived before message_stop'));
    }
    this.#started = true;
    this.#messageId = text(message.id);
    this.#usage = mergeAnthropicUsage({}, record(message.usage));
    return [
      { type: 'start', id: text(message.id), model: text(message.model), provider: this.#context.provider },
    ];
  }

  #blockStart(blockIndex: number, block: Json): StreamEvent[] {
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

  #blockDelta(blockIndex: number, delta: Json): StreamEvent[] {
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

  #blockStop(blockIndex: number): StreamEvent[] {
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
        this.#otherBlocks.push(state.block as AnthropicResponseBlock);
        return [];
    }
  }

  #finish(): StreamEvent[] {
    const events: StreamEvent[] = [];
    // Blocks left open (no content_block_stop) are closed as they stand.
    for (const blockIndex of this.#blocks.keys()) events.push(...this.#blockStop(blockIndex));
    this.#done = true;
    const onlyJson = this.#jsonAnswer && !this.#toolCalls;
    events.push({
      type: 'finish',
      finishReason: finishReasonFromAnthropic(this.#stopReason, onlyJson),
      ...(this.#stopReason ? { rawFinishReason: this.#stopReason } : {}),
      usage: usageFromAnthropic(this.#usage),
      ...replyMetadata({
        stopSequence: this.#stopSequence,
        stopDetails: this.#stopDetails,
        otherBlocks: this.#otherBlocks,
      }),
    });
    return events;
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
