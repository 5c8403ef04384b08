import { ChatStream, isChatStream } from '../chat-stream.ts';
import type { ChatRequest } from '../spec/request.ts';
import type { ChatResponse, Usage } from '../spec/response.ts';
import { outcomeRelay, type StreamOutcome } from '../stream-outcome.ts';
import type { NextFunction, Reply } from './middleware.ts';

interface OutcomeTiming {
  /** From the call of `next` to the end (a stream's last event, failure or early stop). */
  latencyMs: number;
  /** A stream's first event, from the call of `next`; absent for a plain reply. */
  timeToFirstEventMs?: number;
  /** Whether the reply was a stream. */
  streamed: boolean;
}

/**
 * How a call ended, the same for `execute` and `stream`: `ok` with the response (a stream's is
 * what its events described), `cancelled` when the caller stopped reading, or `failed` with the
 * error (`partial` holds what a stream had sent before it failed).
 */
export type CallOutcome = OutcomeTiming &
  (
    | { status: 'ok'; response: ChatResponse; usage: Usage }
    | { status: 'cancelled'; partial: ChatResponse; usage: Usage }
    | { status: 'failed'; error: unknown; partial?: ChatResponse; usage?: Usage }
  );

/** What a middleware wants to hear about a call it passes on. */
export interface CallObserver {
  /** A stream's first event went by (not called for a plain reply). */
  onFirstEvent?(timeToFirstEventMs: number): void;
  /**
   * The call ended. Awaited before a plain reply or error is handed back; for a stream it runs
   * as the stream ends (the caller reads the end after it) and is not awaited.
   */
  onEnd(outcome: CallOutcome): void | Promise<void>;
  /** A plain reply, after `onEnd`: what to hand back instead (to stamp metadata on it). */
  stampResponse?(response: ChatResponse): ChatResponse;
}

/**
 * Calls `next(request)` and tells `observer` how the call went, for plain and streamed replies
 * alike. A stream stays a stream: it is passed on through one relay that watches its events and
 * is never collected. An observer that throws never fails the call it watches.
 *
 * @example
 * async execute(request, next) {
 *   return observeCall(next, request, {
 *     onEnd: (outcome) => console.log(outcome.status, outcome.latencyMs, outcome.usage?.outputTokens),
 *   });
 * }
 */
export async function observeCall(
  next: NextFunction,
  request: ChatRequest,
  observer: CallObserver,
): Promise<Reply> {
  const started = performance.now();
  let reply: Reply;
  try {
    reply = await next(request);
  } catch (error) {
    await settle(observer, {
      status: 'failed',
      error,
      latencyMs: performance.now() - started,
      streamed: false,
    });
    throw error;
  }
  if (!isChatStream(reply)) {
    const outcome: CallOutcome = {
      status: 'ok',
      response: reply,
      usage: reply.usage,
      latencyMs: performance.now() - started,
      streamed: false,
    };
    const settled = settle(observer, outcome);
    if (settled) await settled;
    if (!observer.stampResponse) return reply;
    try {
      return observer.stampResponse(reply);
    } catch {
      return reply;
    }
  }
  let timeToFirstEventMs: number | undefined;
  const onFirst = () => {
    timeToFirstEventMs = performance.now() - started;
    if (observer.onFirstEvent) guard(() => observer.onFirstEvent?.(timeToFirstEventMs as number));
  };
  const onDone = (ending: StreamOutcome) => {
    const timing: OutcomeTiming = {
      latencyMs: performance.now() - started,
      streamed: true,
      ...(timeToFirstEventMs === undefined ? {} : { timeToFirstEventMs }),
    };
    const outcome: CallOutcome =
      ending.status === 'completed'
        ? { status: 'ok', response: ending.response, usage: ending.response.usage, ...timing }
        : { ...ending, usage: ending.partial.usage, ...timing };
    settle(observer, outcome);
  };
  return new ChatStream(outcomeRelay(reply[Symbol.asyncIterator](), onDone, onFirst));
}

/** Runs `onEnd`; a promise only when it returned one, so a synchronous observer costs no tick. */
function settle(observer: CallObserver, outcome: CallOutcome): Promise<void> | undefined {
  try {
    return observer.onEnd(outcome)?.then(undefined, ignore);
  } catch {
    // Watching a call must never fail it.
    return undefined;
  }
}

function ignore(): void {}

function guard(run: () => void): void {
  try {
    run();
  } catch {
    // Watching a call must never fail it.
  }
}
