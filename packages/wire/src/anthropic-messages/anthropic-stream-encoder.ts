import type { AiMateyError, FinishEvent, StreamEvent, TextDeltaEvent } from 'ai.matey.core';
import type { StreamEncoder } from '../codec.ts';
import { formatSse } from '../sse/format-sse.ts';
import { citationsToAnthropic, SourceIndexes } from './anthropic-citations.ts';
import { anthropicErrorBody } from './anthropic-error.ts';
import { anthropicMessageId } from './anthropic-response.ts';
import { stopReasonToAnthropic } from './anthropic-stop-reason.ts';
import { usageToAnthropic } from './anthropic-usage.ts';

/** One spec part being sent as an Anthropic block. `block` is set once its start is sent. */
type OpenBlock =
  | { kind: 'text'; block?: number; rawCitationsSent: number }
  | { kind: 'thinking'; block?: number; signature: string }
  | { kind: 'redacted'; block?: number; data: string }
  | { kind: 'tool'; block?: number; id: string; name: string; sent: string };

function sse(type: string, payload: Record<string, unknown>): string {
  return formatSse(JSON.stringify({ type, ...payload }), type);
}

/**
 * Spec stream events as Anthropic's SSE, for the gateway's Anthropic clients.
 *
 * Anthropic clients (the SDK's `MessageStream` among them) place a block by the order of its
 * `content_block_start` and apply `signature_delta` by replacing the signature, so: block
 * indexes are handed out as starts are sent; a text or thinking block closes when another part
 * starts; a thinking signature that arrives in pieces goes out whole in one `signature_delta`
 * when its block closes; redacted thinking is sent whole at its close. Usage is only known at
 * the end for some upstreams (an OpenAI model serving an Anthropic client), so `message_start`
 * says 0 and the final `message_delta` carries every counter, input tokens included, which
 * clients take over the start's.
 */
export class AnthropicStreamEncoder implements StreamEncoder {
  readonly #parts = new Map<number, OpenBlock>();
  #current: number | undefined;
  #nextBlock = 0;
  #started = false;
  #finished = false;
  readonly #sources = new SourceIndexes();

