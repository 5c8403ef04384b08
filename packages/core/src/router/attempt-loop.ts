import type { BackendCallOptions } from '../backend.ts';
import type { AiMateyError } from '../errors/ai-matey-error.ts';
import type { ChatRequest } from '../spec/request.ts';
import type { RoutingInfo } from '../spec/response.ts';
import { admitAttempt } from './admit-attempt.ts';
import { type Candidate, fallbackCandidates } from './fallback-candidates.ts';
import { type Registration, recordFailure, recordSuccess } from './registration.ts';
import type { RouterCall } from './router-call.ts';
import type { Selection } from './selection.ts';

/**
 * One attempt that has been admitted and counted in flight. `start` (the caller's) holds its
 * in-flight slot once it returns: it must end it with `succeeded`, `failed` or `cancelled`
 * (at once for a plain call, when its stream ends for a stream).
 */
export interface Attempt {
  registration: Registration;
  request: ChatRequest;
  call: RouterCall;
  /** The call options for this attempt's backend. */
  options: BackendCallOptions;
  /** When the attempt began, from `performance.now()`. */
  started: number;
  /** The routing info for a response served by this attempt. */
  routing(): RoutingInfo;
  succeeded(latencyMs: number): void;
  /** A failure after `start` returned (mid-stream): books it, gives back the error as the call throws it. */
  failed(thrown: unknown): AiMateyError;
  cancelled(): void;
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
      return await start(admittedAttempt(loop, candidate, started));
    } catch (thrown) {
      registration.inFlight--;
      const failure = recordFailure(registration, thrown);
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
  started: number,
): Attempt {
  const { call } = loop;
  return {
    registration,
    request,
    call,
    options: modelResolved ? { ...loop.options, modelResolved } : loop.options,
    started,
    routing: () => routingInfo(loop, registration, attempt),
    succeeded: (latencyMs) => {
      registration.inFlight--;
      recordSuccess(registration, latencyMs);
    },
    failed: (thrown) => {
      registration.inFlight--;
      return call.routed(recordFailure(registration, thrown));
    },
    cancelled: () => {
      registration.inFlight--;
      registration.breaker?.release();
    },
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
