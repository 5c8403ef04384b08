import type { EmbedRequest, EmbedResponse } from '../spec/embed.ts';
import type { Usage } from '../spec/response.ts';
import type { EmbedNextFunction } from './middleware.ts';

/**
 * How an embedding call ended: `ok` with the response and its usage, or `failed` with the error
 * (a cancelled call fails with a `CancelledError`). The counterpart of `CallOutcome` for chat.
 */
export type EmbedOutcome = { latencyMs: number } & (
  | { status: 'ok'; response: EmbedResponse; usage: Usage }
  | { status: 'failed'; error: unknown }
);

/** What a middleware wants to hear about an embedding call it passes on. */
export interface EmbedObserver {
  /** The call ended; awaited before the response or error is handed back. */
  onEnd(outcome: EmbedOutcome): void | Promise<void>;
  /** After `onEnd`: what to hand back instead (to stamp metadata on it). */
  stampResponse?(response: EmbedResponse): EmbedResponse;
}

/**
 * Calls `next(request)` and tells `observer` how the embedding call went, as `observeCall` does
 * for chat calls. An observer that throws never fails the call it watches.
 *
 * @example
 * embed(request, next) {
 *   return observeEmbed(next, request, { onEnd: (outcome) => console.log(outcome.status, outcome.latencyMs) });
 * }
 */
export async function observeEmbed(
  next: EmbedNextFunction,
  request: EmbedRequest,
  observer: EmbedObserver,
): Promise<EmbedResponse> {
  const started = performance.now();
  let response: EmbedResponse;
  try {
    response = await next(request);
  } catch (error) {
    await settle(observer, { status: 'failed', error, latencyMs: performance.now() - started });
    throw error;
  }
  await settle(observer, {
    status: 'ok',
    response,
    usage: response.usage,
    latencyMs: performance.now() - started,
  });
  if (!observer.stampResponse) return response;
  try {
    return observer.stampResponse(response);
  } catch {
    return response;
  }
}

async function settle(observer: EmbedObserver, outcome: EmbedOutcome): Promise<void> {
  try {
    await observer.onEnd(outcome);
  } catch {
    // Watching a call must never fail it.
  }
}
