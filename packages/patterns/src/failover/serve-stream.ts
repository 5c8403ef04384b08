import {
  type AiMateyError,
  AllBackendsFailedError,
  ChatStream,
  emptyUsage,
  type FinishEvent,
  responseToEvents,
  type StreamEvent,
  toAiMateyError,
} from 'ai.matey.core';
import type { FailoverCall, FailoverMiddleware, FailoverSplice } from './create-failover-middleware.ts';
import { addUsage, cannotContinue, continuationRequest, SpliceMapper } from './stream-splice.ts';

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
  firstStream: ChatStream,
): AsyncGenerator<StreamEvent> {
  const emitted = call.emitted;
  const splices: FailoverSplice[] = [];
  let provider = firstProvider;
  let source: AsyncIterable<StreamEvent> = firstStream;
  let mapper: SpliceMapper | undefined;
  let baseUsage = emptyUsage();
  // Each provider's verdict is given by the observer `open` put on its reply, as it ends.
  while (true) {
    let failure: AiMateyError | undefined;
    let finish: FinishEvent | undefined;
    let segmentUsage = emptyUsage();
    try {
      for await (const raw of source) {
        // Read on to the end after an in-band error, so the stream ends as failed, not stopped.
        if (failure) continue;
        if (raw.type === 'error') {
          failure = raw.error;
          continue;
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
      if (finish) {
        const report = { provider, attempts: call.attempts, splices };
        yield { ...finish, providerMetadata: { ...finish.providerMetadata, failover: report } };
      }
      return;
    }
    if (call.context.signal.aborted || failure.kind === 'cancelled') throw failure;
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
    // observeCall hands a stream back as core's ChatStream; a plain response is replayed as events.
    source =
      opened.reply instanceof ChatStream ? opened.reply : ChatStream.from(responseToEvents(opened.reply));
    mapper = new SpliceMapper(emitted, baseUsage);
  }
}
