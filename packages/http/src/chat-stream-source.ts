import { type ChatResponse, redactSecrets, type StreamEvent, toAiMateyError } from 'ai.matey.core';
import { type BatchSource, readBatch } from 'ai.matey.core/internal';
import type { StreamEncoderOptions, WireCodec } from 'ai.matey.wire';
import type { CallControl } from './call-control.ts';
import type { ChatEndpointDeps } from './chat-endpoint.ts';
import type { SseSource } from './sse-response.ts';
import type { StreamProgress } from './stream-progress.ts';

/** A chat stream that has sent its first event (held in `progress`), as the chat endpoint hands it on. */
export interface StartedStream {
  endpoint: string;
  codec: WireCodec;
  deps: ChatEndpointDeps;
  call: CallControl;
  /** The stream, its first event already read. */
  events: BatchSource;
  /** Has seen the first event. */
  progress: StreamProgress;
  /** When the call began, from `performance.now()`. */
  started: number;
  options: StreamEncoderOptions;
}

/**
 * The SSE text of a started chat stream, in the caller's wire format: each pull is the text of
 * every event the stream had ready (those of one upstream read, when the chain reads in
 * batches), so they leave in one write. The status is sent by then: a failure is the stream's
 * last event, in its own error format.
 */
export function chatStreamSource(stream: StartedStream & { first: StreamEvent }): SseSource {
  const { endpoint, codec, deps, call, events, progress } = stream;
  const encoder = codec.createStreamEncoder(stream.options);
  let first: StreamEvent | undefined = stream.first;
  let ended = false;
  const end = (text: string): string => {
    ended = true;
    call.end();
    return text;
  };
  return {
    contentType: encoder.contentType,
    async next() {
      if (ended) return undefined;
      // The text of the batch's events before one that fails still goes, ahead of the error.
      let text = '';
      try {
        if (first) {
          const event = first;
          first = undefined;
          return encoder.encode(event);
        }
        // The backend watches the signal from here (no race per event: it would cost ~3 µs each).
        const next = await readBatch(events);
        if (next.done) {
          const response = progress.response();
          const latencyMs = performance.now() - stream.started;
          deps.metrics?.recordSuccess(
            endpoint,
            labelled(response, deps),
            latencyMs,
            true,
            deps.costOf?.(response),
          );
          return end(encoder.end());
        }
        call.progressed();
        for (const event of next.value) {
          progress.see(event);
          text += encoder.encode(event);
        }
        return text;
      } catch (error) {
        const typed = toAiMateyError(error);
        deps.metrics?.recordError(endpoint, typed.kind, codec.encodeError(typed).status, typed.provider);
        return end(text + redactSecrets(encoder.error(typed)));
      }
    },
    cancel() {
      if (ended) return;
      ended = true;
      call.abort();
      call.end();
      events.return?.().catch(() => {});
    },
  };
}

/** The reply with its model as the metrics label (bounded: a known id or `other`). */
export function labelled(response: ChatResponse, deps: Pick<ChatEndpointDeps, 'modelLabel'>): ChatResponse {
  return { ...response, model: deps.modelLabel(response.provider || 'unknown', response.model || 'unknown') };
}