  encode(event: StreamEvent): string {
    if (this.#finished) return '';
    switch (event.type) {
      case 'start':
        return this.#start(event.id, event.model);
      case 'text-delta': {
        let out = this.#start('', '');
        const { part, sse: opened } = this.#openPart(event.index, () => ({
          kind: 'text',
          rawCitationsSent: 0,
        }));
        out += opened;
        if (part.kind !== 'text') return out;
        if (event.delta !== '') out += this.#delta(part, { type: 'text_delta', text: event.delta });
        return out + this.#citations(part, event);
      }
      case 'reasoning-delta':
        return this.#start('', '') + this.#reasoning(event);
      case 'tool-call-start': {
        let out = this.#start('', '') + this.#closeCurrent();
        const part: OpenBlock = { kind: 'tool', id: event.toolCallId, name: event.toolName, sent: '' };
        this.#parts.set(event.index, part);
        out += this.#blockStart(part, {
          type: 'tool_use',
          id: event.toolCallId,
          name: event.toolName,
          input: {},
        });
        return out;
      }
      case 'tool-call-delta': {
        const part = this.#parts.get(event.index);
        if (part?.kind !== 'tool' || part.block === undefined || event.argumentsDelta === '') return '';
        part.sent += event.argumentsDelta;
        return this.#delta(part, { type: 'input_json_delta', partial_json: event.argumentsDelta });
      }
      case 'tool-call-end':
        return (
          this.#start('', '') + this.#toolEnd(event.index, event.toolCallId, event.toolName, event.arguments)
        );
      case 'usage':
        // Anthropic reports usage once, in the final message_delta (from the finish event).
        return '';
      case 'finish':
        return this.#finish(event);
      case 'error':
        return this.error(event.error);
    }
  }

  end(): string {
    return '';
  }

  error(error: AiMateyError): string {
    this.#finished = true;
    return formatSse(JSON.stringify(anthropicErrorBody(error)), 'error');
  }

  #start(id: string, model: string): string {
    if (this.#started) return '';
    this.#started = true;
    return sse('message_start', {
      message: {
        id: anthropicMessageId(id),
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: usageToAnthropic({ inputTokens: 0, outputTokens: 0, totalTokens: 0 }),
      },
    });
  }

  #blockStart(part: OpenBlock, contentBlock: Record<string, unknown>): string {
    part.block = this.#nextBlock++;
    return sse('content_block_start', { index: part.block, content_block: contentBlock });
  }

  #delta(part: OpenBlock, delta: Record<string, unknown>): string {
    return sse('content_block_delta', { index: part.block, delta });
  }

  /** The open text/thinking block for a part, starting it (and closing the current one) if needed. */
  #openPart(index: number, create: () => OpenBlock): { part: OpenBlock; sse: string } {
    const existing = this.#parts.get(index);
    if (existing && this.#current === index) return { part: existing, sse: '' };
    let out = this.#closeCurrent();
    const part = create();
    this.#parts.set(index, part);
    this.#current = index;
    if (part.kind === 'text') out += this.#blockStart(part, { type: 'text', text: '' });
    else if (part.kind === 'thinking')
      out += this.#blockStart(part, { type: 'thinking', thinking: '', signature: '' });
    return { part, sse: out };
  }

  /**
   * A text delta's citations, one `citations_delta` each, on the block open when they arrive
   * (a stream's citations follow the text they cite, which is sent by then): those of another
   * provider as `search_result_location`, an Anthropic upstream's own as they came.
   */
  #citations(part: Extract<OpenBlock, { kind: 'text' }>, event: TextDeltaEvent): string {
    let out = '';
    for (const citation of event.citations ?? [])
      for (const converted of citationsToAnthropic(citation, this.#sources))
        out += this.#delta(part, { type: 'citations_delta', citation: converted });
    const raw = event.providerMetadata?.anthropic?.citations;
    if (Array.isArray(raw)) {
      for (const citation of raw.slice(part.rawCitationsSent))
        out += this.#delta(part, { type: 'citations_delta', citation });
      part.rawCitationsSent = Math.max(part.rawCitationsSent, raw.length);
    }
    return out;
  }

  #reasoning(event: Extract<StreamEvent, { type: 'reasoning-delta' }>): string {
    const { part, sse: opened } = this.#openPart(event.index, () =>
      event.redactedData !== undefined && event.delta === ''
        ? { kind: 'redacted', data: '' }
        : { kind: 'thinking', signature: '' },
    );
    let out = opened;
    if (part.kind === 'redacted') part.data += event.redactedData ?? '';
    if (part.kind !== 'thinking') return out;
    if (event.delta !== '') out += this.#delta(part, { type: 'thinking_delta', thinking: event.delta });
    if (event.signature) part.signature += event.signature;
    return out;
  }

  #closeCurrent(): string {
    if (this.#current === undefined) return '';
    const part = this.#parts.get(this.#current);
    this.#current = undefined;
    if (!part) return '';
    let out = '';
    if (part.kind === 'redacted')
      out += this.#blockStart(part, { type: 'redacted_thinking', data: part.data });
    if (part.kind === 'thinking' && part.signature !== '')
      out += this.#delta(part, { type: 'signature_delta', signature: part.signature });
    return out + sse('content_block_stop', { index: part.block });
  }

  #toolEnd(index: number, toolCallId: string, toolName: string, args: string): string {
    let out = '';
    let part = this.#parts.get(index);
    if (part?.kind !== 'tool' || part.block === undefined) {
      // An end with no start (an upstream that sends whole calls): start it now.
      out += this.#closeCurrent();
      part = { kind: 'tool', id: toolCallId, name: toolName, sent: '' };
      this.#parts.set(index, part);
      out += this.#blockStart(part, { type: 'tool_use', id: toolCallId, name: toolName, input: {} });
    }
    if (part.kind !== 'tool') return out;
    // Send what the deltas did not: everything, or a missing tail. Deltas that differ from the
    // final text (only ever in JSON whitespace, which the decoder canonicalises) stay as sent.
    const rest = part.sent === '' ? args : args.startsWith(part.sent) ? args.slice(part.sent.length) : '';
    if (rest !== '') out += this.#delta(part, { type: 'input_json_delta', partial_json: rest });
    this.#parts.delete(index);
    return out + sse('content_block_stop', { index: part.block });
  }

  #finish(event: FinishEvent): string {
    let out = this.#start('', '') + this.#closeCurrent();
    for (const [index, part] of this.#parts)
      if (part.kind === 'tool' && part.block !== undefined)
        out += this.#toolEnd(index, part.id, part.name, part.sent);
    this.#finished = true;
    const metadata = event.providerMetadata?.anthropic;
    const stopSequence = typeof metadata?.stopSequence === 'string' ? metadata.stopSequence : undefined;
    const delta: Record<string, unknown> = {
      stop_reason: stopReasonToAnthropic(event.finishReason, event.rawFinishReason, stopSequence),
      stop_sequence: stopSequence ?? null,
    };
    if (metadata?.stopDetails !== undefined) delta.stop_details = metadata.stopDetails;
    out += sse('message_delta', { delta, usage: usageToAnthropic(event.usage) });
    return out + sse('message_stop', {});
  }
}
