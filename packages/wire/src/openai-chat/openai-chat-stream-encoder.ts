import type { AiMateyError, Citation, StreamEvent, Usage } from 'ai.matey.core';
import type { StreamEncoder, StreamEncoderOptions } from '../codec.ts';
import { mintId } from '../shared/ids.ts';
import { formatSse } from '../sse/format-sse.ts';
import { citationFieldsToOpenAI, type PlacedCitation } from './openai-chat-citations.ts';
import { encodeOpenAIError } from './openai-chat-error.ts';
import { finishReasonToOpenAI } from './openai-chat-finish-reason.ts';
import { usageToOpenAI } from './openai-chat-usage.ts';

interface StreamedToolCall {
  /** The call's position among tool calls only, which is what OpenAI's `index` counts. */
  openaiIndex: number;
  started: boolean;
  sentArguments: boolean;
}

/**
 * Writes spec events as OpenAI `chat.completion.chunk` SSE, as the HTTP front-end streams to
 * OpenAI clients: the role on the first chunk, text, `reasoning_content`, tool-call fragments
 * by per-call index, a finish chunk (with the reply's citations as `annotations` and
 * `matey_citations`, see `citationFieldsToOpenAI`), then (with `includeUsage`) a `choices: []` usage chunk;
 * `end()` writes `[DONE]`, `error()` an OpenAI error payload and no `[DONE]`.
 */
export class OpenAIChatStreamEncoder implements StreamEncoder {
  readonly #includeUsage: boolean;
  #id = '';
  #model = '';
  #created = 0;
  #sentRole = false;
  #usage: Usage | undefined;
  readonly #toolCalls = new Map<number, StreamedToolCall>();
  readonly #refusalIndexes = new Set<number>();
  /** Where each text part starts in the content sent so far, for its citations' offsets. */
  readonly #textOffsets = new Map<number, number>();
  #contentLength = 0;
  readonly #citations: PlacedCitation[] = [];
  /** Every chunk's JSON up to its delta, kept while the id and model it was made for hold. */
  #head = '';
  #headId = '';
  #headModel = '';

  constructor(options: StreamEncoderOptions = {}) {
    this.#includeUsage = options.includeUsage ?? false;
  }

  encode(event: StreamEvent): string {
    switch (event.type) {
      case 'start':
        this.#id ||= event.id || mintId('chatcmpl-');
        this.#model ||= event.model;
        return this.#chunk({});
      case 'text-delta': {
        if (event.providerMetadata?.openai?.refusal === true) this.#refusalIndexes.add(event.index);
        const refusal = this.#refusalIndexes.has(event.index);
        if (!refusal) this.#placeText(event.index, event.citations ?? []);
        if (event.delta === '') return '';
        if (!refusal) this.#contentLength += event.delta.length;
        return this.#chunk({ [refusal ? 'refusal' : 'content']: event.delta });
      }
      case 'reasoning-delta':
        return event.delta === '' ? '' : this.#chunk({ reasoning_content: event.delta });
      case 'tool-call-start': {
        const call = this.#toolCall(event.index);
        call.started = true;
        return this.#chunk({
          tool_calls: [
            {
              index: call.openaiIndex,
              id: event.toolCallId,
              type: 'function',
              function: { name: event.toolName, arguments: '' },
            },
          ],
        });
      }
      case 'tool-call-delta': {
        const call = this.#toolCall(event.index);
        if (event.argumentsDelta === '') return '';
        call.sentArguments = true;
        return this.#chunk({
          tool_calls: [{ index: call.openaiIndex, function: { arguments: event.argumentsDelta } }],
        });
      }
      case 'tool-call-end': {
        // A source that sends a call whole (no start or no deltas) still reaches the client.
        const call = this.#toolCall(event.index);
        let text = '';
        if (!call.started) {
          call.started = true;
          text += this.#chunk({
            tool_calls: [
              {
                index: call.openaiIndex,
                id: event.toolCallId,
                type: 'function',
                function: { name: event.toolName, arguments: '' },
              },
            ],
          });
        }
        if (!call.sentArguments && event.arguments !== '') {
          call.sentArguments = true;
          text += this.#chunk({
            tool_calls: [{ index: call.openaiIndex, function: { arguments: event.arguments } }],
          });
        }
        return text;
      }
      case 'usage':
        this.#usage = event.usage;
        return '';
      case 'finish': {
        this.#usage = event.usage;
        // Citations go once, whole, with the finish: a client's snapshot keeps the last delta's.
        const citations = citationFieldsToOpenAI(this.#citations);
        let text = this.#chunk(citations, finishReasonToOpenAI(event.finishReason));
        if (this.#includeUsage) {
          text += formatSse(
            JSON.stringify({ ...this.#envelope(), choices: [], usage: usageToOpenAI(this.#usage) }),
          );
        }
        return text;
      }
      case 'error':
        return this.error(event.error);
    }
  }

  end(): string {
    return 'data: [DONE]\n\n';
  }

  error(error: AiMateyError): string {
    return formatSse(JSON.stringify({ error: encodeOpenAIError(error).body.error }));
  }

  /** Notes where a text part starts in the content, and its citations at that offset. */
  #placeText(index: number, citations: readonly Citation[]): void {
    let offset = this.#textOffsets.get(index);
    if (offset === undefined) {
      offset = this.#contentLength;
      this.#textOffsets.set(index, offset);
    }
    for (const citation of citations) this.#citations.push({ offset, citation });
  }

  #toolCall(index: number): StreamedToolCall {
    let call = this.#toolCalls.get(index);
    if (!call) {
      call = { openaiIndex: this.#toolCalls.size, started: false, sentArguments: false };
      this.#toolCalls.set(index, call);
    }
    return call;
  }

  #envelope(): Record<string, unknown> {
    if (!this.#id) this.#id = mintId('chatcmpl-');
    if (this.#created === 0) this.#created = Math.floor(Date.now() / 1000);
    return { id: this.#id, object: 'chat.completion.chunk', created: this.#created, model: this.#model };
  }

  #chunk(delta: Record<string, unknown>, finishReason: string | null = null): string {
    // OpenAI names the role once, on the first chunk, with empty content.
    const fullDelta = this.#sentRole ? delta : { role: 'assistant', content: '', ...delta };
    this.#sentRole = true;
    // The same JSON as the whole chunk stringified, without re-serialising its envelope each time
    // (JSON has no raw line break, so this is one `data:` line).
    const finish = finishReason === null ? 'null' : JSON.stringify(finishReason);
    return `data: ${this.#chunkHead()}${JSON.stringify(fullDelta)},"logprobs":null,"finish_reason":${finish}}]}\n\n`;
  }

  #chunkHead(): string {
    if (this.#head === '' || this.#headId !== this.#id || this.#headModel !== this.#model) {
      const envelope = JSON.stringify(this.#envelope());
      this.#headId = this.#id;
      this.#headModel = this.#model;
      this.#head = `${envelope.slice(0, -1)},"choices":[{"index":0,"delta":`;
    }
    return this.#head;
  }
}
