import {
  type AiMateyError,
  AllBackendsFailedError,
  ChatStream,
  emptyUsage,
  type FinishEvent,
  isChatStream,
  responseToEvents,
  type StreamEvent,
  toAiMateyError,
} from 'ai.matey.core';
import type { FailoverCall, FailoverMiddleware, FailoverSplice } from './create-failover-middleware.ts';
import {
  addUsage,
  cannotContinue,
  continuationRequest,
  EmittedStream,
  SpliceMapper,
} from './stream-splice.ts';

/**
 * Passes a provider's stream to the caller and gives the provider its health verdict when the
 * stream ends. A stream that fails after its first event is past failover: the error reaches the
 * caller, unless mid-stream continuation is on, in which case the next provider that can
 * continue is asked to carry on from the text sent so far, and its answer is spliced in.
 * The finish event carries the failover report in `providerMetadata.failover`.
 */
export async function* serveStream(
  middleware: FailoverMiddleware,
  call: FailoverCall,
  firstProvider: string,
  firstStarted: number,
  firstStream: ChatStream,
): AsyncGenerator<StreamEvent> {
  const emitted = new EmittedStream();
  const splices: FailoverSplice[] = [];
  let provider = firstProvider;
  let started = firstStarted;
  let source: AsyncIterable<StreamEvent> = firstStream;
  let mapper: SpliceMapper | undefined;
  let baseUsage = emptyUsage();
  let settled = false;
  try {
    while (true) {
      let failure: AiMateyError | undefined;
      let finish: FinishEvent | undefined;
      let segmentUsage = emptyUsage();
      try {
        for await (const raw of source) {
          if (raw.type === 'error') {
            failure = raw.error;
            break;
          }
          if (raw.type === 'usage' || raw.type === 'finish') segmentUsage = raw.usage;
          const event = mapper ? mapper.map(raw) : raw;
          if (!event) continue;
          if (event.type === 'finish') {
            finish = event;
            continue;
          }
          emitted.push(event);
          yield event;
        }
      } catch (thrown) {
        failure = toAiMateyError(thrown);
      }

      if (!failure) {
        middleware.settle(call, provider, started, 'success');
        settled = true;
        if (finish) {
          const report = { provider, attempts: call.attempts, splices };
          yield { ...finish, providerMetadata: { ...finish.providerMetadata, failover: report } };
        }
        return;
      }
      if (call.context.signal.aborted || failure.kind === 'cancelled') throw failure;
      middleware.settle(call, provider, started, 'failed-mid-stream', failure, emitted.text.length);
      settled = true;
      if (!middleware.midStreamContinuation || !emitted.continuable) throw failure;

      const from = provider;
      baseUsage = addUsage(baseUsage, segmentUsage);
      const opened = await middleware.open(
        call,
        middleware.chain,
        (candidate) => continuationRequest(call.request, candidate, emitted.text, from),
        (candidate) => (middleware.canContinue(candidate) ? undefined : cannotContinue(candidate)),
      );
      if (!opened) throw new AllBackendsFailedError(call.failures);
      splices.push({ at: emitted.text.length, from, to: opened.provider });
      provider = opened.provider;
      started = opened.started;
      settled = false;
      source = isChatStream(opened.reply) ? opened.reply : ChatStream.from(responseToEvents(opened.reply));
      mapper = new SpliceMapper(emitted, baseUsage);
    }
  } finally {
    // The reader stopped early or cancelled: no verdict on the provider, just free its probe.
    if (!settled) middleware.release(provider);
  }
}
