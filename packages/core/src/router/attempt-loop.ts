import type { BackendCallOptions } from '../backend.ts';
import type { AiMateyError } from '../errors/ai-matey-error.ts';
import { toAiMateyError } from '../errors/to-ai-matey-error.ts';
import type { Reply } from '../middleware/middleware.ts';
import { observeCall } from '../middleware/observe-call.ts';
import type { ChatRequest } from '../spec/request.ts';
import type { RoutingInfo } from '../spec/response.ts';
import { admitAttempt } from './admit-attempt.ts';
import { attemptObserver, bookedCall } from './attempt-observer.ts';
import { type Candidate, fallbackCandidates } from './fallback-candidates.ts';
import type { Registration } from './registration.ts';
import type { RouterCall } from './router-call.ts';
import type { Selection } from './selection.ts';

/**
 * One attempt that has been admitted and counted in flight. `start` (the caller's) makes its
 * backend call through `watch`, which gives the in-flight slot back and books the outcome on the
 * backend (at once for a plain call, when its stream ends for a stream).
 */
export interface Attempt {
  registration: Registration;
  request: ChatRequest;
  /** The call options for this attempt's backend. */
  options: BackendCallOptions;
  /** Makes the backend call, watched with `observeCall` until it ends. */
  watch<R extends Reply>(call: () => Promise<R>): Promise<R>;
  /** Makes a backend call that is not a chat (an embedding), booked as a plain reply is. */
  book<T>(call: () => Promise<T>): Promise<T>;
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
    registration.inFlight++;
    try {
      return await start(admittedAttempt(loop, candidate));
    } catch (thrown) {
      // Already booked on the backend by the attempt's observer.
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
  const { call } = loop;
  const observer = attemptObserver(registration);
  // observeCall hands back the kind of reply it was given: the response, or the stream relayed.
  const watch = <R extends Reply>(backendCall: () => Promise<R>) =>
    observeCall(backendCall, request, observer) as Promise<R>;
  return {
    registration,
    request,
    options: modelResolved ? { ...loop.options, modelResolved } : loop.options,
    watch,
    book: (backendCall) => bookedCall(registration, backendCall),
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
