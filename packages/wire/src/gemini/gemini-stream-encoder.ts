import type { AiMateyError, StreamEvent, Usage } from 'ai.matey.core';
import type { StreamEncoder, StreamEncoderOptions } from '../codec.ts';
import { formatSse } from '../sse/format-sse.ts';
import { encodeGeminiError } from './gemini-error.ts';
import { thoughtSignatureOf } from './gemini-parts.ts';
import { candidateFieldsFrom } from './gemini-response.ts';
import { GEMINI_METADATA_KEY, type GeminiPart, type GeminiResponseBody } from './gemini-types.ts';
import { finishReasonToGemini, usageToGemini } from './gemini-usage.ts';

/**
 * Writes spec events as Gemini's `alt=sse` stream: every chunk is a partial
 * `GenerateContentResponse` (`data: {…}` and a blank line). Text and reasoning deltas go out as
 * they come, as text and thought parts; a tool call goes out whole at its end, as Gemini sends
 * them; the finish chunk carries the finish reason and usage. Gemini has no end marker.
 * With `framing: 'json-array'` (a call without `alt=sse`) the same chunks are the elements of
 * one JSON array, written as they come, as Google answers such calls.
 */
export class GeminiStreamEncoder implements StreamEncoder {
  readonly contentType: string | undefined;
  readonly #jsonArray: boolean;
  #opened = false;
  #id = '';
  #model = '';
  #usage: Usage | undefined;
  #sentContent = false;

  constructor(options: StreamEncoderOptions = {}) {
    this.#jsonArray = options.framing === 'json-array';
    this.contentType = this.#jsonArray ? 'application/json; charset=utf-8' : undefined;
  }

  encode(event: StreamEvent): string {
    switch (event.type) {
      case 'start':
        this.#id = event.id;
        this.#model = event.model;
        return '';
      case 'text-delta': {
        const signature = thoughtSignatureOf(event.providerMetadata);
        if (event.delta === '' && signature === undefined) return '';
        return this.#parts([{ text: event.delta, ...(signature ? { thoughtSignature: signature } : {}) }]);
      }
      case 'reasoning-delta': {
        const signature = thoughtSignatureOf(event.providerMetadata) ?? (event.signature || undefined);
        if (event.delta === '' && signature === undefined) return '';
        return this.#parts([
          { text: event.delta, thought: true, ...(signature ? { thoughtSignature: signature } : {}) },
        ]);
      }
      case 'tool-call-start':
      case 'tool-call-delta':
        return '';
      case 'tool-call-end': {
        const signature = thoughtSignatureOf(event.providerMetadata);
        let args: Record<string, unknown>;
        try {
          const parsed: unknown = JSON.parse(event.arguments || '{}');
          args =
            typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
              ? (parsed as Record<string, unknown>)
              : { value: parsed };
        } catch {
          args = { _raw: event.arguments };
        }
        return this.#parts([
          {
            functionCall: { id: event.toolCallId, name: event.toolName, args },
            ...(signature ? { thoughtSignature: signature } : {}),
          },
        ]);
      }
      case 'usage':
        this.#usage = event.usage;
        return '';
      case 'finish': {
        const promptFeedback = event.providerMetadata?.[GEMINI_METADATA_KEY]?.promptFeedback;
        const body: GeminiResponseBody =
          !this.#sentContent && event.finishReason === 'content-filter' && isBlocked(promptFeedback)
            ? { promptFeedback }
            : {
                candidates: [
                  {
                    content: { role: 'model', parts: [{ text: '' }] },
                    finishReason: finishReasonToGemini(event.finishReason, event.rawFinishReason),
                    index: 0,
                    ...candidateFieldsFrom(event.providerMetadata),
                  },
                ],
              };
        body.usageMetadata = usageToGemini(event.usage);
        return this.#chunk(body);
      }
      case 'error':
        return this.error(event.error);
    }
  }

  end(): string {
    if (!this.#jsonArray) return '';
    return this.#opened ? '\n]' : '[]';
  }

  error(error: AiMateyError): string {
    const body = JSON.stringify(encodeGeminiError(error).body);
    return this.#jsonArray ? `${this.#frame(body)}\n]` : formatSse(body);
  }

  /** One chunk as an SSE event, or as the next element of the JSON array. */
  #frame(json: string): string {
    if (!this.#jsonArray) return formatSse(json);
    const separator = this.#opened ? '\n,\r\n' : '[';
    this.#opened = true;
    return separator + json;
  }

  #parts(parts: GeminiPart[]): string {
    this.#sentContent = true;
    return this.#chunk({ candidates: [{ content: { role: 'model', parts }, index: 0 }] });
  }

  #chunk(body: GeminiResponseBody): string {
    if (body.usageMetadata === undefined && this.#usage) body.usageMetadata = usageToGemini(this.#usage);
    body.modelVersion = this.#model;
    body.responseId = this.#id;
    return this.#frame(JSON.stringify(body));
  }
}

function isBlocked(value: unknown): value is { blockReason: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { blockReason?: unknown }).blockReason === 'string'
  );
}
