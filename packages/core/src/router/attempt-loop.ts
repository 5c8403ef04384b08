import type { BackendCallOptions } from '../backend.ts';
import type { AiMateyError } from '../errors/ai-matey-error.ts';
import { toAiMateyError } from '../errors/to-ai-matey-error.ts';
import type { Middleware, Reply } from '../middleware/middleware.ts';
import { observeCall } from '../middleware/observe-call.ts';
import type { EmbedRequest, EmbedResponse } from '../spec/embed.ts';
import type { ChatRequest } from '../spec/request.ts';
import type { RoutingInfo } from '../spec/response.ts';
import { admitAttempt } from './admit-attempt.ts';
import { attemptContext, runChatChain, runEmbedChain } from './attempt-chain.ts';
import { attemptObserver, bookedCall } from './attempt-observer.ts';
import { type Candidate, fallbackCandidates } from './fallback-candidates.ts';
import type { Registration } from './registration.ts';
import type { RouterCall } from './router-call.ts';
import type { Selection } from './selection.ts';

/**
 * One attempt that has been admitted. `start` (the caller's) makes its backend call through
 * `chat` (or `embed`): the Router's attempt middleware first, then the backend call, counted in
 * flight and watched until it ends, its outcome booked on the backend (at once for a plain
 * call, when its stream ends for a stream).
 */
export interface Attempt {
  registration: Registration;
  request: ChatRequest;
  /** The call options for this attempt's backend. */
  options: BackendCallOptions;
  /** Makes the chat call (`call` is the backend's), through the attempt middleware. */
  chat(mode: 'execute' | 'stream', call: (request: ChatRequest) => Promise<Reply>): Promise<Reply>;
  /** Makes an embedding call the same way, booked as a plain reply is. */
  embed(
    request: EmbedRequest,
    call: (request: EmbedRequest) => Promise<EmbedResponse>,
  ): Promise<EmbedResponse>;
  /** Whether the backend was called: false while (or when) an attempt middleware holds it back. */
  readonly called: boolean;
  /** The routing info for a response served by this attempt. */
  routing(): RoutingInfo;
  /** A failure after `start` returned (mid-stream), as the call throws it: with its routing. */
  routed(thrown: unknown): AiMateyError;
}

export interface AttemptLoop {
  selection: Selection;
  call: RouterCall;
  fallbackChain: readonly string[] | undefined;
  registrations: ReadonlyMap<string, Registration>;
  options: BackendCallOptions;
  /** The Router's attempt middleware, run around each backend call (see `RouterOptions`). */
  middleware: readonly Middleware[];
}

/**
 * The one attempt loop of a Router, for plain and streamed calls: tries the candidates in turn
 * until `start` resolves for one. A failure before that (for a stream: before its first event)
 * falls back to the next candidate when the error is not the request's own fault, the selection
 * allows it and the caller has not gone; otherwise it ends the call. Retries and fallbacks draw
 * on one attempt budget per client request.
 */
export async function runAttempts<T>(loop: AttemptLoop, start: (attempt: Attempt) => Promise<T>): Promise<T> {
  const { selection, call, options } = loop;
  for (const candidate of admitted(loop)) {
    const { registration } = candidate;
    const started = performance.now();
    const attempt = admittedAttempt(loop, candidate);
    try {
      return await start(attempt);
    } catch (thrown) {
      // A called backend's failure is booked by the attempt's observer; one never called (an
      // attempt middleware refused it: a full bulkhead) gives back its circuit permit and attempt.
      if (!attempt.called) {
        registration.breaker?.release();
        options.attempts?.giveBack();
        call.calls--;
      }
      const failure = toAiMateyError(thrown, registration.backend.metadata.provider);
      if (!selection.allowFallback || failure.isRequestFault || options.signal?.aborted) throw failure;
      call.failures.push({
        backend: registration.name,
        error: failure,
        durationMs: performance.now() - started,
      });
    }
  }
  throw call.exhausted();
}

/**
 * The candidates in turn, each admitted before it is yielded. A refused one is noted in the
 * call's failures and skipped, or ends the call when the selection allows no fallback.
 */
function* admitted(loop: AttemptLoop): Generator<Candidate & { attempt: number }> {
  const { selection, call, options } = loop;
  let attempt = 0;
  for (const candidate of fallbackCandidates(selection, loop.fallbackChain, loop.registrations)) {
    if (options.attempts?.remaining === 0) return;
    attempt++;
    const error = admitAttempt(candidate, selection, call.failures, attempt, options);
    if (error) {
      if (!selection.allowFallback) {
        call.backend = candidate.registration.name;
        throw error;
      }
      continue;
    }
    options.attempts?.tryTake();
    call.calling(candidate.registration.name);
    yield { ...candidate, attempt };
  }
}

function admittedAttempt(
  loop: AttemptLoop,
  { registration, request, modelResolved, attempt }: Candidate & { attempt: number },
): Attempt {
  const { call, middleware } = loop;
  const observer = attemptObserver(registration);
  let called = false;
  const enter = () => {
    called = true;
    registration.inFlight++;
  };
  return {
    registration,
    request,
    options: modelResolved ? { ...loop.options, modelResolved } : loop.options,
    get called() {
      return called;
    },
    chat(mode, backendCall) {
      // observeCall hands back the kind of reply it was given: the response, or the stream relayed.
      const watched = (asked: ChatRequest) => {
        enter();
        return observeCall(backendCall, asked, observer);
      };
      if (middleware.length === 0) return watched(request);
      return runChatChain(
        middleware,
        request,
        attemptContext(mode, registration, request, loop.options),
        watched,
      );
    },
    embed(asked, backendCall) {
      const booked = (passed: EmbedRequest) => {
        enter();
        return bookedCall(registration, () => backendCall(passed));
      };
      if (middleware.length === 0) return booked(asked);
      return runEmbedChain(
        middleware,
        asked,
        attemptContext('embed', registration, asked, loop.options),
        booked,
      );
    },
    routing: () => routingInfo(loop, registration, attempt),
    routed: (thrown) => call.routed(toAiMateyError(thrown, registration.backend.metadata.provider)),
  };
}

function routingInfo(
  { selection, call, options }: AttemptLoop,
  registration: Registration,
  attempt: number,
): RoutingInfo {
  const { failures } = call;
  return {
    backend: registration.name,
    // Every upstream call the client request made (retries included), when the caller counts them.
    attempts: options.attempts?.used ?? attempt,
    reason: attempt === 1 ? selection.reason : `fallback after ${failures.at(-1)?.backend ?? 'failure'}`,
    ...(failures.length > 0
      ? {
          failures: failures.map((f) => ({ backend: f.backend, error: f.error.message, kind: f.error.kind })),
        }
      : {}),
  };
}
