import { type AiMateyError, NetworkError, type StreamEvent, UpstreamServerError } from 'ai.matey.core';
import {
  type DecodeContext,
  formatSse,
  type SseEvent,
  type StreamDecoder,
  type StreamEncoder,
} from 'ai.matey.wire';
import type { AcmeV0Response } from './acme-v0-body.ts';
import { decodeAcmeV0Error } from './acme-v0-error.ts';
import { finishReason, usageOf } from './acme-v0-response.ts';

/** v0's SSE events as spec events: `start` before the first delta, `finish` on `done`. */
export class AcmeV0StreamDecoder implements StreamDecoder {
  readonly #context: DecodeContext;
  #started = false;
  #done = false;

  constructor(context: DecodeContext) {
    this.#context = context;
  }

  push(sse: SseEvent): StreamEvent[] {
    if (this.#done) return [];
    const data = parse(sse.data, this.#context.provider);
    if (sse.event === 'error') {
      this.#done = true;
      return [{ type: 'error', error: decodeAcmeV0Error(500, data) }];
    }
    const events = this.#start((data as Partial<AcmeV0Response>).model);
    if (sse.event === 'delta') {
      events.push({ type: 'text-delta', index: 0, delta: String((data as { text?: unknown }).text ?? '') });
    } else if (sse.event === 'done') {
      const done = data as AcmeV0Response;
      this.#done = true;
      events.push({
        type: 'finish',
        finishReason: finishReason(done.stop),
        rawFinishReason: done.stop,
        usage: usageOf(done),
      });
    }
    return events;
  }

  end(): StreamEvent[] {
    if (this.#done) return [];
    this.#done = true;
    const error = new NetworkError({
      message: 'The stream ended before done',
      provider: this.#context.provider,
      code: 'stream_incomplete',
    });
    return [{ type: 'error', error }];
  }

  #start(model: string | undefined): StreamEvent[] {
    if (this.#started) return [];
    this.#started = true;
    return [
      {
        type: 'start',
        id: '',
        model: model ?? this.#context.request?.model ?? '',
        provider: this.#context.provider,
      },
    ];
  }
}

/** The server half: spec events as v0's SSE text. */
export class AcmeV0StreamEncoder implements StreamEncoder {
  #id = '';
  #model = '';
  #usage = { input: 0, output: 0 };

  encode(event: StreamEvent): string {
    if (event.type === 'start') {
      this.#id = event.id;
      this.#model = event.model;
      return '';
    }
    if (event.type === 'text-delta') return formatSse(JSON.stringify({ text: event.delta }), 'delta');
    if (event.type === 'usage')
      this.#usage = { input: event.usage.inputTokens, output: event.usage.outputTokens };
    if (event.type !== 'finish') return '';
    const usage = { input: event.usage.inputTokens, output: event.usage.outputTokens };
    const stop = event.finishReason === 'length' ? 'max_tokens' : 'end';
    const done = {
      id: this.#id,
      model: this.#model,
      stop,
      usage: usage.input + usage.output > 0 ? usage : this.#usage,
    };
    return formatSse(JSON.stringify(done), 'done');
  }

  end(): string {
    return '';
  }

  error(error: AiMateyError): string {
    return formatSse(JSON.stringify({ error: { type: 'server', message: error.message } }), 'error');
  }
}

function parse(data: string, provider: string): unknown {
  try {
    return JSON.parse(data);
  } catch (cause) {
    throw new UpstreamServerError({
      message: 'Acme sent an event that is not JSON',
      provider,
      code: 'malformed_response',
      cause,
    });
  }
}
